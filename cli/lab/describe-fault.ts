import type { ServerFaultState } from './admin-client.js';

/** `error rate 0.5, latency 200 ms, no hang`, or `no faults`. */
export function describeFaultState(fault: ServerFaultState): string {
  const latency = typeof fault.latencyMs === 'number' ? fault.latencyMs : fault.latencyMs[1] > 0 ? fault.latencyMs : 0;
  const workers = fault.concurrency ?? 0;
  const none = fault.errorRate === 0 && latency === 0 && !fault.hang && workers === 0;
  if (none) return 'no faults';
  const parts = [
    `error rate ${fault.errorRate}`,
    `latency ${typeof latency === 'number' ? `${latency} ms` : `${latency[0]}-${latency[1]} ms`}`,
    fault.hang ? 'hangs (never answers)' : 'no hang',
  ];
  if (fault.healthToo === true) parts.push('health checks too');
  if (workers > 0) parts.push(`${workers} workers`);
  return parts.join(', ');
}
