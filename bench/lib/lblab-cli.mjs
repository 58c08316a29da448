// Runs the lblab command (dist/lblab.js) for one lab with its own LBLAB_HOME.
import path from 'node:path';
import { runCommand } from './run-command.mjs';

/** @returns {(args: string[], timeoutMs: number) => ReturnType<typeof runCommand>} */
export function lblabCli({ distDir, lab, home, cwd, env = {} }) {
  const file = path.join(distDir, 'lblab.js');
  return (args, timeoutMs) => runCommand(process.execPath, [file, '--lab', lab, ...args], { env: { ...env, LBLAB_HOME: home }, cwd, timeoutMs });
}

/** Throws with the command's output unless it exited 0. */
export function expectSuccess(result, what) {
  if (result.code === 0) return result;
  const why = result.timedOut ? 'timed out' : `exited with ${result.code ?? result.signal}`;
  throw new Error(`lblab ${what} ${why}: ${(result.stderr || result.stdout).trim().slice(-800)}`);
}
