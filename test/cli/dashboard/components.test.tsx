import './force-color.js';
import { renderToString } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, test } from 'vitest';
import type { DashboardState } from '../../../cli/dashboard/dashboard-state.js';
import { DashboardView } from '../../../cli/dashboard/dashboard-view.js';
import { dedupeEvents } from '../../../cli/dashboard/dedupe-events.js';
import { EventLog } from '../../../cli/dashboard/event-log.js';
import { Header } from '../../../cli/dashboard/header.js';
import { RunProgressLine } from '../../../cli/dashboard/run-progress.js';
import { ServerTable } from '../../../cli/dashboard/server-table.js';
import { Summary } from '../../../cli/dashboard/summary.js';
import { T0, colourAt, events, labState, lineWith, plain, serverRow, servers } from './fixtures.js';


function rawLineWith(frame: string | undefined, needle: string): string {
  return (frame ?? '').split('\n').find((line) => plain(line).includes(needle)) ?? '';
}

/** The worst case for height: lost balancer (banner), a run in progress, many events. */
function busyState(count: number): DashboardState {
  return labState({
    servers: servers(count, { rateHistory: Array.from({ length: 120 }, (_, i) => i % 9) }),
    events: events(50),
    latency: { p50Ms: 1.2, p99Ms: 8 },
    connection: { status: 'lost', sinceMs: T0 - 12_000, reason: 'connect ECONNREFUSED 127.0.0.1:8081', attempts: 7 },
    run: {
      scenario: 'kill-one',
      progress: { phase: 'steady', phaseIndex: 1, phaseCount: 3, elapsedMs: 12_000, totalMs: 30_000 },
      finishedPhases: [],
      summary: undefined,
      resultsDir: undefined,
    },
  });
}

describe('ServerTable', () => {
  test('a server going down changes its row: state, health text and colour', () => {
    const rows = servers(3);
    const { lastFrame, rerender } = render(<ServerTable servers={rows} width={80} selected={0} maxRows={8} />);
    expect(lineWith(lastFrame(), 'server2')).toMatch(/^ {2}server2 +running +up +1,000 /);
    expect(colourAt(rawLineWith(lastFrame(), 'server2'), 'up')).toBe('green');

    rerender(
      <ServerTable
        servers={rows.map((row) => (row.name === 'server2' ? { ...row, state: 'stopped', health: 'down' } : row))}
        width={80}
        selected={0}
        maxRows={8}
      />,
    );
    expect(lineWith(lastFrame(), 'server2')).toMatch(/^ {2}server2 +stopped +down +1,000 /);
    expect(colourAt(rawLineWith(lastFrame(), 'server2'), 'down')).toBe('red');
    expect(colourAt(rawLineWith(lastFrame(), 'server1'), 'up')).toBe('green');
  });

  test('an ejected server is yellow, and the selected row carries the marker', () => {
    const rows = [serverRow('server1'), serverRow('server2', { health: 'ejected' })];
    const { lastFrame } = render(<ServerTable servers={rows} width={80} selected={1} maxRows={8} />);
    expect(colourAt(rawLineWith(lastFrame(), 'server2'), 'ejected')).toBe('yellow');
    expect(lineWith(lastFrame(), 'server2')).toMatch(/^› server2/);
    expect(lineWith(lastFrame(), 'server1')).toMatch(/^ {2}server1/);
  });

  test('share bars and sparklines render for given data', () => {
    const rows = [
      serverRow('server1', { share: 1, rateHistory: [1, 2, 3, 4, 5, 6, 7, 8], ratePerSec: 8 }),
      serverRow('server2', { share: 0.5, rateHistory: [8, 8, 0, 0], ratePerSec: 0 }),
      serverRow('server3', { share: 0, rateHistory: [] }),
    ];
    const { lastFrame } = render(<ServerTable servers={rows} width={80} selected={-1} maxRows={8} />);
    // 80 columns leave a 6-column bar and an 11-column sparkline.
    expect(lineWith(lastFrame(), 'server1')).toContain('██████ 100%');
    expect(lineWith(lastFrame(), 'server1')).toContain('▁▂▃▄▅▆▇█');
    expect(lineWith(lastFrame(), 'server2')).toContain('███     50%');
    // One scale for all rows: server2's 8s are full blocks, its idle seconds blanks.
    expect(lineWith(lastFrame(), 'server2')).toMatch(/██ {2} +1\.5\/8\.0/);
    expect(lineWith(lastFrame(), 'server3')).toMatch(/ {7}0%/);
  });

  test('with more servers than rows it shows a window around the selection', () => {
    const { lastFrame } = render(<ServerTable servers={servers(12)} width={80} selected={9} maxRows={5} />);
    const frame = plain(lastFrame());
    expect(frame).toContain('› server10');
    expect(frame).not.toContain('server1 ');
    expect(frame).toContain('… 8 more');
    expect(frame.split('\n')).toHaveLength(6);
  });
});

