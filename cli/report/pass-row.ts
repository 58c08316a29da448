import { algorithmLabel } from './algorithm-label.js';
import type { RunPass, RunSummary } from './run-summary.js';

/** One row of the per-algorithm table. */
export function passRow(pass: RunSummary): RunPass {
  const real = pass.servers.filter((server) => !server.name.startsWith('(') || server.requests > 0);
  return {
    algorithm: algorithmLabel(pass.lab),
    requests: pass.totals.requests,
    errors: pass.totals.errors,
    dropped: pass.totals.dropped,
    ratePerSec: pass.totals.ratePerSec,
    durationMs: pass.durationMs,
    p50Ms: pass.latency.p50Ms,
    p90Ms: pass.latency.p90Ms,
    p99Ms: pass.latency.p99Ms,
    p999Ms: pass.latency.p999Ms ?? pass.latency.p99Ms,
    maxMs: pass.latency.maxMs,
    shares: Object.fromEntries(real.map((server) => [server.name, server.share])),
    serverP99Ms: Object.fromEntries(real.filter((server) => server.requests > 0).map((server) => [server.name, server.p99Ms])),
  };
}

