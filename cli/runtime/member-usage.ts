import type { MemberRole, MemberState } from './runtime.js';

/** What `lblab stats` shows per member, as `docker stats` does. */
export interface MemberUsage {
  readonly name: string;
  readonly role: MemberRole;
  readonly state: MemberState;
  /** Share of one CPU over the sample (100 = one core busy); undefined when the member is not running. */
  readonly cpuPercent?: number;
  /** Resident memory (process: VmRSS; docker: usage less the page cache). */
  readonly memoryBytes?: number;
  /** The container's memory limit (docker only; the host's memory when none is set). */
  readonly memoryLimitBytes?: number;
}

export interface UsageOptions {
  /** Process runtime: time between the two CPU readings (1 % resolution at 1 s with 100 clock ticks a second). Default 1000. */
  readonly sampleMs?: number;
}