describe('EventLog', () => {
  test('shows a kill once (the run\'s note and the runtime\'s report folded) and the health change it caused, newest last, with times', () => {
    const lines = [
      ...events(10),
      { atMs: T0 + 20_000, text: 'kill server2', tone: 'action' as const },
      { atMs: T0 + 20_040, text: 'killed server2 (SIGKILL)', tone: 'action' as const },
      { atMs: T0 + 21_100, text: 'server2 up -> down', detail: '2 failed checks: ECONNREFUSED', tone: 'bad' as const },
    ];
    const { lastFrame } = render(<EventLog events={lines} width={80} maxLines={4} />);
    const frame = plain(lastFrame()).split('\n');
    expect(frame[0]).toMatch(/^─ events ─+$/);
    expect(frame.slice(1)).toEqual([
      '12:03:12.512 server3 up -> down  2 failed checks: connect ECONNREFUSED 127.0.0.…',
      '12:03:13.512 server1 up -> down  2 failed checks: connect ECONNREFUSED 127.0.0.…',
      '12:03:24.512 killed server2 (SIGKILL)',
      '12:03:25.612 server2 up -> down  2 failed checks: ECONNREFUSED',
    ]);
    expect(colourAt(rawLineWith(lastFrame(), '12:03:25.612'), 'server2 up -> down')).toBe('red');
  });
});

describe('dedupeEvents', () => {
  test('folds the balancer\'s algorithm event into the run\'s note, keeps failures apart', () => {
    const folded = dedupeEvents([
      { atMs: T0, text: 'algorithm random', tone: 'action' },
      { atMs: T0 + 30, text: 'algorithm round-robin -> random', tone: 'info' },
      { atMs: T0 + 50, text: 'revive server1', tone: 'action' },
      { atMs: T0 + 60, text: 'revive server1 failed: it is running', tone: 'bad' },
      { atMs: T0 + 9_000, text: 'algorithm -> random', tone: 'info' },
    ]);
    expect(folded.map((event) => event.text)).toEqual(['algorithm round-robin -> random', 'revive server1', 'revive server1 failed: it is running', 'algorithm -> random']);
  });
});

describe('Header', () => {
  test('shows lab, runtime, algorithm, rate, error rate, latency and a live badge', () => {
    const { lastFrame } = render(<Header state={labState({ latency: { p50Ms: 1.2, p99Ms: 8 } })} width={80} />);
    const [title, figures] = plain(lastFrame()).split('\n');
    expect(title).toMatch(/^lblab · lab dash · process · round-robin +● live$/);
    expect(figures).toBe('412 req/s  err 0.0%  p50 1.2ms  p99 8.0ms  in flight 3  total 12,345');
  });

  test('a lost balancer shows a red banner with since-time, reason and attempts', () => {
    const state = labState({
      nowMs: T0 + 12_000,
      connection: { status: 'lost', sinceMs: T0, reason: 'connect ECONNREFUSED 127.0.0.1:8081', attempts: 7 },
    });
    const { lastFrame } = render(<Header state={state} width={100} />);
    const frame = plain(lastFrame());
    expect(frame.split('\n')[0]).toMatch(/✖ lost 12s$/);
    expect(frame).toContain('balancer unreachable since 12:03:04: connect ECONNREFUSED 127.0.0.1:8081 — retrying (attempt 7)');
    expect(colourAt(rawLineWith(lastFrame(), 'balancer unreachable'), 'balancer unreachable')).toBe('red');
  });
});

