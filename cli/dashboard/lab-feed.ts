import { connectionsAsRequests } from './tcp-counts.js';
import type { BalancerEvent, BalancerStats, ServerHealth } from '../../balancer/api-types.js';
import { bearerHeaders } from '../lab/lab-token.js';
import { naturalCompare } from '../load/natural-compare.js';
import { saturationWarning } from '../report/run-warnings.js';
import type { LabMember } from '../runtime/runtime.js';
import { appendBounded } from './bounded.js';
import { addSample, sampleOf, windowRates, type CounterSample } from './counter-window.js';
import {
  emptyDashboardState,
  type ConnectionState,
  type DashboardSource,
  type DashboardState,
  type EventLine,
  type EventTone,
  type ServerRow,
} from './dashboard-state.js';
import { describeEvent, isBalancerEvent } from './describe-event.js';
import { authHeaders, describeFailure, undiciTransport, type AdminTransport } from '../lab/admin-transport.js';
import { BalancerEventsClient } from '../lab/balancer-events-client.js';

export interface LabFeedOptions {
  readonly lab: string;
  readonly runtime?: string;
  /** e.g. http://127.0.0.1:8081 */
  readonly adminUrl: string;
  /** The lab's admin token, sent as Authorization: Bearer. */
  readonly token?: string;
  /** Asked again while the balancer is unreachable, in case the lab came back on another port; undefined: the lab is down. */
  readonly resolveAdminUrl?: () => Promise<string | undefined>;
  /** The runtime's view of the lab (running, stopped, paused). */
  readonly listMembers?: () => Promise<readonly LabMember[]>;
  /** HTTP GET on the admin API (default: undici's request); tests pass a fake. */
  readonly transport?: AdminTransport;
  /** Epoch ms. */
  readonly now?: () => number;
  /** GET /stats every this often (default 250). */
  readonly statsIntervalMs?: number;
  /** runtime.list every this often (default 1000). */
  readonly membersIntervalMs?: number;
  /** Requests per second are measured over this window (default 1000). */
  readonly rateWindowMs?: number;
  /** One sparkline point per this interval (default 1000). */
  readonly historyIntervalMs?: number;
  /** Sparkline points kept per server (default 120). */
  readonly historyCapacity?: number;
  /** Event-log lines kept (default 50). */
  readonly maxEvents?: number;
  /** Per request to the admin API; for /events, until the headers arrive (default 2000). */
  readonly requestTimeoutMs?: number;
  /** Waits between retries after failures, the last one repeating (default 500, 1000, 2000). */
  readonly retryDelaysMs?: readonly number[];
  /** Failed /stats polls in a row before a live connection counts as lost (default 2). */
  readonly lostAfterFailures?: number;
  /** On first connect, replay balancer events this far back (default 60000). */
  readonly eventsLookbackMs?: number;
}

const DEFAULTS = {
  statsIntervalMs: 250,
  membersIntervalMs: 1_000,
  rateWindowMs: 1_000,
  historyIntervalMs: 1_000,
  historyCapacity: 120,
  maxEvents: 50,
  requestTimeoutMs: 2_000,
  retryDelaysMs: [500, 1_000, 2_000],
  lostAfterFailures: 2,
  eventsLookbackMs: 60_000,
};

/**
 * Watches a lab for the dashboard: polls the balancer's GET /stats (every
 * 250 ms) and the runtime's member list (every second), follows GET /events
 * (server-sent events, reconnecting), and keeps one immutable DashboardState
 * snapshot with per-server requests/second, sparkline history, shares and
 * the latest events. An unreachable balancer is a state, not an error: the
 * feed keeps retrying until stop().
 */
