import { faultToJson, type FaultJson, type FaultState } from './fault.js';
import type { SampleApp } from './options.js';

/** GET /_lab/stats. */
export interface SampleServerStats {
  readonly server: string;
  readonly app: SampleApp;
  /** Requests received, except /_lab/* and /health (counted in healthChecks). */
  readonly requests: number;
  readonly inFlight: number;
  readonly peakInFlight: number;
  /** Of inFlight, the requests waiting for a worker (fault.concurrency > 0); 0 without a limit. */
  readonly queued: number;
  /** By route key (`GET /home`, `GET /factorial/:n`, `unmatched`). */
  readonly byRoute: Readonly<Record<string, number>>;
  /** Statuses sent, by code; hung or aborted requests have none. */
  readonly byStatus: Readonly<Record<string, number>>;
  readonly healthChecks: number;
  readonly fault: FaultJson;
  /** ISO time the server started listening. */
  readonly startedAt: string;
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** Counters for traffic: every request except /_lab/* and /health. */
export class StatsRecorder {
  private requests = 0;
  private inFlight = 0;
  private peakInFlight = 0;
  private healthChecks = 0;
  private readonly byRoute = new Map<string, number>();
  private readonly byStatus = new Map<string, number>();

  requestStarted(routeKey: string): void {
    this.requests += 1;
    this.inFlight += 1;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    increment(this.byRoute, routeKey);
  }

  /** Called once per started request, when it is answered or the client goes away. */
  requestEnded(): void {
    this.inFlight -= 1;
  }

  statusSent(status: number): void {
    increment(this.byStatus, String(status));
  }

  healthCheck(): void {
    this.healthChecks += 1;
  }

  snapshot(identity: { server: string; app: SampleApp; fault: FaultState; startedAtMs: number; workers: { readonly queued: number } }): SampleServerStats {
    return {
      server: identity.server,
      app: identity.app,
      requests: this.requests,
      inFlight: this.inFlight,
      peakInFlight: this.peakInFlight,
      queued: identity.workers.queued,
      byRoute: Object.fromEntries(this.byRoute),
      byStatus: Object.fromEntries(this.byStatus),
      healthChecks: this.healthChecks,
      fault: faultToJson(identity.fault),
      startedAt: new Date(identity.startedAtMs).toISOString(),
    };
  }
}
