// `lblab_request_duration_seconds`, kept as plain per-server bucket counts
// and turned into Prometheus series only when /metrics is scraped. Recording
// a latency is a bucket search and three additions: prom-client's Histogram
// validates and hashes the labels on every observe(), even for a bound child.
import type { Histogram, Registry } from 'prom-client';

/** The latencies of one server. */
export class LatencyBuckets {
  /** Observations per bucket (not cumulative); the last entry counts those above every bound (`+Inf`). */
  readonly counts: number[];
  sumS = 0;
  count = 0;

  constructor(private readonly boundsS: readonly number[]) {
    this.counts = new Array<number>(boundsS.length + 1).fill(0);
  }

  observeS(valueS: number): void {
    const bounds = this.boundsS;
    let i = 0;
    while (i < bounds.length && valueS > (bounds[i] as number)) i++;
    this.counts[i] = (this.counts[i] as number) + 1;
    this.sumS += valueS;
    this.count++;
  }

  reset(): void {
    this.counts.fill(0);
    this.sumS = 0;
    this.count = 0;
  }
}

interface SeriesValue {
  readonly value: number;
  readonly labels: Record<string, string | number>;
  readonly metricName: string;
}

export interface LatencyHistogramOptions {
  readonly name: string;
  readonly help: string;
  readonly boundsS: readonly number[];
  /** The series, by `server` label, at scrape time. */
  readonly series: () => Iterable<readonly [string, LatencyBuckets]>;
}

/**
 * A histogram with a `server` label that a prom-client Registry renders
 * like its own: `_bucket` (cumulative, `le`), `_sum`, `_count`, one series
 * per server that has observations.
 */
export class LatencyHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;

  constructor(private readonly options: LatencyHistogramOptions) {
    this.name = options.name;
    this.help = options.help;
  }

  /** Adds it to `registry` (which only calls get() and reset()). */
  register(registry: Registry): void {
    registry.registerMetric(this as unknown as Histogram);
  }

  newBuckets(): LatencyBuckets {
    return new LatencyBuckets(this.options.boundsS);
  }

  get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: SeriesValue[] }> {
    const { name, boundsS } = this.options;
    const values: SeriesValue[] = [];
    for (const [server, buckets] of this.options.series()) {
      if (buckets.count === 0) continue;
      let cumulative = 0;
      for (let i = 0; i < boundsS.length; i++) {
        cumulative += buckets.counts[i] as number;
        values.push({ value: cumulative, labels: { le: boundsS[i] as number, server }, metricName: `${name}_bucket` });
      }
      values.push(
        { value: buckets.count, labels: { le: '+Inf', server }, metricName: `${name}_bucket` },
        { value: buckets.sumS, labels: { server }, metricName: `${name}_sum` },
        { value: buckets.count, labels: { server }, metricName: `${name}_count` },
      );
    }
    return Promise.resolve({ name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }

  reset(): void {
    for (const [, buckets] of this.options.series()) buckets.reset();
  }
}
