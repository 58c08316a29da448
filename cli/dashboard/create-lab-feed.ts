import { balancerUrls, readLabRecord } from '../lab/lab-record.js';
import type { OpenLab } from '../lab/open-lab.js';
import { LabFeed, type LabFeedOptions } from './lab-feed.js';
import { labControlTransport } from '../balancers/control-fetch.js';
import { createBalancerControl } from '../balancers/create-control.js';

/** A LabFeed for an open lab: its admin URL, its runtime's member list, and the lab record re-read while the balancer is lost. */
export function createLabFeed(lab: OpenLab, options: Partial<LabFeedOptions> = {}): LabFeed {
  const name = lab.record.lab;
  return new LabFeed({
    lab: name,
    // The header says which balancer runs.
    runtime: `${lab.record.runtime} · ${lab.record.balancer?.version ?? lab.admin.kind}`,
    adminUrl: lab.admin.adminUrl,
    transport: labControlTransport(async () => {
      const record = await readLabRecord(name).catch(() => undefined);
      const kind = record?.balancer?.kind ?? lab.admin.kind;
      if (kind === lab.admin.kind) return lab.admin;
      return createBalancerControl({
        kind,
        lab: name,
        adminPort: record?.adminPort ?? lab.record.adminPort,
        runtime: lab.runtime,
        ...(lab.token === undefined ? {} : { token: lab.token }),
      });
    }),
    ...(lab.token === undefined ? {} : { token: lab.token }),
    listMembers: () => lab.runtime.list(name),
    resolveAdminUrl: async () => {
      const record = await readLabRecord(name);
      return record === undefined ? undefined : balancerUrls(record).adminUrl;
    },
    ...options,
  });
}
