import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

let clockTicksPerSec: Promise<number> | undefined;

/** The kernel's clock ticks per second (USER_HZ), in which /proc/<pid>/stat counts CPU time. */
function clockTicks(): Promise<number> {
  clockTicksPerSec ??= execFileAsync('getconf', ['CLK_TCK']).then(
    ({ stdout }) => Number(stdout.trim()) || 100,
    () => 100,
  );
  return clockTicksPerSec;
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat; undefined when it is gone. */
export async function cpuSeconds(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is the 3rd field, utime the 14th, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / (await clockTicks()) : undefined;
  } catch {
    return undefined;
  }
}

/** Resident memory in bytes (VmRSS of /proc/<pid>/status); undefined when the process is gone. */
export async function residentBytes(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    return match === null ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}

/** CPU % of each pid over `sampleMs` (100 = one core), and its resident memory. */
export async function sampleProcesses(pids: readonly number[], sampleMs: number): Promise<Map<number, { cpuPercent?: number; memoryBytes?: number }>> {
  const before = await Promise.all(pids.map(cpuSeconds));
  const startedMs = performance.now();
  await new Promise((resolve) => setTimeout(resolve, sampleMs));
  const after = await Promise.all(pids.map(cpuSeconds));
  const elapsedSec = (performance.now() - startedMs) / 1000;
  const memory = await Promise.all(pids.map(residentBytes));
  const result = new Map<number, { cpuPercent?: number; memoryBytes?: number }>();
  pids.forEach((pid, i) => {
    const a = before[i];
    const b = after[i];
    const m = memory[i];
    result.set(pid, {
      ...(a === undefined || b === undefined ? {} : { cpuPercent: Math.max(0, ((b - a) / elapsedSec) * 100) }),
      ...(m === undefined ? {} : { memoryBytes: m }),
    });
  });
  return result;
}
