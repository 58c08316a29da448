import type { AlgorithmName } from '../../balancer/algorithms/algorithm.js';
import { DEFAULT_HEALTH } from '../../balancer/config/config.js';
import { LabError } from '../errors.js';
import { down } from '../lab/down.js';
import { openLab, serverNames, type OpenLab } from '../lab/open-lab.js';
import { balancerUrls } from '../lab/lab-record.js';
import { up } from '../lab/up.js';
import type { FaultSpec } from '../runtime/runtime.js';
import type { RuntimeChoice, SwarmChoices } from '../runtime/select-runtime.js';
import { toFaultSpec } from './apply-scenario-action.js';
import { findFreePortPair } from '../runtime/ports.js';
import { scenarioBalancer } from './scenario-balancer.js';
import type { Scenario } from './schema.js';

export interface ScenarioLabOptions {
  readonly scenario: Scenario;
  readonly lab: string;
  /** Use the lab already up under this name instead of starting one. */
  readonly reuse: boolean;
  /** Balancer data port (admin: port + 1); default: a free pair. */
  readonly port?: number;
  /** Overrides the scenario's lab.runtime. */
  readonly runtime?: RuntimeChoice;
  /** Swarm runtime: placement and registry. */
  readonly swarm?: SwarmChoices;
  /** Aborting stops the start of the lab (see up). */
  readonly signal?: AbortSignal;
  readonly log: (line: string) => void;
}

/** The lab a scenario runs against, and how to leave it. */
export interface ScenarioLab {
  readonly open: OpenLab;
  /** The balancer's data URL. */
  readonly url: string;
  /** Servers at the start, by name. */
  readonly servers: readonly string[];
  /** True when this run started the lab (and so tears it down). */
  readonly started: boolean;
  /** Tears down a lab this run started; for a reused lab, puts back its algorithm and clears the faults the scenario set. Returns the errors met. */
  release(): Promise<string[]>;
}

/** The algorithm the lab starts with: the first of `algorithms`, else lab.algorithm, else round-robin. */
export function initialAlgorithm(scenario: Scenario): AlgorithmName {
  return scenario.algorithms?.[0] ?? scenario.lab.algorithm ?? 'round-robin';
}

function faultSpecs(scenario: Scenario): Record<string, FaultSpec> {
  return Object.fromEntries(Object.entries(scenario.lab.faults ?? {}).map(([name, fault]) => [name, toFaultSpec(fault)]));
}

/** Brings up the lab the scenario describes, or opens the one already up with --reuse. */
export async function acquireScenarioLab(options: ScenarioLabOptions): Promise<ScenarioLab> {
  return options.reuse ? reuseLab(options) : startLab(options);
}

async function startLab(options: ScenarioLabOptions): Promise<ScenarioLab> {
  const { scenario } = options;
  const port = options.port ?? (await findFreePortPair());
  const balancer = scenarioBalancer(scenario);
  const result = await up({
    lab: options.lab,
    servers: scenario.lab.servers,
    app: scenario.lab.app,
    algorithm: initialAlgorithm(scenario),
    ...(scenario.lab.algorithmOptions === undefined ? {} : { algorithmOptions: scenario.lab.algorithmOptions }),
    port,
    adminPort: port + 1,
    runtime: options.runtime ?? scenario.lab.runtime ?? 'auto',
    ...(options.swarm === undefined ? {} : { swarm: options.swarm }),
    health: { ...DEFAULT_HEALTH, ...scenario.lab.health },
    // Passed through unchecked (see lab.balancer in schema.ts), but for the kind.
    ...(balancer.settings === undefined ? {} : { balancer: balancer.settings }),
    balancerKind: balancer.kind,
    closest: balancer.closest,
    faults: faultSpecs(scenario),
    ...(scenario.lab.weights === undefined ? {} : { weights: scenario.lab.weights }),
    ...(scenario.lab.usernames === undefined ? {} : { usernames: scenario.lab.usernames }),
    ...(balancer.adminAuth === undefined ? {} : { adminAuth: balancer.adminAuth }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    log: options.log,
  });
  const release = async (): Promise<string[]> => {
    const teardown = await down(options.lab).catch((error: Error) => ({ errors: [error] }));
    return teardown.errors.map((error) => `while tearing down lab ${options.lab}: ${error.message}`);
  };
  try {
    const open = await openLab(options.lab);
    return { open, url: result.url, servers: result.servers, started: true, release };
  } catch (error) {
    await release();
    throw error;
  }
}

/** How a running lab differs from what the scenario describes, one phrase per difference. */
export function labDifferences(scenario: Scenario, lab: { readonly app: string; readonly servers: readonly string[] }): string[] {
  const differences: string[] = [];
  const wanted = Array.from({ length: scenario.lab.servers }, (_, i) => `server${i + 1}`);
  if (lab.servers.length !== wanted.length) {
    differences.push(`it has ${lab.servers.length} servers, the scenario wants ${wanted.length}`);
  } else if (lab.servers.join(',') !== wanted.join(',')) {
    differences.push(`its servers are ${lab.servers.join(', ')}, the scenario's are ${wanted.join(', ')}`);
  }
  if (lab.app !== scenario.lab.app) differences.push(`its app is ${lab.app}, the scenario's is ${scenario.lab.app}`);
  return differences;
}

async function reuseLab(options: ScenarioLabOptions): Promise<ScenarioLab> {
  const { scenario, log } = options;
  const open = await openLab(options.lab);
  const servers = serverNames(await open.runtime.list(options.lab));
  const differences = labDifferences(scenario, { app: open.record.app, servers });
  if (differences.length > 0) {
    throw new LabError(
      'LBLAB_BAD_INPUT',
      `lab "${options.lab}" does not match scenario ${scenario.name}: ${differences.join('; ')}. ` +
        `Run without --reuse to start a matching lab, or bring this one up to match.`,
    );
  }
  const stats = await open.admin.stats();
  if (options.port !== undefined && options.port !== open.record.port) log(`--reuse: using the lab's port ${open.record.port}, not --port ${options.port}`);
  if (scenario.lab.health !== undefined || scenario.lab.balancer !== undefined || scenario.lab.algorithmOptions !== undefined) {
    log('--reuse: the scenario\'s lab.health, lab.balancer and lab.algorithmOptions are not applied to a running lab');
  }
  const originalAlgorithm = stats.algorithm;
  const wantedAlgorithm = initialAlgorithm(scenario);
  if (originalAlgorithm !== wantedAlgorithm) {
    await open.admin.setAlgorithm(wantedAlgorithm);
    log(`--reuse: algorithm ${originalAlgorithm} -> ${wantedAlgorithm} for this run`);
  }
  const faults = faultSpecs(scenario);
  for (const [name, fault] of Object.entries(faults)) await open.admin.setFault(name, fault);

  const release = async (): Promise<string[]> => {
    const errors: string[] = [];
    const attempt = async (what: string, work: () => Promise<unknown>): Promise<void> => {
      await work().catch((error: Error) => errors.push(`while ${what}: ${error.message}`));
    };
    for (const name of Object.keys(faults)) await attempt(`clearing the fault on ${name}`, () => open.admin.clearFault(name));
    await attempt(`setting the algorithm back to ${originalAlgorithm}`, async () => {
      if ((await open.admin.stats()).algorithm !== originalAlgorithm) await open.admin.setAlgorithm(originalAlgorithm);
    });
    return errors;
  };
  return { open, url: balancerUrls(open.record).url, servers, started: false, release };
}
