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
    throw new Error(`process ${pid} did not exit after SIGKILL within 2000 ms`);
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

async function waitUntilGone(pid: number, marker: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(await processState(pid, marker))) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return !isAlive(await processState(pid, marker));
}
