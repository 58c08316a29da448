// A child process that runs lblab's load generator once and prints one JSON
// line: requests, req/s, latency, CPU time and peak memory. Bundled by
// bench/lib/load-child-bundle.mjs; run alone so its RSS is its own.
// usage: node load-child.mjs '{"url":"http://127.0.0.1:9001","path":"/home","connections":50,"durationMs":2000}'
import { performance } from 'node:perf_hooks';
import { runLoad } from '../cli/load/index.js';

interface LoadChildOptions {
  readonly url: string;
  readonly path: string;
  readonly connections: number;
  /** Stop after this long (graceful: requests in flight finish). */
  readonly durationMs?: number;
  /** Or send exactly this many. */
  readonly requests?: number;
  /** Hard bound on the run. */
  readonly maxDurationMs: number;
}

export interface LoadChildReport {
  readonly requests: number;
  readonly errors: number;
  readonly durationMs: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly cpuMs: number;
  readonly peakRssBytes: number;
  readonly endReason: string;
}

const RSS_SAMPLE_INTERVAL_MS = 100;
const UNBOUNDED_REQUESTS = 100_000_000;

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as LoadChildOptions;
  let peakRssBytes = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
  }, RSS_SAMPLE_INTERVAL_MS);
  const cpuBefore = process.cpuUsage();
  const run = runLoad({
    url: options.url,
    path: options.path,
    model: { kind: 'closed', requests: options.requests ?? UNBOUNDED_REQUESTS, concurrency: options.connections },
    connections: options.connections,
    maxDurationMs: options.maxDurationMs,
    timeoutMs: 5000,
  });
  const stopTimer = options.durationMs === undefined ? undefined : setTimeout(() => run.stop(), options.durationMs);
  const startMs = performance.now();
  const result = await run.result;
  clearTimeout(stopTimer);
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpuBefore);
  // maxRSS (KiB) is the kernel's high-water mark, so short peaks between samples count too.
  peakRssBytes = Math.max(peakRssBytes, process.resourceUsage().maxRSS * 1024);
  const durationMs = result.durationMs > 0 ? result.durationMs : performance.now() - startMs;
  const report: LoadChildReport = {
    requests: result.requests,
    errors: result.errors,
    durationMs,
    rps: result.requests / (durationMs / 1000),
    p50Ms: result.latency.p50Ms,
    p99Ms: result.latency.p99Ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssBytes,
    endReason: run.endReason,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`load-child: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
