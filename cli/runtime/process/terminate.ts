import { LabError } from '../../errors.js';
import { waitUntilOrFalse } from '../../lab/wait-until.js';
import { processState, isAlive } from './proc-state.js';

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** SIGTERM, then SIGKILL after graceMs; resolves once the process is gone. */
export async function terminate(pid: number, marker: string, graceMs = 3000): Promise<void> {
  if (!isAlive(await processState(pid, marker))) return;
  signal(pid, 'SIGCONT');
  signal(pid, 'SIGTERM');
  if (await waitUntilGone(pid, marker, graceMs)) return;
  signal(pid, 'SIGKILL');
  if (!(await waitUntilGone(pid, marker, 2000))) {
    throw new LabError('LBLAB_WAIT_TIMEOUT', `process ${pid} did not exit after SIGKILL within 2000 ms`);
  }
}

export async function killNow(pid: number, marker: string): Promise<void> {
  if (!isAlive(await processState(pid, marker))) return;
  signal(pid, 'SIGKILL');
  await waitUntilGone(pid, marker, 2000);
}

export function sendSignal(pid: number, name: NodeJS.Signals): void {
  signal(pid, name);
}

function waitUntilGone(pid: number, marker: string, timeoutMs: number): Promise<boolean> {
  return waitUntilOrFalse(async () => !isAlive(await processState(pid, marker)), {
    timeoutMs,
    intervalMs: 25,
    what: `process ${pid} to exit`,
  });
}
