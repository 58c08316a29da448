import { spawn } from 'node:child_process';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';

export interface SpawnMemberOptions {
  readonly program: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly logFile: string;
}

/** Starts a detached node program that outlives the CLI, its output appended to logFile. */
export async function spawnMember(options: SpawnMemberOptions): Promise<number> {
  await mkdir(path.dirname(options.logFile), { recursive: true });
  const log = await open(options.logFile, 'a');
  try {
    const child = spawn(options.program, [...options.args], {
      detached: true,
      stdio: ['ignore', log.fd, log.fd],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env },
    });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => resolve(child.pid ?? -1));
    });
    child.unref();
    return pid;
  } finally {
    await log.close();
  }
}
