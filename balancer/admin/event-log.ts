import type { BalancerEvent } from '../api-types.js';

export const DEFAULT_EVENT_CAPACITY = 200;

export type EventListener = (event: BalancerEvent) => void;

/** The last `capacity` balancer events (a ring) and the live subscribers of GET /events. */
export class EventLog {
  private readonly ring: BalancerEvent[] = [];
  private next = 0;
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly capacity = DEFAULT_EVENT_CAPACITY) {}

  push(event: BalancerEvent): void {
    if (this.ring.length < this.capacity) this.ring.push(event);
    else this.ring[this.next] = event;
    this.next = (this.next + 1) % this.capacity;
    for (const listener of this.listeners) listener(event);
  }

  /** Kept events with `at >= sinceMs`, oldest first. */
  since(sinceMs: number): BalancerEvent[] {
    const ordered = this.ring.length < this.capacity ? this.ring : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    return ordered.filter((event) => event.at >= sinceMs);
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }
}
