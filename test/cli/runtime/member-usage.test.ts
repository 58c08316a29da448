import { describe, expect, it } from 'vitest';
import { containerUsage } from '../../../cli/runtime/docker/container-usage.js';
import { cpuSeconds, residentBytes, sampleProcesses } from '../../../cli/runtime/process/process-usage.js';
import { serversToRemove } from '../../../cli/lab/scale-to.js';

describe('process usage from /proc', () => {
  it('reads this process: CPU time used, resident memory, and a CPU % over a sample while it spins', async () => {
    expect(await cpuSeconds(process.pid)).toBeGreaterThan(0);
    expect(await residentBytes(process.pid)).toBeGreaterThan(10_000_000);
    const spin = setInterval(() => {
      const until = performance.now() + 20;
      while (performance.now() < until);
    }, 25);
    try {
      const sample = (await sampleProcesses([process.pid], 300)).get(process.pid);
      expect(sample?.cpuPercent).toBeGreaterThan(10);
      expect(sample?.memoryBytes).toBeGreaterThan(10_000_000);
    } finally {
      clearInterval(spin);
    }
  });

  it('gives nothing for a process that does not exist', async () => {
    expect(await cpuSeconds(2 ** 22 + 7)).toBeUndefined();
    expect(await residentBytes(2 ** 22 + 7)).toBeUndefined();
  });
});

describe('containerUsage', () => {
  it('computes CPU % and memory as docker stats does', () => {
    expect(
      containerUsage({
        cpu_stats: { cpu_usage: { total_usage: 3_000 }, system_cpu_usage: 20_000, online_cpus: 2 },
        precpu_stats: { cpu_usage: { total_usage: 1_000 }, system_cpu_usage: 10_000 },
        memory_stats: { usage: 50_000_000, limit: 1_000_000_000, stats: { inactive_file: 10_000_000 } },
      }),
    ).toEqual({ cpuPercent: 40, memoryBytes: 40_000_000, memoryLimitBytes: 1_000_000_000 });
  });

  it('leaves CPU out when the engine has no previous sample', () => {
    expect(containerUsage({ cpu_stats: { cpu_usage: { total_usage: 5 }, system_cpu_usage: 0 }, memory_stats: {} })).toEqual({});
  });
});

describe('serversToRemove', () => {
  it('takes the last servers in natural order', () => {
    expect(serversToRemove(['server1', 'server2', 'server9', 'server10'], 2)).toEqual(['server9', 'server10']);
  });
});