export class LabFeed implements DashboardSource {
  private readonly options: LabFeedOptions & typeof DEFAULTS;
  private readonly transport: AdminTransport;
  private readonly now: () => number;
  private readonly listeners = new Set<() => void>();
  private readonly stopController = new AbortController();
  private state: DashboardState;
  private adminUrl: string;
  private started = false;
  private stopped = false;
  private statsTimer: NodeJS.Timeout | undefined;
  private membersTimer: NodeJS.Timeout | undefined;
  private events: BalancerEventsClient | undefined;
  private statsInFlight = false;
  private statsPolls = 0;
  private readonly pollWaiters: { count: number; resolve: () => void }[] = [];
  private samples: readonly CounterSample[] = [];
  private histories = new Map<string, readonly number[]>();
  private lastHistoryAtMs: number | undefined;
  private stats: BalancerStats | undefined;
  private members: readonly LabMember[] | undefined;
  private failures = 0;
  private failingSinceMs = 0;
  private readonly healthFromEvents = new Map<string, ServerHealth>();

  constructor(options: LabFeedOptions) {
    this.options = { ...DEFAULTS, ...stripUndefined(options) } as LabFeedOptions & typeof DEFAULTS;
    this.transport = options.transport ?? undiciTransport;
    this.now = options.now ?? Date.now;
    this.adminUrl = options.adminUrl;
    const nowMs = this.now();
    this.state = emptyDashboardState(nowMs, {
      lab: options.lab,
      runtime: options.runtime,
      connection: { status: 'connecting', sinceMs: nowMs },
      eventStream: 'connecting',
    });
  }

  /** Starts polling and streaming. Idempotent. */
  start(): this {
    if (this.started || this.stopped) return this;
    this.started = true;
    void this.statsLoop();
    if (this.options.listMembers !== undefined) void this.membersLoop();
    this.events = new BalancerEventsClient({
      adminUrl: () => this.adminUrl,
      ...(this.options.token === undefined ? {} : { token: this.options.token }),
      transport: this.transport,
      sinceMs: this.now() - this.options.eventsLookbackMs,
      headersTimeoutMs: this.options.requestTimeoutMs,
      retryDelaysMs: this.options.retryDelaysMs,
      onEvent: (event) => this.onEvent(event),
      onStatus: (status) => this.setEventStream(status === 'open' ? 'open' : 'retrying'),
    }).start();
    return this;
  }

  /** Stops every timer and aborts every request and stream. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.statsTimer);
    clearTimeout(this.membersTimer);
    this.stopController.abort();
    void this.events?.close();
    for (const waiter of this.pollWaiters.splice(0)) waiter.resolve();
  }

  [Symbol.dispose](): void {
    this.stop();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): DashboardState => this.state;

  note(text: string, tone: EventTone = 'action', detail?: string): void {
    this.pushEvent({ atMs: this.now(), text, tone, ...(detail === undefined ? {} : { detail }) });
    this.emit();
  }

  /** Polls /stats now, unless a poll is under way. */
  refresh(): void {
    if (!this.started || this.stopped || this.statsInFlight) return;
    clearTimeout(this.statsTimer);
    void this.statsLoop();
  }

  /** Resolves once `count` /stats polls (successful or not) have completed since start, or on stop. */
  polled(count = 1): Promise<void> {
    if (this.statsPolls >= count || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.pollWaiters.push({ count, resolve }));
  }

  // --- /stats -------------------------------------------------------------

  private async statsLoop(): Promise<void> {
    if (this.stopped) return;
    this.statsInFlight = true;
    try {
      await this.pollStats();
    } finally {
      this.statsInFlight = false;
    }
    this.statsPolls += 1;
    for (let i = this.pollWaiters.length - 1; i >= 0; i--) {
      const waiter = this.pollWaiters[i];
      if (waiter !== undefined && waiter.count <= this.statsPolls) {
        this.pollWaiters.splice(i, 1);
        waiter.resolve();
      }
    }
    if (this.stopped) return;
    const delayMs = this.state.connection?.status === 'lost' ? this.retryDelay(this.failures) : this.options.statsIntervalMs;
    this.statsTimer = setTimeout(() => void this.statsLoop(), delayMs);
  }

