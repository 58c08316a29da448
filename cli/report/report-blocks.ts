import { balancerLabel } from './balancer-label.js';
import { algorithmLabel } from './algorithm-label.js';
import { formatInteger, formatMs, formatRate, formatSeconds, formatShare, NO_DATA } from './format.js';
import type { RunSummary } from './run-summary.js';
import { runWarnings } from './run-warnings.js';
import { BALANCER_ANSWER_MEANING } from './charts/timeline-chart.js';

/** The chart files a report embeds, relative to the report. */
export interface ReportCharts {
  readonly distribution?: string;
  readonly timeline?: string;
  readonly latency?: string;
  readonly algorithms?: string;
  readonly remap?: string;
}

export type ReportBlock =
  | { readonly kind: 'heading'; readonly level: 1 | 2; readonly text: string }
  | { readonly kind: 'paragraph'; readonly text: string; readonly warning?: boolean }
  | { readonly kind: 'table'; readonly header: readonly string[]; readonly rows: readonly (readonly string[])[]; readonly numericFrom: number }
  | { readonly kind: 'image'; readonly alt: string; readonly file: string };

const SMART = ['power-of-two', 'least-connections'];
const NAIVE = ['round-robin', 'random'];

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * Sentences on the shoot-out: whether the textbook result shows (power-of-two
 * and least-connections with a lower p99 than round-robin and random), the
 * share each sent to the slowest server, and why when it does not show.
 */
export function textbookVerdict(summary: RunSummary): string[] {
  const passes = summary.passes ?? [];
  const pass = (name: string) => passes.find((p) => p.algorithm === name);
  const smart = SMART.map(pass).filter((p) => p !== undefined);
  const naive = NAIVE.map(pass).filter((p) => p !== undefined);
  if (smart.length === 0 || naive.length === 0) return [];
  const servers = [...new Set(passes.flatMap((p) => Object.keys(p.serverP99Ms)))];
  const slowest = servers.sort((a, b) => median(passes.map((p) => p.serverP99Ms[b] ?? 0)) - median(passes.map((p) => p.serverP99Ms[a] ?? 0)))[0] ?? '';
  const shares = [...naive, ...smart].map((p) => `${p.algorithm} ${formatShare(p.shares[slowest] ?? 0)}`).join(', ');
  const worstSmart = Math.max(...smart.map((p) => p.p99Ms));
  const bestNaive = Math.min(...naive.map((p) => p.p99Ms));
  const lines: string[] = [];
  // A worker limit (lab.faults concurrency) is what lets a queue build on a slow server.
  const workers = Object.values(summary.initialFaults ?? {}).some((fault) => /concurrency=[1-9]/.test(fault));
  if (worstSmart < bestNaive) {
    lines.push(
      `The textbook result shows: power-of-two and least-connections keep p99 at or below ${formatMs(worstSmart)} ms, round-robin and random at ${formatMs(bestNaive)} ms or more. Share sent to the slowest server (${slowest}): ${shares}.` +
        (workers
          ? ` Round-robin and random send every server the same share whatever its speed; when that share is more than the slowest server's workers can serve, its queue grows for the whole pass and so does the wait of every request sent there. The load-aware algorithms see the requests piling up on it and send it only what it can carry.`
          : ''),
    );
  } else {
    const healthy = passes.filter((p) => p.dropped === 0 && p.requests > 0);
    const p50s = healthy.map((p) => p.p50Ms);
    const why = !workers
      ? "No server has a worker limit (concurrency in lab.faults): a server's latency is then a sleep that any number of requests share at once, so no queue builds on the slow one and a request sent there is no slower under round-robin than under least-connections; p99 reflects how many requests land on it, not a queue they avoid."
      : runWarnings(summary).length > 0
        ? "lblab itself was saturated during the run (see the warning above): the latency measured is mostly its own event loops', which hides the servers' queues."
        : "The offered rate is within what the slowest server's workers can serve at an even share, so no queue builds on it; the shoot-out shows the difference near 75 % of the lab's capacity (the sum over servers of workers / mean latency).";
    lines.push(
      `The textbook result does not show clearly: the worst p99 of power-of-two and least-connections is ${formatMs(worstSmart)} ms, the best of round-robin and random ${formatMs(bestNaive)} ms. ` +
        `The load-aware algorithms do send less to the slowest server (${slowest}): ${shares}. ${why} ` +
        `The p50 of the passes ranged from ${formatMs(Math.min(...p50s))} to ${formatMs(Math.max(...p50s))} ms.`,
    );
  }
  for (const p of passes) {
    if (p.dropped > 0 || p.p50Ms > 10 * median(passes.map((q) => q.p50Ms))) {
      lines.push(
        `${p.algorithm} queued: it served ${formatRate(p.ratePerSec)} req/s of the rate offered, with p50 ${formatMs(p.p50Ms)} ms and ${formatInteger(p.dropped)} requests dropped. ` +
          (p.algorithm === 'first-available'
            ? "It lets each server hold at most its capacity (algorithmOptions.capacity, default 1) of requests at once, so the lab serves at most capacity / latency per server; beyond that requests wait in the balancer's queue."
            : 'The offered rate was above what it could serve with its split: a server sent more than it can carry queues the excess for the rest of the pass.'),
      );
    }
  }
  return lines;
}

