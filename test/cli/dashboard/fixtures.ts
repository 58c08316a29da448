import { emptyDashboardState, type DashboardState, type EventLine, type ServerRow } from '../../../cli/dashboard/dashboard-state.js';

/** 2024-01-02 12:03:04.512 local time, so formatted times are the same in every time zone. */
export const T0 = new Date(2024, 0, 2, 12, 3, 4, 512).getTime();

export function serverRow(name: string, fields: Partial<ServerRow> = {}): ServerRow {
  return {
    name,
    state: 'running',
    health: 'up',
    registered: true,
    requests: 1_000,
    errors: 0,
    inFlight: 0,
    share: 0,
    ratePerSec: 100,
    rateHistory: [100, 120, 90, 110],
    latency: { kind: 'avg', centerMs: 1.5, p99Ms: 8 },
    ...fields,
  };
}

export function servers(count: number, fields: Partial<ServerRow> = {}): ServerRow[] {
  return Array.from({ length: count }, (_, i) => serverRow(`server${i + 1}`, { share: 1 / count, ...fields }));
}

export function events(count: number): EventLine[] {
  return Array.from({ length: count }, (_, i) => ({
    atMs: T0 + i * 1000,
    text: `server${(i % 3) + 1} up -> down`,
    detail: '2 failed checks: connect ECONNREFUSED 127.0.0.1:9001',
    tone: 'bad' as const,
  }));
}

export function labState(fields: Partial<DashboardState> = {}): DashboardState {
  return emptyDashboardState(T0, {
    lab: 'dash',
    runtime: 'process',
    algorithm: 'round-robin',
    connection: { status: 'live', sinceMs: T0 - 5_000 },
    eventStream: 'open',
    totals: { ratePerSec: 412, errorRate: 0, requests: 12_345, errors: 0, inFlight: 3 },
    servers: servers(3),
    ...fields,
  });
}

/** Strips ANSI escapes. */
export function plain(text: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  return (text ?? '').replace(/\u001b\[[0-9;]*m/g, '');
}

/** The line of `frame` that mentions `needle`. */
export function lineWith(frame: string | undefined, needle: string): string {
  return plain(frame).split('\n').find((line) => line.includes(needle)) ?? '';
}

const COLOURS: Record<string, string> = { '31': 'red', '32': 'green', '33': 'yellow', '36': 'cyan', '90': 'gray' };

/** The foreground colour in effect where `word` first starts in a line with ANSI escapes ('default' when none). */
export function colourAt(raw: string, word: string): string {
  let colour = 'default';
  let text = '';
  // eslint-disable-next-line no-control-regex
  for (const part of raw.split(/(\u001b\[[0-9;]*m)/)) {
    // eslint-disable-next-line no-control-regex
    const sgr = /^\u001b\[([0-9;]*)m$/.exec(part);
    if (sgr !== null) {
      for (const code of (sgr[1] ?? '').split(';')) {
        if (code === '39' || code === '0') colour = 'default';
        else if (COLOURS[code] !== undefined) colour = COLOURS[code] ?? colour;
      }
      continue;
    }
    const at = part.indexOf(word);
    if (at >= 0 && !(text + part.slice(0, at)).includes(word)) return colour;
    text += part;
  }
  return 'none';
}
