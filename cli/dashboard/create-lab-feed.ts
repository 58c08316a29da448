import { balancerUrls, readLabRecord } from '../lab/lab-record.js';
import type { OpenLab } from '../lab/open-lab.js';
import { LabFeed, type LabFeedOptions } from './lab-feed.js';

/** A LabFeed for an open lab: its admin URL, its runtime's member list, and the lab record re-read while the balancer is lost. */
export function createLabFeed(lab: OpenLab, options: Partial<LabFeedOptions> = {}): LabFeed {
  const name = lab.record.lab;
  return new LabFeed({
    lab: name,
    runtime: lab.record.runtime,
    adminUrl: lab.admin.adminUrl,
    ...(lab.token === undefined ? {} : { token: lab.token }),
    listMembers: () => lab.runtime.list(name),
    resolveAdminUrl: async () => {
      const record = await readLabRecord(name);
      return record === undefined ? undefined : balancerUrls(record).adminUrl;
    },
    ...options,
  });
}