/** The report's content, as blocks that report.md and report.html render. Pure. */
export function buildReportBlocks(summary: RunSummary, charts: ReportCharts): ReportBlock[] {
  const { totals, lab } = summary;
  const any = totals.requests > 0;
  const l = summary.latency;
  const blocks: ReportBlock[] = [{ kind: 'heading', level: 1, text: `${summary.scenario} — ${algorithmLabel(lab)}` }];
  for (const warning of runWarnings(summary)) blocks.push({ kind: 'paragraph', text: `⚠ ${warning.replace(/^warning: /, '')}`, warning: true });
  blocks.push({
    kind: 'table',
    header: ['setting', 'value'],
    numericFrom: 9,
    rows: [
      ['started', summary.startedAt],
      ['duration', formatSeconds(summary.durationMs)],
      ['seed', String(summary.seed ?? 'none')],
      ['servers', `${lab.servers.length} (${lab.servers.join(', ')})`],
      ['app', lab.app ?? NO_DATA],
      ['runtime', lab.runtime ?? NO_DATA],
      ['balancer', balancerLabel(summary)],
      ['algorithm', algorithmLabel(lab)],
      ...(summary.phases ?? []).map((phase) => [`phase ${phase.name}`, `${phase.description} (${formatSeconds(phase.startMs)}–${formatSeconds(phase.endMs)})`]),
      ...Object.entries(summary.initialFaults ?? {}).map(([server, fault]) => [`fault from the start`, `${server}: ${fault}`]),
      ...(summary.recording === undefined ? [] : [['request schedule', summary.recording]]),
    ],
  });
  blocks.push({
    kind: 'table',
    header: ['requests', 'errors', 'dropped', 'cancelled', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms'],
    numericFrom: 0,
    rows: [[formatInteger(totals.requests), formatInteger(totals.errors), formatInteger(totals.dropped), formatInteger(totals.cancelled), formatRate(totals.ratePerSec), formatMs(l.p50Ms, any), formatMs(l.p90Ms, any), formatMs(l.p99Ms, any), formatMs(l.p999Ms, any), formatMs(l.maxMs, any)]],
  });

  const passes = summary.passes ?? [];
  if (passes.length > 0) {
    const names = [...new Set(passes.flatMap((pass) => Object.keys(pass.shares)))];
    blocks.push({ kind: 'heading', level: 2, text: 'By algorithm' });
    blocks.push({
      kind: 'table',
      header: ['algorithm', 'requests', 'req/s', 'errors', 'dropped', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms', ...names.map((name) => `${name} share`)],
      numericFrom: 1,
      rows: passes.map((pass) => {
        const has = pass.requests > 0;
        return [pass.algorithm, formatInteger(pass.requests), formatRate(pass.ratePerSec), formatInteger(pass.errors), formatInteger(pass.dropped), formatMs(pass.p50Ms, has), formatMs(pass.p90Ms, has), formatMs(pass.p99Ms, has), formatMs(pass.p999Ms, has), formatMs(pass.maxMs, has), ...names.map((name) => formatShare(pass.shares[name] ?? 0))];
      }),
    });
    for (const line of textbookVerdict(summary)) blocks.push({ kind: 'paragraph', text: line });
  } else {
    blocks.push({ kind: 'heading', level: 2, text: 'Servers' });
    blocks.push({
      kind: 'table',
      header: ['server', 'requests', 'share', 'errors', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms'],
      numericFrom: 1,
      rows: summary.servers.map((s) => {
        const has = s.requests > 0 && !s.name.startsWith('(no response');
        return [s.name, formatInteger(s.requests), formatShare(s.share), formatInteger(s.errors), formatMs(s.p50Ms, has), formatMs(s.p90Ms, has), formatMs(s.p99Ms, has), formatMs(s.p999Ms, has), formatMs(s.maxMs, has)];
      }),
    });
    if (summary.servers.some((s) => s.name === '(none)')) {
      blocks.push({ kind: 'paragraph', text: '`(none)`: answers without X-Server-Id, i.e. the balancer answered itself (502 server failed, 503 no server available, 504 server timed out). `(no response)`: requests that got no answer at all.' });
    }
  }

  blocks.push({ kind: 'heading', level: 2, text: 'Statuses' });
  blocks.push({
    kind: 'table',
    header: ['status', 'requests'],
    numericFrom: 1,
    rows: [
      ...Object.entries(summary.statuses).map(([status, count]) => [BALANCER_ANSWER_MEANING[status] === undefined ? status : `${status} (${BALANCER_ANSWER_MEANING[status]})`, formatInteger(count)]),
      ...Object.entries(summary.errorCodes).map(([code, count]) => [`no response: ${code}`, formatInteger(count)]),
    ],
  });

  const failover = summary.failover ?? [];
  if (failover.length > 0) {
    const ms = (value: number | null): string => (value === null ? NO_DATA : formatInteger(value));
    blocks.push({ kind: 'heading', level: 2, text: 'Failover' });
    blocks.push({
      kind: 'table',
      header: ['at', 'action', 'server', 'marked down/up after ms', 'last/first response after ms', 'errors leaked', 'their statuses'],
      numericFrom: 3,
      rows: failover.map((row) => [
        formatSeconds(row.atMs),
        row.action,
        row.server,
        `${row.direction === 'down' ? 'down' : 'up'} ${ms(row.markedMs)}`,
        `${row.direction === 'down' ? 'last' : 'first'} ${ms(row.servedMs)}`,
        row.direction === 'down' ? formatInteger(row.errorsLeaked) : NO_DATA,
        Object.entries(row.leakedStatuses).map(([status, count]) => `${status}: ${formatInteger(count)}`).join(', ') || NO_DATA,
      ]),
    });
    blocks.push({ kind: 'paragraph', text: 'Times count from the action. Errors leaked: errors clients got from the action until the balancer stopped sending to the server (the later of marked down and its last response). The timeline shades these windows.' });
  }

  const remap = summary.remap ?? [];
  if (remap.length > 0) {
    blocks.push({ kind: 'heading', level: 2, text: 'Keys remapped' });
    blocks.push({
      kind: 'table',
      header: ['at', 'change', 'keys compared', 'moved', 'moved %', 'ideal 1/N', `via the changed server`],
      numericFrom: 2,
      rows: remap.map((row) => [formatSeconds(row.atMs), `${row.action} ${row.server}`, formatInteger(row.keysCompared), formatInteger(row.keysMoved), formatShare(row.movedFraction), formatShare(row.idealFraction), `${formatInteger(row.movedViaChanged)} of ${formatInteger(row.keysMoved)}`]),
    });
    blocks.push({ kind: 'paragraph', text: 'From the keys the generator sent: each key\'s server before the change against its server after it took effect. With consistent hashing only the changed server\'s keys should move: about 1/N, all of them to (add) or from (rm) that server.' });
  }

  blocks.push({ kind: 'heading', level: 2, text: 'Thresholds' });
  if (summary.thresholds.length === 0) blocks.push({ kind: 'paragraph', text: 'No thresholds.' });
  else blocks.push({ kind: 'table', header: ['result', 'threshold', 'expected', 'measured'], numericFrom: 4, rows: summary.thresholds.map((t) => [t.pass ? '✅ pass' : '❌ fail', t.name, t.expected, typeof t.measured === 'number' ? t.measured.toLocaleString('en-US', { maximumFractionDigits: 4 }) : t.measured]) });

  blocks.push({ kind: 'heading', level: 2, text: 'Actions and health changes' });
  const events = [
    ...summary.actions.map((a) => ({ atMs: a.atMs, text: `${a.action} ${a.target}`, kind: 'action' })),
    ...summary.healthChanges.map((h) => ({ atMs: h.atMs, text: `${h.server} ${h.health}`, kind: 'health (balancer)' })),
  ].sort((a, b) => a.atMs - b.atMs);
  if (events.length === 0) blocks.push({ kind: 'paragraph', text: 'None.' });
  else blocks.push({ kind: 'table', header: ['at', 'event', 'kind'], numericFrom: 3, rows: events.map((e) => [`${(e.atMs / 1000).toFixed(2)}s`, e.text, e.kind]) });

  const images: ReportBlock[] = [];
  if (charts.algorithms !== undefined) images.push({ kind: 'image', alt: 'Share per server and latency by algorithm', file: charts.algorithms });
  if (charts.timeline !== undefined) images.push({ kind: 'image', alt: 'Responses per second: total, per server, errors; actions, health changes and failover windows marked', file: charts.timeline });
  if (charts.latency !== undefined) images.push({ kind: 'image', alt: 'Latency by percentile, overall and per server', file: charts.latency });
  if (charts.distribution !== undefined) images.push({ kind: 'image', alt: 'Requests per server against the even share', file: charts.distribution });
  if (charts.remap !== undefined) images.push({ kind: 'image', alt: 'Keys that changed server at each add and rm', file: charts.remap });
  if (images.length > 0) blocks.push({ kind: 'heading', level: 2, text: 'Charts' }, ...images);
  return blocks;
}
