// Deadlines of many items on one timer: every upstream attempt has one (the
// time allowed until its response headers), and a Timeout object per request
// costs an allocation and a timer-list insert and removal each. Items are
// kept in deadline order in a doubly linked list threaded through the items
// themselves; with one timeout for all, a new item goes at the tail, so
// adding and removing are O(1). The timer is armed for the head only, and
// cleared when the list empties, so nothing keeps the process alive.

/** An item with a deadline; the list owns the `expiry*` fields. */
export interface Expiring {
  expiryAt: number;
  expiryPrev: Expiring | undefined;
  expiryNext: Expiring | undefined;
  expiryListed: boolean;
  /** The deadline passed; the item is already off the list. */
  expire(): void;
}

export class ExpiryList {
  private head: Expiring | undefined;
  private tail: Expiring | undefined;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;

  /** `now`: monotonic ms (performance.now). */
  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Lists `item` to expire at `at` (ms on the `now` clock). */
  add(item: Expiring, at: number): void {
    item.expiryAt = at;
    let after = this.tail;
    while (after !== undefined && after.expiryAt > at) after = after.expiryPrev;
    item.expiryPrev = after;
    item.expiryNext = after === undefined ? this.head : after.expiryNext;
    if (item.expiryNext === undefined) this.tail = item;
    else item.expiryNext.expiryPrev = item;
    if (after === undefined) this.head = item;
    else after.expiryNext = item;
    item.expiryListed = true;
    if (this.head === item) this.arm(at);
  }

  remove(item: Expiring): void {
    if (!item.expiryListed) return;
    item.expiryListed = false;
    const { expiryPrev: prev, expiryNext: next } = item;
    if (prev === undefined) this.head = next;
    else prev.expiryNext = next;
    if (next === undefined) this.tail = prev;
    else next.expiryPrev = prev;
    item.expiryPrev = undefined;
    item.expiryNext = undefined;
    if (this.head === undefined && this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.timerAt = Infinity;
    }
  }

  private arm(at: number): void {
    if (this.timer !== undefined && this.timerAt <= at) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAt = at;
    // At least 1 ms: timers fire on the loop's coarser clock, possibly a fraction before `at`.
    this.timer = setTimeout(this.fire, Math.max(1, Math.ceil(at - this.now())));
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.now();
    for (let item = this.head; item !== undefined && item.expiryAt <= now; item = this.head) {
      this.remove(item);
      item.expire();
    }
    if (this.head !== undefined) this.arm(this.head.expiryAt);
  };
}
