import type { DashboardSource, DashboardState, EventTone } from '../../../cli/dashboard/dashboard-state.js';
import { T0 } from './fixtures.js';

/** A DashboardSource whose state the test sets. */
export class FakeSource implements DashboardSource {
  private readonly listeners = new Set<() => void>();
  refreshes = 0;

  constructor(private state: DashboardState) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): DashboardState => this.state;

  set(update: Partial<DashboardState>): void {
    this.state = { ...this.state, ...update };
    for (const listener of [...this.listeners]) listener();
  }

  note(text: string, tone: EventTone = 'action', detail?: string): void {
    const atMs = T0 + this.state.events.length * 10;
    this.set({ events: [...this.state.events, { atMs, text, tone, ...(detail === undefined ? {} : { detail }) }] });
  }

  refresh(): void {
    this.refreshes += 1;
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
