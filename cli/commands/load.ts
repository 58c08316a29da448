import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { openLab } from '../lab/open-lab.js';
import { balancerUrls } from '../lab/lab-record.js';
import { AD_HOC_LIMITS, runAdHocLoad } from '../load/ad-hoc-load.js';
import { formatLoadReport } from '../load/load-report.js';
import { formatProgressLine } from '../load/progress-line.js';
import type { CliIo } from './io.js';
import { labOf } from './lab-option.js';
import { badInput, durationArg, integerArg, parsedOption } from './option-parsers.js';

export interface LoadFlags {
  connections: number;
  requests?: number;
  duration?: number;
  rate?: number;
  method?: string;
  header: string[];
  body?: string;
  timeout: number;
  json?: boolean;
}

const DEFAULT_DURATION_MS = 10_000;

function parseRatePerSec(flag: string, text: string): number {
  const rate = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(rate) || rate <= 0 || rate > AD_HOC_LIMITS.maxRatePerSec) {
    throw badInput(`${flag} must be a number of requests per second above 0 and at most ${AD_HOC_LIMITS.maxRatePerSec}, got ${JSON.stringify(text)}`);
  }
  return rate;
}

/** `-H "Name: value"`, repeatable. */
export function parseHeaders(values: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const value of values) {
    const colon = value.indexOf(':');
    if (colon <= 0) throw badInput(`-H must be "Name: value", got ${JSON.stringify(value)}`);
    headers[value.slice(0, colon).trim().toLowerCase()] = value.slice(colon + 1).trim();
  }
  return headers;
}

/** The URL to load: the one given, a path on the lab's balancer (`/home`), or the lab's balancer itself. */
export async function loadTarget(url: string | undefined, lab: string): Promise<string> {
  if (url !== undefined && !url.startsWith('/')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (cause) {
      throw badInput(`url must be an absolute http URL (http://127.0.0.1:8080/home) or a path on the lab's balancer (/home), got ${JSON.stringify(url)}`, cause);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw badInput(`url must be an http or https URL, got ${JSON.stringify(url)}`);
    return parsed.href;
  }
  const { record } = await openLab(lab);
  return `${balancerUrls(record).url}${url ?? '/'}`;
}

async function bodyOf(text: string | undefined): Promise<string | undefined> {
  if (text === undefined || !text.startsWith('@')) return text;
  try {
    return await readFile(text.slice(1), 'utf8');
  } catch (cause) {
    throw badInput(`--body ${text}: cannot read ${text.slice(1)} (${(cause as Error).message})`, cause);
  }
}

function looksLikeJson(body: string): boolean {
  try {
    JSON.parse(body);
    return /^\s*[[{]/.test(body);
  } catch {
    return false;
  }
}

export function registerLoad(program: Command, io: CliIo): void {
  program
    .command('load [url]')
    .description("send load to the lab's balancer (or any URL) and print req/s, latency percentiles, a histogram and the split per server")
    .addOption(parsedOption('-c, --connections <n>', 'connections (closed model: requests in flight at once)', integerArg({ min: 1, max: AD_HOC_LIMITS.maxConnections }), { value: 50 }))
    .addOption(parsedOption('-n, --requests <n>', 'send this many requests (instead of --duration)', integerArg({ min: 1, max: AD_HOC_LIMITS.maxRequests })))
    .addOption(parsedOption('-d, --duration <time>', 'send for this long: 30 (seconds), 500ms, 1.5s, 2m (default 10s)', durationArg({ minMs: 1, maxMs: AD_HOC_LIMITS.maxDurationMs, bareUnit: 's' })))
    .addOption(parsedOption('--rate <req/s>', 'open model: this many requests per second whatever the server does; latency counts from when each was due (corrects coordinated omission)', parseRatePerSec))
    .option('-m, --method <method>', 'HTTP method (default GET, or POST with --body)')
    .option('-H, --header <"Name: value">', 'request header, repeatable', (value: string, previous: string[]) => [...previous, value], [])
    .option('--body <text|@file>', 'request body, or @file to read it from a file (JSON bodies get content-type application/json)')
    .addOption(parsedOption('--timeout <time>', 'per request: time allowed for the response', durationArg({ minMs: 1, maxMs: 600_000, bareUnit: 's' }), { value: 10_000, text: '10s' }))
    .option('--json', 'print the result as JSON (no progress lines)')
    .addHelpText(
      'after',
      `
Without a URL, the load goes to the lab's balancer (a path like /home targets
that path on it). Lines while it runs (stderr; none with -q or --json): seconds,
requests so far, req/s and p50/p99 of the last second, err = errors so far
(status >= 500 or no response), dropped = --rate requests due while too many
were in flight (never sent), then each server's share of the last second.

Examples:
  lblab load                                   50 connections, 10 s, the lab
  lblab load -c 50 -d 30s /home                like wrk -c 50 -d 30s
  lblab load -n 10000 -c 50 --rate 500         open model, 500 req/s
  lblab load -m POST --body '{"n":5}' http://127.0.0.1:8080/register --json`,
    )
    .action(async (url: string | undefined, flags: LoadFlags, command: Command) => {
      const target = await loadTarget(url, labOf(command));
      const body = await bodyOf(flags.body);
      const headers = parseHeaders(flags.header);
      if (body !== undefined && headers['content-type'] === undefined && looksLikeJson(body)) headers['content-type'] = 'application/json';
      const durationMs = flags.requests === undefined ? (flags.duration ?? DEFAULT_DURATION_MS) : flags.duration;
      const stop = new AbortController();
      const onSignal = (): void => stop.abort();
      process.once('SIGINT', onSignal);
      const progress = flags.json !== true && !io.quiet();
      try {
        const result = await runAdHocLoad({
          url: target,
          connections: flags.connections,
          ...(flags.requests === undefined ? {} : { requests: flags.requests }),
          ...(durationMs === undefined ? {} : { durationMs }),
          ...(flags.rate === undefined ? {} : { ratePerSec: flags.rate }),
          method: (flags.method ?? (body === undefined ? 'GET' : 'POST')).toUpperCase(),
          headers,
          ...(body === undefined ? {} : { body }),
          timeoutMs: flags.timeout,
          ...(progress ? { onTick: (tick) => io.err(formatProgressLine(tick)) } : {}),
          signal: stop.signal,
        });
        io.out(flags.json === true ? JSON.stringify(result, null, 2) : `${progress ? '\n' : ''}${formatLoadReport(result)}`);
      } finally {
        process.off('SIGINT', onSignal);
      }
    });
}
