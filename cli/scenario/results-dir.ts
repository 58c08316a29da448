import { mkdir } from 'node:fs/promises';
import path from 'node:path';

const pad = (value: number): string => String(value).padStart(2, '0');

/** `20250314-093005`, in local time. */
export function timestamp(date: Date): string {
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
}

/** `results/<yyyymmdd-hhmmss>-<scenario>`, relative to `root` (default: results/ in the working folder). */
export function defaultResultsDir(scenario: string, date: Date, root = 'results'): string {
  const slug = scenario.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'scenario';
  return path.join(root, `${timestamp(date)}-${slug}`);
}

/** Creates `dir`, or `dir-2`, `dir-3`... when a run of the same second took it; returns the folder created. */
export async function claimResultsDir(dir: string, attempts = 100): Promise<string> {
  await mkdir(path.dirname(path.resolve(dir)), { recursive: true });
  for (let n = 1; n <= attempts; n++) {
    const candidate = n === 1 ? dir : `${dir}-${n}`;
    try {
      await mkdir(candidate);
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error(`results folders ${dir} to ${dir}-${attempts} all exist`);
}
