/** Status recorded for a request that got no response (refused, reset, timed out). */
export const NO_RESPONSE_STATUS = 0;
/** Status recorded for a request cancelled in flight (deadline or abort). */
export const CANCELLED_STATUS = -1;

/** Beyond this many requests a log keeps counting but stores nothing more (22 bytes each). */
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

const FIRST_CAPACITY = 4096;

/** `array` with room for at least `size` values, its first `used` kept (doubling, bounded by `limit`). */
function grown<T extends Float64Array | Uint32Array | Int16Array>(array: T, used: number, size: number, limit: number, make: (length: number) => T): T {
  if (size <= array.length) return array;
  const next = make(Math.min(limit, Math.max(size, array.length * 2)));
  next.set(array.subarray(0, used));
  return next;
}

/**
 * Every request of a run, in completion order, in columns of typed arrays
 * (times as float64 ms, paths and servers interned to uint32 ids, statuses as
 * int16): 22 bytes a request, no object per request, grown by doubling. The
 * exact data behind the time charts, the failover and remap analyses and `--record`.
 */
export class RequestLog {
  private starts = new Float64Array(0);
  private ends = new Float64Array(0);
  private pathIds = new Uint32Array(0);
  private serverIds = new Uint32Array(0);
  private statuses = new Int16Array(0);
  private count = 0;
  private readonly paths: string[] = [];
  private readonly pathIndex = new Map<string, number>();
  private readonly servers: string[] = [];
  private readonly serverIndex = new Map<string, number>();
  /** Requests not stored because the log was full. */
  overflow = 0;

  constructor(private readonly capacity: number = REQUEST_LOG_CAPACITY) {}

  record(startMs: number, endMs: number, path: string, server: string, status: number): void {
    const i = this.count;
    if (i >= this.capacity) {
      this.overflow += 1;
      return;
    }
    if (i >= this.starts.length) this.grow(i + 1);
    this.starts[i] = startMs;
    this.ends[i] = endMs;
    this.pathIds[i] = intern(this.paths, this.pathIndex, path);
    this.serverIds[i] = intern(this.servers, this.serverIndex, server);
    this.statuses[i] = status;
    this.count = i + 1;
  }

  get size(): number {
    return this.count;
  }

  /** The entries, `offsetMs` added to their times. */
  *entries(offsetMs = 0): IterableIterator<RequestLogEntry> {
    for (let i = 0; i < this.count; i += 1) {
      yield {
        startMs: this.starts[i]! + offsetMs,
        endMs: this.ends[i]! + offsetMs,
        path: this.paths[this.pathIds[i]!] ?? '',
        server: this.servers[this.serverIds[i]!] ?? '',
        status: this.statuses[i]!,
      };
    }
  }

  private grow(size: number): void {
    const target = Math.max(size, FIRST_CAPACITY);
    const { count, capacity } = this;
    this.starts = grown(this.starts, count, target, capacity, (n) => new Float64Array(n));
    this.ends = grown(this.ends, count, target, capacity, (n) => new Float64Array(n));
    this.pathIds = grown(this.pathIds, count, target, capacity, (n) => new Uint32Array(n));
    this.serverIds = grown(this.serverIds, count, target, capacity, (n) => new Uint32Array(n));
    this.statuses = grown(this.statuses, count, target, capacity, (n) => new Int16Array(n));
  }
}
