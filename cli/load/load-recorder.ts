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

/** Status codes counted in an array (no string or map per response); others (never sent by a conforming server) in a map. */
const STATUS_CODES = 1000;

/** Counts per status code; read as the `byStatus` map of a tick or a run (`error` last). */
class StatusCounts {
  private readonly codes = new Float64Array(STATUS_CODES);
  private readonly others = new Map<string, number>();
  private used = false;

  add(statusCode: number): void {
    this.used = true;
    if (statusCode >= 0 && statusCode < STATUS_CODES && Number.isInteger(statusCode)) this.codes[statusCode]! += 1;
    else increment(this.others, String(statusCode));
  }

  addOther(key: string): void {
    this.used = true;
    increment(this.others, key);
  }

  toMap(): Map<string, number> {
    const map = new Map<string, number>();
    if (!this.used) return map;
    for (let code = 0; code < STATUS_CODES; code++) {
      const count = this.codes[code]!;
      if (count > 0) map.set(String(code), count);
    }
    for (const [key, count] of this.others) map.set(key, count);
    return map;
  }

  reset(): void {
    if (!this.used) return;
    this.codes.fill(0);
    this.others.clear();
    this.used = false;
  }
}

/**
 * Counters and HDR histograms of one run: per server for the whole run, and
 * per tick (reset by takeTick); the overall histogram is the per-server ones
 * added up when read, so a response is recorded in two histograms, not three.
 * Memory is bounded by the number of distinct servers, statuses and error
 * codes, not by requests.
 */
export class LoadRecorder {
  readonly byServer = new Map<string, MutableServerCounts>();
  private overallHistogram: Histogram | undefined;
  private overallCount = -1;
  private readonly byStatus = new StatusCounts();
  private readonly byErrorCode = new Map<string, number>();
  private dropped = 0;
  private cancelled = 0;
  private totalRequests = 0;
  private totalErrors = 0;

  private readonly tickHistogram: Histogram = createLatencyHistogram();
  private tickByServer = new Map<string, number>();
  private readonly tickByStatus = new StatusCounts();
  private tickErrors = 0;
  private tickDropped = 0;

  recordResponse(server: string, statusCode: number, latencyUs: number): void {
    const isError = statusCode >= 500;
    const counts = this.serverCounts(server);
    counts.requests += 1;
    recordLatencyUs(counts.histogram, latencyUs);
    recordLatencyUs(this.tickHistogram, latencyUs);
    this.byStatus.add(statusCode);
    this.tickByStatus.add(statusCode);
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
    this.byStatus.addOther('error');
    this.tickByStatus.addOther('error');
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

  /** Latencies of every response of the run so far (the per-server histograms added up; made again only after new responses). */
  get overall(): Histogram {
    let count = 0;
    for (const counts of this.byServer.values()) count += counts.histogram.totalCount;
    if (this.overallHistogram !== undefined && count === this.overallCount) return this.overallHistogram;
    const overall = this.overallHistogram ?? createLatencyHistogram();
    overall.reset();
    for (const counts of this.byServer.values()) overall.add(counts.histogram);
    this.overallHistogram = overall;
    this.overallCount = count;
    return overall;
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
      byStatus: this.tickByStatus.toMap(),
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
    this.tickByStatus.reset();
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
      byStatus: this.byStatus.toMap(),
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
