import path from 'node:path';

/** A run's own lab, named after its scenario so `lblab status` and the progress lines say which: `kill-revive-12497`. */
export function scenarioLabName(scenario: string, pid: number = process.pid): string {
  const base = path.basename(scenario).replace(/\.ya?ml$/i, '').toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[^a-z0-9]+/, '');
  const suffix = `-${pid}`;
  return `${(base === '' ? 'run' : base).slice(0, 63 - suffix.length)}${suffix}`;
}
