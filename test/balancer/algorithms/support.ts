// Test helpers for the algorithm tables: candidates, pick sequences, and a
// tiny in-memory "lab" where a pick adds a request in flight.
import {
  createAlgorithm,
  seededRandom,
  type Algorithm,
  type AlgorithmName,
  type AlgorithmOptions,
  type Candidate,
} from '../../../balancer/algorithms/index.js';

export const SEED = 42;

export function candidate(name: string, fields: Partial<Omit<Candidate, 'name'>> = {}): Candidate {
  return { name, weight: 1, inFlight: 0, latencyEwmaMs: 0, ...fields };
}

export function candidates(...names: string[]): Candidate[] {
  return names.map((name) => candidate(name));
}

export function algorithm(name: AlgorithmName, options: AlgorithmOptions = {}, seed = SEED): Algorithm {
  return createAlgorithm(name, { random: seededRandom(seed), now: () => 0 }, options);
}

/** Names of `count` picks over a fixed candidate list; `keys` gives request keys (default ''). */
export function pickNames(
  algo: Algorithm,
  list: readonly Candidate[],
  count: number,
  key: (i: number) => string = () => '',
): string[] {
  return Array.from({ length: count }, (_, i) => algo.pick(list, { key: key(i) })?.name ?? '-');
}

export function countBy(names: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

/**
 * A set of servers whose inFlight the test controls: `pick` sends a request
 * (inFlight + 1) and `finish` answers one (inFlight - 1). Returns '-' when the
 * algorithm declines (first-available, all full).
 */
export class Lab {
  private readonly servers: Candidate[];

  constructor(initial: readonly Candidate[]) {
    this.servers = initial.map((c) => ({ ...c }));
  }

  get list(): readonly Candidate[] {
    return this.servers;
  }

  inFlight(name: string): number {
    return this.servers.find((c) => c.name === name)?.inFlight ?? 0;
  }

  totalInFlight(): number {
    return this.servers.reduce((sum, c) => sum + c.inFlight, 0);
  }

  pick(algo: Algorithm, key = ''): string {
    const chosen = algo.pick(this.servers, { key });
    if (chosen === undefined) return '-';
    this.update(chosen.name, 1);
    return chosen.name;
  }

  finish(name: string): void {
    this.update(name, -1);
  }

  private update(name: string, delta: number): void {
    const index = this.servers.findIndex((c) => c.name === name);
    const server = this.servers[index];
    if (server === undefined) throw new Error(`no server ${name}`);
    this.servers[index] = { ...server, inFlight: server.inFlight + delta };
  }
}
