import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../paths.js';

export interface BuiltinScenario {
  readonly name: string;
  readonly file: string;
}

/** The folder of the built-in scenarios: scenarios/ in the lblab package. */
export function builtinScenarioDir(): string {
  return path.join(packageRoot(), 'scenarios');
}

/** The built-in scenarios (`<name>.yaml` files), sorted by name. */
export async function listBuiltinScenarios(dir: string = builtinScenarioDir()): Promise<BuiltinScenario[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.endsWith('.yaml'))
    .map((entry) => ({ name: entry.slice(0, -'.yaml'.length), file: path.join(dir, entry) }))
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
}
