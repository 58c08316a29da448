export interface ConnectionQueueOptions<T> {
  readonly timeoutMs: number;
  readonly maxLength: number;
  /** Called for an entry that waited `timeoutMs` (it is already out of the queue). */
  readonly timedOut: (entry: T) => void;
}

interface Entry<T> {
  readonly value: T;
  readonly timer: NodeJS.Timeout;
}

/** A FIFO of connections waiting for a server, each with a deadline. */
export class ConnectionQueue<T> {
  private entries: Entry<T>[] = [];

  constructor(private readonly options: ConnectionQueueOptions<T>) {}

  get length(): number {
    return this.entries.length;
  }

  /** False when the queue is full. */
  push(value: T): boolean {
    if (this.entries.length >= this.options.maxLength) return false;
    const entry: Entry<T> = {
      value,
      timer: setTimeout(() => {
        this.entries = this.entries.filter((e) => e !== entry);
        this.options.timedOut(value);
      }, this.options.timeoutMs),
    };
    this.entries.push(entry);
    return true;
  }

  peek(): T | undefined {
    return this.entries[0]?.value;
  }

  shift(): T | undefined {
    const entry = this.entries.shift();
    if (entry === undefined) return undefined;
    clearTimeout(entry.timer);
    return entry.value;
  }

  /** Empties the queue and returns what waited. */
  clear(): T[] {
    const values = this.entries.map((entry) => {
      clearTimeout(entry.timer);
      return entry.value;
    });
    this.entries = [];
    return values;
  }
}
