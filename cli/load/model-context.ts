/** What a load model needs from the run: how to send, and whether to go on. */
export interface ModelContext {
  /** Monotonic clock in milliseconds. */
  readonly now: () => number;
  /** True once the run is stopping: send nothing new. */
  readonly isStopping: () => boolean;
  /** Aborted when the run starts stopping, to wake a waiting scheduler. */
  readonly stopSignal: AbortSignal;
  /** Sends request `index`; latency counts from `intendedStartMs` when given, else from now. Never rejects. */
  readonly send: (index: number, intendedStartMs: number | undefined) => Promise<void>;
  readonly inFlight: () => number;
  readonly recordDropped: () => void;
}
