// CPU time of a process and its children from /proc (Linux), to report a
// balancer's CPU cost per request whatever the topology. undefined elsewhere.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const TICKS_PER_S = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;
const MAX_PROCESSES = 64;

/** User + system CPU milliseconds of `pid` and its descendants (bounded), or undefined without /proc. */
export function cpuMsOfTree(pid) {
  if (pid === undefined) return undefined;
  let totalTicks = 0;
  const queue = [pid];
  for (let seen = 0; queue.length > 0 && seen < MAX_PROCESSES; seen++) {
    const current = queue.shift();
    try {
      const stat = readFileSync(`/proc/${current}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) start at field 3.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      totalTicks += Number(fields[11]) + Number(fields[12]);
      const children = readFileSync(`/proc/${current}/task/${current}/children`, 'utf8').trim();
      if (children !== '') queue.push(...children.split(' ').map(Number));
    } catch {
      if (current === pid) return undefined;
    }
  }
  return (totalTicks / TICKS_PER_S) * 1000;
}
