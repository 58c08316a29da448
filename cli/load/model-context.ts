/** Called once per request sent, when it completed (and was recorded), with the time it ended: milliseconds on the run's clock. */
export type CompletionListener = (endMs: number) => void;

/** What a load model needs from the run: how to send, and whether to go on. */
export interface ModelContext {
  /** Monotonic clock in milliseconds. */
  readonly now: () => number;
  /** True once the run is stopping: send nothing new. */
  readonly isStopping: () => boolean;
  /** Aborted when the run starts stopping, to wake a waiting scheduler. */
  readonly stopSignal: AbortSignal;
  /**
   * Sends request `index`; its latency counts from `startMs` (the intended send
   * time in the open model). `onCompleted` is called once, never synchronously:
   * pass a function made once per run, not one per request.
   */
  readonly send: (index: number, startMs: number, onCompleted: CompletionListener) => void;
  readonly inFlight: () => number;
  readonly recordDropped: () => void;
}
