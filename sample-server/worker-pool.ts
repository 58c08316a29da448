/** What the pool needs of a response: whether the client left, and its close event. */
export interface PoolResponse {
  readonly destroyed: boolean;
  once(event: 'close', listener: () => void): unknown;
  off(event: 'close', listener: () => void): unknown;
}

interface Waiter {
  readonly res: PoolResponse;
  readonly admit: () => void;
  cancelled: boolean;
}

/**
 * A server's workers: at most `limit` requests in service at once (0 = no
 * limit), the others wait first come, first served. A request leaves its
 * worker when its response closes (answered, or the client went away); a
 * request whose client goes away while it waits leaves the queue.
 */
export class WorkerPool {
  private limit: number;
  private busy = 0;
  private waiting = 0;
  private queue: Waiter[] = [];
  private head = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Takes effect at once: a higher limit admits waiting requests; a lower one lets requests in service finish. */
  setLimit(limit: number): void {
    this.limit = limit;
    this.admitWaiting();
  }

  /** Requests holding a worker. */
  get inService(): number {
    return this.busy;
  }

  /** Requests waiting for a worker. */
  get queued(): number {
    return this.waiting;
  }

  /** Resolves true once the request holds a worker, false when its client left first. */
  enter(res: PoolResponse): Promise<boolean> {
    if (res.destroyed) return Promise.resolve(false);
    if (this.hasRoom() && this.waiting === 0) {
      this.occupy(res);
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {
        res,
        cancelled: false,
        admit: () => {
          res.off('close', onClose);
          this.occupy(res);
          resolve(true);
        },
      };
      const onClose = (): void => {
        waiter.cancelled = true;
        this.waiting -= 1;
        resolve(false);
      };
      res.once('close', onClose);
      this.queue.push(waiter);
      this.waiting += 1;
    });
  }

  private hasRoom(): boolean {
    return this.limit === 0 || this.busy < this.limit;
  }

  private occupy(res: PoolResponse): void {
    this.busy += 1;
    res.once('close', () => {
      this.busy -= 1;
      this.admitWaiting();
    });
  }

  private admitWaiting(): void {
    while (this.hasRoom() && this.head < this.queue.length) {
      const waiter = this.queue[this.head] as Waiter;
      this.head += 1;
      if (waiter.cancelled) continue;
      this.waiting -= 1;
      waiter.admit();
    }
    // Drop the consumed front now and then, so the array does not grow for ever.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
