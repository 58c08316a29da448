// The contract every balancing algorithm implements. Algorithms are pure:
// no I/O, and randomness and time come in through AlgorithmContext, so the
// same seed gives the same picks.

export const ALGORITHM_NAMES = [
  'round-robin',
  'weighted-round-robin',
  'least-connections',
  'power-of-two',
  'random',
  'least-response-time',
  'consistent-hash',
  'first-available',
  'maglev',
] as const;

export type AlgorithmName = (typeof ALGORITHM_NAMES)[number];

/** A server the algorithm may choose: only healthy, non-ejected servers are passed in. */
export interface Candidate {
  readonly name: string;
  /** Relative weight, >= 1 (weighted-round-robin). */
  readonly weight: number;
  /** Requests sent to this server and not yet answered. */
  readonly inFlight: number;
  /** Moving average of response time in milliseconds (least-response-time); 0 when unknown. */
  readonly latencyEwmaMs: number;
  /** Monotonic ms when a request on this server last ended (first-available: idle longest goes first); absent before the first. */
  readonly releasedAtMs?: number;
}

export interface PickRequest {
  /** Hash key for consistent-hash and maglev: query parameter `id` when present, else the client address. */
  readonly key: string;
}

export interface AlgorithmContext {
  /** Uniform in [0, 1). Seeded in tests. */
  readonly random: () => number;
  /** Milliseconds, monotonic. */
  readonly now: () => number;
}

export interface AlgorithmOptions {
  /** consistent-hash: virtual nodes per server (default 160). */
  readonly virtualNodes?: number;
  /** consistent-hash: bounded-load factor, e.g. 1.25; off when undefined. */
  readonly boundedLoad?: number;
  /** first-available: requests one server takes at once (default 1). */
  readonly capacity?: number;
  /** maglev: lookup table size, a prime (default 65537). */
  readonly tableSize?: number;
}

export interface Algorithm {
  readonly name: AlgorithmName;
  /**
   * Chooses among `candidates` (never empty when called by the proxy).
   * Returns undefined only when every candidate is at capacity
   * (first-available), which tells the caller to queue the request.
   */
  pick(candidates: readonly Candidate[], request: PickRequest): Candidate | undefined;
}
