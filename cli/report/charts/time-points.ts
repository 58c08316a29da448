import type { RunSummary, RunTimelineBucket } from '../run-summary.js';

/** The run's buckets: the timeline from the request log, else (older summaries) the generator's ticks. */
export function timelineBuckets(summary: RunSummary): readonly RunTimelineBucket[] {
  if (summary.timeline !== undefined && summary.timeline.buckets.length > 0) return summary.timeline.buckets;
  return summary.series.map((point) => ({
    startMs: point.atMs - point.intervalMs,
    widthMs: point.intervalMs,
    byServer: point.byServer,
    errors: point.errors,
    balancerAnswers: {},
  }));
}

/** A point at the centre of a bucket (x in seconds) with a count as a rate over the bucket's real width (per second). */
export function ratePoint(bucket: RunTimelineBucket, count: number): { x: number; y: number } {
  return { x: (bucket.startMs + bucket.widthMs / 2) / 1000, y: bucket.widthMs > 0 ? Math.round((count * 100_000) / bucket.widthMs) / 100 : 0 };
}

/** Point markers where a line has few points, so a short run never draws an invisible line. */
export function pointRadiusFor(pointCount: number): number {
  return pointCount <= 40 ? 3 : pointCount <= 80 ? 1.5 : 0;
}
