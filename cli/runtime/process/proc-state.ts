import { readFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { MemberState } from '../runtime.js';

const execFileAsync = promisify(execFile);

/**
 * The state of process `pid`, and whether it is still the member we started:
 * a pid can be reused, so the process must carry `marker` in its environment
 * (or its command line).
 */
export async function processState(pid: number, marker: string): Promise<MemberState> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const stateChar = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (stateChar === 'Z' || stateChar === 'X') return 'stopped';
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8');
    // nginx writes its process title over its environment; it carries the marker in its arguments instead.
    if (!environ.split('\0').includes(marker) && !(await readFile(`/proc/${pid}/cmdline`, 'utf8')).includes(marker)) return 'stopped';
    return stateChar === 'T' || stateChar === 't' ? 'paused' : 'running';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return 'stopped';
    if (process.platform === 'linux') throw error;
    return processStateFromPs(pid);
  }
}

/** Where /proc is missing (macOS): ps, without the pid-reuse check. */
async function processStateFromPs(pid: number): Promise<MemberState> {
  try {
    const { stdout } = await execFileAsync('ps', ['-o', 'stat=', '-p', String(pid)]);
    const stat = stdout.trim();
    if (stat === '' || stat.startsWith('Z')) return 'stopped';
    return stat.startsWith('T') ? 'paused' : 'running';
  } catch {
    return 'stopped';
  }
}

export function isAlive(state: MemberState): boolean {
  return state === 'running' || state === 'paused';
}
