/** Status recorded for a request that got no response (refused, reset, timed out). */
export const NO_RESPONSE_STATUS = 0;
/** Status recorded for a request cancelled in flight (deadline or abort). */
export const CANCELLED_STATUS = -1;

/** Beyond this many requests a log keeps counting but stores nothing more (about 40 bytes each). */
export const REQUEST_LOG_CAPACITY = 5_000_000;

/** One request as the generator saw it. Times in ms since the run started. */
export interface RequestLogEntry {
  /** When it was due (open and replay models) or sent (closed model). */
  readonly startMs: number;
  readonly endMs: number;
  readonly path: string;
  /** X-Server-Id, `(none)`, or `(no response)`. */
  readonly server: string;
  /** HTTP status; NO_RESPONSE_STATUS or CANCELLED_STATUS. */
  readonly status: number;
}

function intern(values: string[], index: Map<string, number>, value: string): number {
  let id = index.get(value);
  if (id === undefined) {
    id = values.length;
    values.push(value);
    index.set(value, id);
  }
  return id;
}

/**
 * Every request of a run, in completion order, in parallel arrays of numbers
 * (paths and servers interned): the exact data behind the time charts, the
 * failover and remap analyses and `--record`.
 */
export class RequestLog {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly pathIds: number[] = [];
  private readonly serverIds: number[] = [];
  private readonly statuses: number[] = [];
  private readonly paths: string[] = [];
  private readonly pathIndex = new Map<string, number>();
  private readonly servers: string[] = [];
  private readonly serverIndex = new Map<string, number>();
  /** Requests not stored because the log was full. */
  overflow = 0;

  constructor(private readonly capacity: number = REQUEST_LOG_CAPACITY) {}

  record(startMs: number, endMs: number, path: string, server: string, status: number): void {
    if (this.starts.length >= this.capacity) {
      this.overflow += 1;
      return;
    }
    this.starts.push(startMs);
    this.ends.push(endMs);
    this.pathIds.push(intern(this.paths, this.pathIndex, path));
    this.serverIds.push(intern(this.servers, this.serverIndex, server));
    this.statuses.push(status);
  }

  get size(): number {
    return this.starts.length;
  }

  /** The entries, `offsetMs` added to their times. */
  *entries(offsetMs = 0): IterableIterator<RequestLogEntry> {
    for (let i = 0; i < this.starts.length; i += 1) {
      yield {
        startMs: (this.starts[i] ?? 0) + offsetMs,
        endMs: (this.ends[i] ?? 0) + offsetMs,
        path: this.paths[this.pathIds[i] ?? 0] ?? '',
        server: this.servers[this.serverIds[i] ?? 0] ?? '',
        status: this.statuses[i] ?? 0,
      };
    }
  }
}
