export interface AdmissionQueueOptions<T> {
  /** Waiters at once; enqueue() refuses more. */
  readonly maxLength: number;
  /** How long a waiter may wait before onTimeout is called. */
  readonly timeoutMs: number;
  /** Called with a waiter whose time ran out (already removed from the queue). */
  readonly onTimeout: (item: T) => void;
}

/** A place in the queue; `cancel` it when the client goes away. */
export interface QueueTicket {
  readonly waitingSince: number;
}

interface Node<T> extends QueueTicket {
  readonly item: T;
  prev: Node<T> | undefined;
  next: Node<T> | undefined;
  timer: NodeJS.Timeout | undefined;
  queued: boolean;
}

/**
 * A bounded FIFO of requests waiting for a free server (first-available),
 * each with its own timeout. A doubly linked list, so a waiter whose client
 * left is removed in O(1). No polling: the owner calls `shift` when a slot
 * frees up.
 */
export class AdmissionQueue<T> {
  private head: Node<T> | undefined;
  private tail: Node<T> | undefined;
  private count = 0;

  constructor(private readonly options: AdmissionQueueOptions<T>) {}

  get length(): number {
    return this.count;
  }

  /** Appends `item`; undefined when the queue is full. */
  enqueue(item: T): QueueTicket | undefined {
    if (this.count >= this.options.maxLength) return undefined;
    const node: Node<T> = { item, prev: this.tail, next: undefined, timer: undefined, queued: true, waitingSince: Date.now() };
    node.timer = setTimeout(onQueueTimeout, this.options.timeoutMs, this, node);
    if (this.tail === undefined) this.head = node;
    else this.tail.next = node;
    this.tail = node;
    this.count++;
    return node;
  }

  /** The oldest waiter, without removing it. */
  peek(): T | undefined {
    return this.head?.item;
  }

  /** Removes and returns the oldest waiter. */
  shift(): T | undefined {
    const node = this.head;
    if (node === undefined) return undefined;
    this.unlink(node);
    return node.item;
  }

  /** Removes a waiter (its client left); false when it was no longer queued. */
  cancel(ticket: QueueTicket): boolean {
    const node = ticket as Node<T>;
    if (!node.queued) return false;
    this.unlink(node);
    return true;
  }

  /** Removes every waiter and returns them, oldest first (on close). */
  drainAll(): T[] {
    const items: T[] = [];
    for (let item = this.shift(); item !== undefined; item = this.shift()) items.push(item);
    return items;
  }

  /** @internal */
  expire(node: Node<T>): void {
    if (!node.queued) return;
    this.unlink(node);
    this.options.onTimeout(node.item);
  }

  private unlink(node: Node<T>): void {
    node.queued = false;
    clearTimeout(node.timer);
    node.timer = undefined;
    if (node.prev === undefined) this.head = node.next;
    else node.prev.next = node.next;
    if (node.next === undefined) this.tail = node.prev;
    else node.next.prev = node.prev;
    node.prev = undefined;
    node.next = undefined;
    this.count--;
  }
}

function onQueueTimeout<T>(queue: AdmissionQueue<T>, node: Node<T>): void {
  queue.expire(node);
}
