/** The parts of the engine's `GET /containers/{id}/stats?stream=false` answer that `lblab stats` reads. */
export interface ContainerStatsSample {
  readonly cpu_stats?: { readonly cpu_usage?: { readonly total_usage?: number }; readonly system_cpu_usage?: number; readonly online_cpus?: number };
  readonly precpu_stats?: { readonly cpu_usage?: { readonly total_usage?: number }; readonly system_cpu_usage?: number };
  readonly memory_stats?: { readonly usage?: number; readonly limit?: number; readonly stats?: Readonly<Record<string, number>> };
}

/** CPU % (100 = one core) and memory as `docker stats` computes them (memory less the inactive page cache). Pure. */
export function containerUsage(sample: ContainerStatsSample): { cpuPercent?: number; memoryBytes?: number; memoryLimitBytes?: number } {
  const cpuDelta = (sample.cpu_stats?.cpu_usage?.total_usage ?? 0) - (sample.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (sample.cpu_stats?.system_cpu_usage ?? 0) - (sample.precpu_stats?.system_cpu_usage ?? 0);
  const cpus = sample.cpu_stats?.online_cpus ?? 1;
  const memory = sample.memory_stats;
  const cache = memory?.stats?.['inactive_file'] ?? memory?.stats?.['total_inactive_file'] ?? 0;
  return {
    ...(systemDelta > 0 && cpuDelta >= 0 ? { cpuPercent: (cpuDelta / systemDelta) * cpus * 100 } : {}),
    ...(memory?.usage === undefined ? {} : { memoryBytes: Math.max(0, memory.usage - cache) }),
    ...(memory?.limit === undefined ? {} : { memoryLimitBytes: memory.limit }),
  };
}
