import type { MemberUsage } from '../runtime/runtime.js';
import { naturalCompare } from '../load/natural-compare.js';
import type { OpenLab } from './open-lab.js';

export interface MemberStatsRow extends MemberUsage {
  /** Requests the balancer sent to this server (for the balancer: every request it answered); undefined when its admin API did not answer. */
  readonly requests?: number;
  readonly inFlight?: number;
}

export interface LabUsage {
  readonly lab: string;
  readonly runtime: string;
  readonly at: string;
  readonly members: readonly MemberStatsRow[];
}

/** CPU and memory of every member (from the runtime) with the requests each served (from the balancer's /stats). */
export async function labUsage(lab: OpenLab, sampleMs?: number): Promise<LabUsage> {
  const [usage, stats] = await Promise.all([
    lab.runtime.usage(lab.record.lab, sampleMs === undefined ? {} : { sampleMs }),
    lab.admin.stats(2_000).catch(() => undefined),
  ]);
  const byServer = new Map(stats?.servers.map((s) => [s.name, s]) ?? []);
  const members = usage
    .map((member): MemberStatsRow => {
      if (stats === undefined) return member;
      if (member.role === 'balancer') return { ...member, requests: stats.totals.requests, inFlight: stats.totals.inFlight };
      const server = byServer.get(member.name);
      return server === undefined ? member : { ...member, requests: server.requests, inFlight: server.inFlight };
    })
    .sort((a, b) => (a.role === b.role ? naturalCompare(a.name, b.name) : a.role === 'balancer' ? -1 : 1));
  return { lab: lab.record.lab, runtime: lab.runtime.kind, at: new Date().toISOString(), members };
}
