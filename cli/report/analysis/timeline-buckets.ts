import type { RequestLogEntry } from '../../load/request-log.js';
import { CANCELLED_STATUS, NO_RESPONSE_STATUS } from '../../load/request-log.js';
import { NO_SERVER_ID } from '../../load/load-result.js';
import type { RunTimeline, RunTimelineBucket } from '../run-summary.js';

/** The narrowest bucket: the request log's times are exact, but narrower buckets hold too few responses to show a rate. */
export const MIN_BUCKET_MS = 20;
export const MAX_BUCKET_MS = 1000;
/** At most this many buckets while the width is under MAX_BUCKET_MS (about 50–100 per run). */
export const TARGET_MAX_BUCKETS = 100;
/** Buckets are made wide enough to hold this many responses on average, so a rate is not a count of 3 or 4. */
export const MIN_MEAN_RESPONSES_PER_BUCKET = 20;
const NICE_WIDTHS_MS = [20, 25, 50, 100, 200, 250, 500, 1000];

/**
 * The bucket width of a run: the narrowest nice width (20 ms to 1 s) giving
 * at most 100 buckets, with at least 20 responses per bucket on average and
 * at least 50 buckets when the run is long enough.
 */
export function bucketWidthMs(durationMs: number, responses: number = Number.POSITIVE_INFINITY): number {
  const minByCount = responses > 0 ? (MIN_MEAN_RESPONSES_PER_BUCKET * durationMs) / responses : 0;
  const fewestMs = durationMs / TARGET_MAX_BUCKETS;
  const wanted = Math.min(Math.max(minByCount, fewestMs), durationMs / 50);
  const fitting = NICE_WIDTHS_MS.filter((widthMs) => widthMs <= wanted).at(-1) ?? MIN_BUCKET_MS;
  if (fitting >= fewestMs) return fitting;
  return NICE_WIDTHS_MS.find((widthMs) => widthMs >= fewestMs) ?? MAX_BUCKET_MS;
}

/**
 * Responses per bucket of the run, by server, from every request (by the
 * time each completed). The last bucket ends at `durationMs`; when it would
 * be under half a width it joins the one before, so its rate is over its
 * real width and never a spike of a few responses in a few ms. Pure.
 */
export function buildTimeline(entries: Iterable<RequestLogEntry>, durationMs: number, responses?: number): RunTimeline {
  const bucketMs = bucketWidthMs(durationMs, responses);
  const fullBuckets = Math.floor(durationMs / bucketMs);
  const restMs = durationMs - fullBuckets * bucketMs;
  const count = restMs >= bucketMs / 2 || fullBuckets === 0 ? fullBuckets + (restMs > 0 ? 1 : 0) : fullBuckets;
  const buckets = Array.from({ length: Math.max(1, count) }, (_, index) => ({
    startMs: index * bucketMs,
    widthMs: index === count - 1 ? Math.max(1, durationMs - index * bucketMs) : bucketMs,
    byServer: {} as Record<string, number>,
    errors: 0,
    balancerAnswers: {} as Record<string, number>,
  }));
  const last = buckets.length - 1;
  for (const entry of entries) {
    if (entry.status === CANCELLED_STATUS) continue;
    const index = Math.min(last, Math.max(0, Math.floor(entry.endMs / bucketMs)));
    const bucket = buckets[index];
    if (bucket === undefined) continue;
    bucket.byServer[entry.server] = (bucket.byServer[entry.server] ?? 0) + 1;
    if (entry.status === NO_RESPONSE_STATUS || entry.status >= 500) bucket.errors += 1;
    if (entry.server === NO_SERVER_ID && entry.status >= 500) {
      const status = String(entry.status);
      bucket.balancerAnswers[status] = (bucket.balancerAnswers[status] ?? 0) + 1;
    }
  }
  return { bucketMs, buckets: buckets satisfies RunTimelineBucket[] };
}
