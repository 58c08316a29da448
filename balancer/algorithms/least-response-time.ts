import type { Algorithm, Candidate, PickRequest } from './algorithm.js';

/**
 * Picks the lowest score = latencyEwmaMs × (inFlight + 1): fast servers win,
 * but each request already waiting on a server counts against it.
 *
 * A server with no latency yet (0) scores 0, the best, so new and revived
 * servers get tried. Only while it has nothing in flight, though: once its
 * first request is out, its latency counts as the mean of the known ones
 * until it answers, so a burst does not all land on the newcomer. Ties go to
 * fewer in flight, then to the first in list order.
 */
export class LeastResponseTime implements Algorithm {
  readonly name = 'least-response-time' as const;

  pick(candidates: readonly Candidate[], _request: PickRequest): Candidate | undefined {
    const fallbackLatencyMs = meanKnownLatencyMs(candidates);
    let best: Candidate | undefined;
    let bestScore = Infinity;
    for (const candidate of candidates) {
      const score = responseTimeScore(candidate, fallbackLatencyMs);
      if (best === undefined || score < bestScore || (score === bestScore && candidate.inFlight < best.inFlight)) {
        best = candidate;
        bestScore = score;
      }
    }
    return best;
  }
}

/** latencyEwmaMs × (inFlight + 1), with `fallbackLatencyMs` standing in for an unknown latency once a request is out. */
export function responseTimeScore(candidate: Candidate, fallbackLatencyMs: number): number {
  const known = candidate.latencyEwmaMs > 0;
  if (!known && candidate.inFlight === 0) return 0;
  const latencyMs = known ? candidate.latencyEwmaMs : fallbackLatencyMs;
  return latencyMs * (candidate.inFlight + 1);
}

/** Mean latencyEwmaMs of the candidates that have one; 0 when none has. */
function meanKnownLatencyMs(candidates: readonly Candidate[]): number {
  let sum = 0;
  let count = 0;
  for (const candidate of candidates) {
    if (candidate.latencyEwmaMs > 0) {
      sum += candidate.latencyEwmaMs;
      count += 1;
    }
  }
  return count === 0 ? 0 : sum / count;
}