describe('DashboardView layout', () => {
  test('80×24: six servers fit, no line longer than 80, at most 23 lines', () => {
    const frame = plain(renderToString(<DashboardView state={busyState(6)} width={80} height={24} selected={0} actions />, { columns: 80 }));
    const lines = frame.split('\n');
    for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(80);
    expect(lines.length).toBeLessThanOrEqual(23);
    for (let i = 1; i <= 6; i++) expect(frame).toContain(`server${i} `);
    expect(frame).toContain('balancer unreachable');
    expect(frame).toContain('phase 2/3 steady');
    expect(lines.at(-1)).toBe('q quit  ↑/↓ select  k kill  r revive  a next algorithm');
  });

  test('a saturated balancer: the warning under the header, wrapped to 80 columns, still within 23 lines', () => {
    const saturation = "warning: the balancer is saturated (event loop 97% busy, delay p99 140 ms): these figures reflect lblab's limits, not the servers' or the algorithm's";
    const { lastFrame, rerender } = render(<DashboardView state={labState({ servers: servers(6), events: events(50), saturation })} width={80} height={24} selected={0} actions />);
    const lines = plain(lastFrame()).split('\n');
    expect(lines[2]).toMatch(/^warning: the balancer is saturated \(event loop 97% busy, delay p99 140 ms\)/);
    expect(lines.join(' ')).toContain("not the servers' or the algorithm's");
    expect(lines.length).toBeLessThanOrEqual(23);
    for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(80);
    for (let i = 1; i <= 6; i++) expect(lines.join('\n')).toContain(`server${i} `);
    rerender(<DashboardView state={labState({ servers: servers(6), events: events(50) })} width={80} height={24} selected={0} actions />);
    expect(plain(lastFrame())).not.toContain('saturated');
  });

  test('80×24 with the ink-testing-library renderer as well (no lost banner, no run)', () => {
    const { lastFrame } = render(<DashboardView state={labState({ servers: servers(6), events: events(50) })} width={80} height={24} selected={0} actions />);
    const lines = plain(lastFrame()).split('\n');
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
    expect(lines.length).toBeLessThanOrEqual(23);
    expect(lines.filter((line) => /^\d\d:\d\d:\d\d\.\d{3} /.test(line)).length).toBeGreaterThanOrEqual(6);
  });

  test('a wider terminal widens the bars and the sparklines', () => {
    const state = labState({ servers: [serverRow('server1', { share: 1, rateHistory: Array.from({ length: 120 }, () => 5) })] });
    const at = (columns: number): string =>
      lineWith(renderToString(<DashboardView state={state} width={columns} height={24} selected={0} actions />, { columns }), 'server1');
    const narrow = at(80);
    const wide = at(160);
    const count = (line: string, glyph: string): number => [...line].filter((c) => c === glyph).length;
    expect(count(narrow, '█')).toBe(6 + 11);
    expect(count(wide, '█')).toBeGreaterThan(count(narrow, '█') + 50);
    expect([...wide].length).toBe(160);
  });

  test('any number of servers fits 80×24, with or without banner and run', () => {
    for (let count = 0; count <= 12; count++) {
      for (const state of [labState({ servers: servers(count), events: events(50) }), busyState(count)]) {
        const lines = plain(renderToString(<DashboardView state={state} width={80} height={24} selected={0} actions />, { columns: 80 })).split('\n');
        expect(lines.length, `${count} servers`).toBeLessThanOrEqual(23);
        for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
      }
    }
  });

  test('many servers are windowed so the screen still fits 24 rows', () => {
    const frame = plain(renderToString(<DashboardView state={busyState(20)} width={80} height={24} selected={15} actions />, { columns: 80 }));
    expect(frame.split('\n').length).toBeLessThanOrEqual(23);
    expect(frame).toContain('› server16');
    expect(frame).toMatch(/… \d+ more/);
  });
});

describe('RunProgressLine', () => {
  test('phase, elapsed / total, a bar, percent and time left', () => {
    const { lastFrame } = render(
      <RunProgressLine progress={{ phase: 'kill-one', phaseIndex: 1, phaseCount: 3, elapsedMs: 12_000, totalMs: 30_000 }} width={80} />,
    );
    const line = plain(lastFrame());
    expect(line).toMatch(/^phase 2\/3 kill-one {2}0:12 \/ 0:30 {2}█+░+ {2} 40% {2}0:18 left$/);
    expect([...line].length).toBeLessThanOrEqual(80);
  });
});

describe('Summary', () => {
  test('shows the totals, latency, servers, thresholds and where results were written', () => {
    const { lastFrame } = render(
      <Summary
        scenario="kill-one"
        width={80}
        resultsDir="results/2024-01-02T12-03-04-kill-one"
        summary={{
          requests: 12_345,
          errors: 12,
          durationMs: 30_000,
          latency: { p50Ms: 1.2, p90Ms: 4, p99Ms: 8, maxMs: 40 },
          byServer: { server2: { requests: 4_000, errors: 12 }, server1: { requests: 8_345, errors: 0 } },
          thresholds: [
            { name: 'p99 < 200ms', passed: true },
            { name: 'errors < 0.05%', passed: false, detail: 'was 0.10%' },
          ],
        }}
      />,
    );
    const frame = plain(lastFrame());
    expect(frame).toContain('─ run finished: kill-one ─');
    expect(frame).toContain('12,345 requests in 0:30  412 req/s  errors 12 (0.1%)');
    expect(frame).toContain('latency  p50 1.2ms  p90 4.0ms  p99 8.0ms  max 40.0ms');
    expect(frame).toMatch(/server1 +8,345 +68% █+/);
    expect(frame).toMatch(/server2 +4,000 +32% █+.* 12 err/);
    expect(frame.indexOf('server1')).toBeLessThan(frame.indexOf('server2'));
    expect(frame).toContain('✔ p99 < 200ms');
    expect(frame).toContain('✖ errors < 0.05%  was 0.10%');
    expect(frame).toContain('results  results/2024-01-02T12-03-04-kill-one');
  });
});