  private async pollStats(): Promise<void> {
    const timeoutMs = this.options.requestTimeoutMs;
    let stats: BalancerStats;
    try {
      if (this.state.connection?.status === 'lost' && this.options.resolveAdminUrl !== undefined) {
        const adminUrl = await this.options.resolveAdminUrl();
        if (adminUrl === undefined) throw new Error(`lab ${this.options.lab} is down`);
        if (adminUrl !== this.adminUrl) {
          this.adminUrl = adminUrl;
          this.events?.reconnect();
        }
      }
      const signal = AbortSignal.any([this.stopController.signal, AbortSignal.timeout(timeoutMs)]);
      const response = await this.transport(`${this.adminUrl}/stats`, {
        signal,
        headers: authHeaders(this.options.token),
        headersTimeoutMs: timeoutMs,
      });
      if (response.status !== 200) {
        await response.dump().catch(() => undefined);
        throw new Error(`GET /stats answered ${response.status}${response.status === 401 ? ' (the admin token was refused)' : ''}`);
      }
      stats = JSON.parse(await response.text()) as BalancerStats;
      if (!Array.isArray(stats.servers) || typeof stats.totals !== 'object') throw new Error('GET /stats answered an unexpected shape');
    } catch (error) {
      if (!this.stopped) this.onStatsFailure(describeFailure(error, timeoutMs));
      return;
    }
    if (!this.stopped) this.onStats(stats);
  }

  private onStats(received: BalancerStats): void {
    const stats = connectionsAsRequests(received);
    const nowMs = this.now();
    const previous = this.state.connection;
    if (previous?.status === 'lost') this.pushEvent({ atMs: nowMs, text: 'balancer reachable again', tone: 'good' });
    this.failures = 0;
    this.stats = stats;
    this.samples = addSample(this.samples, sampleOf(stats, nowMs), this.options.rateWindowMs);
    this.recordHistory(nowMs, stats);
    const connection: ConnectionState = previous?.status === 'live' ? previous : { status: 'live', sinceMs: nowMs };
    this.rebuild(nowMs, connection);
  }

  private onStatsFailure(reason: string): void {
    const nowMs = this.now();
    if (this.failures === 0) this.failingSinceMs = nowMs;
    this.failures += 1;
    const previous = this.state.connection;
    let connection = previous;
    if (previous?.status === 'lost') {
      connection = { ...previous, reason, attempts: this.failures };
    } else if (previous?.status !== 'live' || this.failures >= this.options.lostAfterFailures) {
      connection = { status: 'lost', sinceMs: this.failingSinceMs, reason, attempts: this.failures };
      this.pushEvent({ atMs: nowMs, text: 'balancer unreachable', detail: reason, tone: 'bad' });
      // Rates from before the loss say nothing about now; a stalled event stream would never notice.
      this.samples = [];
      this.lastHistoryAtMs = undefined;
      this.events?.reconnect();
    }
    this.rebuild(nowMs, connection);
  }

  private recordHistory(nowMs: number, stats: BalancerStats): void {
    if (this.lastHistoryAtMs === undefined) {
      this.lastHistoryAtMs = nowMs;
      return;
    }
    if (nowMs - this.lastHistoryAtMs < this.options.historyIntervalMs) return;
    this.lastHistoryAtMs = nowMs;
    const rates = windowRates(this.samples);
    const next = new Map<string, readonly number[]>();
    for (const server of stats.servers) {
      const rate = rates.byServer.get(server.name)?.ratePerSec ?? 0;
      next.set(server.name, appendBounded(this.histories.get(server.name) ?? [], rate, this.options.historyCapacity));
    }
    this.histories = next;
  }

  // --- runtime members ------------------------------------------------------

  private async membersLoop(): Promise<void> {
    const listMembers = this.options.listMembers;
    if (this.stopped || listMembers === undefined) return;
    try {
      const members = await listMembers();
      if (!this.stopped) {
        this.members = members;
        this.rebuild(this.now(), this.state.connection);
      }
    } catch {
      // Keep the last known states; the next poll tries again.
    }
    if (this.stopped) return;
    this.membersTimer = setTimeout(() => void this.membersLoop(), this.options.membersIntervalMs);
  }

  // --- /events ------------------------------------------------------------

