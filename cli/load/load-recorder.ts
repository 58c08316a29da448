import type { Histogram } from 'hdr-histogram-js';
import { aggregateLoad, aggregateTick, type ServerCounts } from './aggregate.js';
import { createLatencyHistogram, recordLatencyUs } from './latency-histogram.js';
import { NO_RESPONSE, type LoadResult } from './load-result.js';
import type { LoadTick } from './types.js';

interface MutableServerCounts extends ServerCounts {
  requests: number;
  errors: number;
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/**
 * Counters and HDR histograms of one run: overall and per server for the
 * whole run, and per tick (reset by takeTick). Memory is bounded by the
 * number of distinct servers, statuses and error codes, not by requests.
 */
export class LoadRecorder {
  readonly overall: Histogram = createLatencyHistogram();
  readonly byServer = new Map<string, MutableServerCounts>();
  private readonly byStatus = new Map<string, number>();
  private readonly byErrorCode = new Map<string, number>();
  private dropped = 0;
  private cancelled = 0;
  private totalRequests = 0;
  private totalErrors = 0;

  private readonly tickHistogram: Histogram = createLatencyHistogram();
  private tickByServer = new Map<string, number>();
  private tickByStatus = new Map<string, number>();
  private tickErrors = 0;
  private tickDropped = 0;

  recordResponse(server: string, statusCode: number, latencyUs: number): void {
    const isError = statusCode >= 500;
    const counts = this.serverCounts(server);
    counts.requests += 1;
    recordLatencyUs(counts.histogram, latencyUs);
    recordLatencyUs(this.overall, latencyUs);
    recordLatencyUs(this.tickHistogram, latencyUs);
    const status = String(statusCode);
    increment(this.byStatus, status);
    increment(this.tickByStatus, status);
    increment(this.tickByServer, server);
    this.totalRequests += 1;
    if (isError) {
      counts.errors += 1;
      this.totalErrors += 1;
      this.tickErrors += 1;
    }
  }

  /** A request that got no response; no latency is recorded for it. */
  recordFailure(errorCode: string): void {
    const counts = this.serverCounts(NO_RESPONSE);
    counts.requests += 1;
    counts.errors += 1;
    increment(this.byStatus, 'error');
    increment(this.tickByStatus, 'error');
    increment(this.byErrorCode, errorCode);
    increment(this.tickByServer, NO_RESPONSE);
    this.totalRequests += 1;
    this.totalErrors += 1;
    this.tickErrors += 1;
  }

  recordDropped(): void {
    this.dropped += 1;
    this.tickDropped += 1;
  }

  recordCancelled(): void {
    this.cancelled += 1;
  }

  /** True when nothing was recorded since the last tick. */
  get tickIsEmpty(): boolean {
    return this.tickByServer.size === 0 && this.tickDropped === 0;
  }

  /** The tick since the previous one; resets the per-tick counters and histogram. */
  takeTick(atMs: number, intervalMs: number, inFlight: number): LoadTick {
    const tick = aggregateTick({
      atMs,
      intervalMs,
      byServer: this.tickByServer,
      byStatus: this.tickByStatus,
      errors: this.tickErrors,
      dropped: this.tickDropped,
      histogram: this.tickHistogram,
      totalRequests: this.totalRequests,
      totalErrors: this.totalErrors,
      totalDropped: this.dropped,
      inFlight,
    });
    this.tickHistogram.reset();
    this.tickByServer = new Map();
    this.tickByStatus = new Map();
    this.tickErrors = 0;
    this.tickDropped = 0;
    return tick;
  }

  result(durationMs: number, scheduled: number, ticks: readonly LoadTick[]): LoadResult {
    return aggregateLoad({
      durationMs,
      scheduled,
      dropped: this.dropped,
      cancelled: this.cancelled,
      byServer: this.byServer,
      overall: this.overall,
      byStatus: this.byStatus,
      byErrorCode: this.byErrorCode,
      ticks,
    });
  }

  private serverCounts(server: string): MutableServerCounts {
    let counts = this.byServer.get(server);
    if (counts === undefined) {
      counts = { requests: 0, errors: 0, histogram: createLatencyHistogram() };
      this.byServer.set(server, counts);
    }
    return counts;
  }
}
