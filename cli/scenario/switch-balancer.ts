import type { AlgorithmName } from '../../balancer/algorithms/algorithm.js';
import type { BalancerKind } from '../balancers/balancer-kind.js';
import { launchBalancer } from '../balancers/launch-balancer.js';
import { LabError } from '../errors.js';
import { writeLabRecord } from '../lab/lab-record.js';
import { recentLogLines } from '../lab/member-logs.js';
import type { OpenLab } from '../lab/open-lab.js';
import { labConfig } from '../lab/up.js';
import { waitUntil } from '../lab/wait-until.js';
import { scenarioBalancer, scenarioBalancerSettings } from './scenario-balancer.js';
import type { Scenario } from './schema.js';

const SWITCH_READY_TIMEOUT_MS = 30_000;

/**
 * Replaces the lab's balancer by one of `kind` on the same ports, in front of
 * the same running servers, configured from the scenario's settings; resolves
 * with the lab as it is now, once every server takes traffic through it.
 */
export async function switchBalancer(
  open: OpenLab,
  kind: BalancerKind,
  options: { readonly scenario: Scenario; readonly algorithm: AlgorithmName; readonly log: (line: string) => void },
): Promise<OpenLab> {
  const { record, runtime } = open;
  const info = { lab: record.lab, port: record.port, adminPort: record.adminPort, ...(open.token === undefined ? {} : { token: open.token }) };
  const servers = (await runtime.list(record.lab)).filter((member) => member.role === 'server' && member.state === 'running');
  await runtime.remove(record.lab, 'balancer');
  await runtime.prepare(info, { log: options.log, balancerKind: kind });
  const template = runtime.serverUrlTemplate(info);
  const config = {
    ...labConfig(scenarioBalancerSettings(options.scenario, options.algorithm), servers.map((m) => ({ name: m.name, url: m.upstreamUrl ?? '' }))),
    ...(template === undefined ? {} : { serverUrlTemplate: template }),
  };
  const admin = await launchBalancer({ runtime, info, kind, config, closest: scenarioBalancer(options.scenario).closest, log: options.log });
  const names = servers.map((m) => m.name);
  try {
    await waitUntil(() => admin.stats(1_000), { timeoutMs: SWITCH_READY_TIMEOUT_MS, intervalMs: 50, what: `${kind} to serve its admin port` });
    await admin.waitForServers(names, SWITCH_READY_TIMEOUT_MS);
  } catch (error) {
    throw new LabError('LBLAB_NOT_READY', `${kind} did not take over lab ${record.lab}: ${(error as Error).message}\n${await recentLogLines(runtime, record.lab, 'balancer')}`, {
      cause: error,
    });
  }
  const version = await admin.version().catch(() => undefined);
  const next = { ...record, balancer: { kind, ...(version === undefined ? {} : { version }) } };
  await writeLabRecord(next);
  return { record: next, runtime, admin, token: open.token };
}
