// Wraps a command in /usr/bin/time to read the CPU time it used (user +
// system, startup included). Without /usr/bin/time the figure is undefined.
import { existsSync } from 'node:fs';

const TIME = '/usr/bin/time';
const MARK = 'LBLAB_BENCH_CPU';

/** @returns {[string, string[]]} */
export function withCpuTime(command, args) {
  return existsSync(TIME) ? [TIME, ['-f', `${MARK} %U %S`, command, ...args]] : [command, args];
}

/** CPU milliseconds from the stderr of a command wrapped by withCpuTime, or undefined. */
export function cpuMsFromStderr(stderr) {
  const found = new RegExp(`${MARK} ([\\d.]+) ([\\d.]+)`).exec(stderr);
  return found === null ? undefined : (Number(found[1]) + Number(found[2])) * 1000;
}
