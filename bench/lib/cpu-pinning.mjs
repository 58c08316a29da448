// Where each program runs: the load tool on one CPU, the servers and
// balancers under test on another (taskset), when the machine has two or more.
import { spawnSync } from 'node:child_process';
import os from 'node:os';

/**
 * @returns {{ enabled: boolean, loadCpu: string, serverCpu: string, note: string, wrap: (role: 'load'|'server', command: string, args: string[]) => [string, string[]] }}
 */
export function createCpuPinning() {
  const cpuCount = os.availableParallelism();
  const hasTaskset = spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' }).status === 0;
  const enabled = hasTaskset && cpuCount >= 2;
  const loadCpu = '0';
  const serverCpu = cpuCount >= 3 ? `1-${cpuCount - 1}` : '1';
  const note = enabled
    ? `pinned with taskset: load tools on CPU ${loadCpu}, servers and balancers on CPU ${serverCpu} (${cpuCount} CPUs)`
    : `not pinned (${hasTaskset ? `${cpuCount} CPU` : 'taskset not found'}): load tool and servers share the CPUs`;
  return {
    enabled,
    loadCpu,
    serverCpu,
    note,
    wrap(role, command, args) {
      if (!enabled) return [command, args];
      return ['taskset', ['-c', role === 'load' ? loadCpu : serverCpu, command, ...args]];
    },
  };
}