  private onEvent(event: BalancerEvent): void {
    if (this.stopped || !isBalancerEvent(event)) return;
    const server = event.server;
    let previous: ServerHealth | undefined;
    if (server !== undefined) {
      previous = this.healthFromEvents.get(server) ?? this.stats?.servers.find((s) => s.name === server)?.health;
      if (event.type === 'health' && event.health !== undefined) this.healthFromEvents.set(server, event.health);
      if (event.type === 'ejected') this.healthFromEvents.set(server, 'ejected');
      if (event.type === 'removed') this.healthFromEvents.delete(server);
    }
    this.pushEvent(describeEvent(event, previous));
    this.emit();
  }

  private setEventStream(eventStream: DashboardState['eventStream']): void {
    if (this.state.eventStream === eventStream) return;
    this.state = { ...this.state, eventStream };
    this.emit();
  }

  // --- snapshot -----------------------------------------------------------

  private retryDelay(failures: number): number {
    const delays = this.options.retryDelaysMs;
    return delays[Math.min(Math.max(failures - 1, 0), delays.length - 1)] ?? 1_000;
  }

  private pushEvent(line: EventLine): void {
    this.state = { ...this.state, events: appendBounded(this.state.events, line, this.options.maxEvents) };
  }

  private rebuild(nowMs: number, connection: ConnectionState | undefined): void {
    const stats = this.stats;
    const members = this.members;
    const rates = windowRates(this.samples);
    const names = new Set<string>(stats?.servers.map((s) => s.name) ?? []);
    for (const member of members ?? []) if (member.role === 'server') names.add(member.name);
    const recentTotal = [...rates.byServer.values()].reduce((sum, r) => sum + r.requests, 0);
    const allTotal = stats?.servers.reduce((sum, s) => sum + s.requests, 0) ?? 0;
    const servers = [...names].sort(naturalCompare).map((name): ServerRow => {
      const seen = stats?.servers.find((s) => s.name === name);
      const member = members?.find((m) => m.role === 'server' && m.name === name);
      const recent = rates.byServer.get(name);
      const requests = seen?.requests ?? 0;
      return {
        name,
        state: member?.state ?? (members === undefined ? 'unknown' : 'missing'),
        // While the balancer is unreachable its last word on health is not news.
        health: connection?.status === 'lost' ? 'unknown' : (seen?.health ?? 'unknown'),
        registered: seen !== undefined,
        requests,
        errors: seen?.errors ?? 0,
        inFlight: seen?.inFlight ?? 0,
        share: recentTotal > 0 ? (recent?.requests ?? 0) / recentTotal : allTotal > 0 ? requests / allTotal : 0,
        ratePerSec: recent?.ratePerSec ?? 0,
        rateHistory: this.histories.get(name) ?? [],
        latency: seen === undefined || stats?.mode === 'tcp' ? undefined : { kind: 'avg', centerMs: seen.avgLatencyMs, p99Ms: seen.p99LatencyMs },
      };
    });
    const totals = stats?.totals;
    const saturation = connection?.status === 'lost' ? undefined : saturationWarning('balancer', stats?.saturation, 'is');
    const { saturation: _previous, ...rest } = this.state;
    this.state = {
      ...rest,
      ...(saturation === undefined ? {} : { saturation }),
      algorithm: stats?.algorithm ?? this.state.algorithm,
      ...(stats?.mode === 'tcp' ? { mode: 'tcp' as const, ...(stats.connections === undefined ? {} : { bytes: { toServers: stats.connections.bytesToServers, toClients: stats.connections.bytesToClients } }) } : {}),
      connection,
      totals: {
        ratePerSec: rates.ratePerSec,
        errorRate:
          rates.requests > 0 ? rates.errors / rates.requests : totals !== undefined && totals.requests > 0 ? totals.errors / totals.requests : 0,
        requests: totals?.requests ?? 0,
        errors: totals?.errors ?? 0,
        inFlight: totals?.inFlight ?? 0,
      },
      servers,
      nowMs,
    };
    this.emit();
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
