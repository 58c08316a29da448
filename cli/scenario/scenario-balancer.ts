import type { AlgorithmName } from '../../balancer/algorithms/algorithm.js';
import { DEFAULT_HEALTH, type BalancerConfig, type HealthCheckOptions } from '../../balancer/config/config.js';
import type { BalancerKind } from '../balancers/balancer-kind.js';
import type { Scenario } from './schema.js';

/** What a scenario's `lab.balancer` and `balancers` ask of the balancer. */
export interface ScenarioBalancer {
  /** The kind of the first pass: `balancers[0]`, else `lab.balancer.kind`, else lblab. */
  readonly kind: BalancerKind;
  /** One pass per kind, in order, when `balancers` is given. */
  readonly passes?: readonly BalancerKind[];
  readonly closest: boolean;
  /** lblab's own switch for the lab's admin token (`lab.balancer.adminAuth`), not a balancer setting. */
  readonly adminAuth?: 'token' | 'none';
  /** The rest of `lab.balancer`: settings passed to the balancer as they are. */
  readonly settings?: Partial<BalancerConfig>;
}

export function scenarioBalancer(scenario: Scenario): ScenarioBalancer {
  const { kind, closest, adminAuth, ...rest } = (scenario.lab.balancer ?? {}) as {
    kind?: BalancerKind;
    closest?: boolean;
    adminAuth?: 'token' | 'none';
  } & Record<string, unknown>;
  const passes = scenario.balancers;
  return {
    kind: passes?.[0] ?? kind ?? 'lblab',
    ...(passes === undefined ? {} : { passes }),
    // A comparison across kinds runs each with its closest equivalent (nginx: passive checks).
    closest: closest ?? passes !== undefined,
    ...(adminAuth === undefined ? {} : { adminAuth }),
    ...(scenario.lab.balancer === undefined ? {} : { settings: rest as Partial<BalancerConfig> }),
  };
}

/** The lab settings a balancer of a scenario is configured from. */
export function scenarioBalancerSettings(
  scenario: Scenario,
  algorithm: AlgorithmName,
): { balancer?: Partial<BalancerConfig>; algorithm: AlgorithmName; algorithmOptions?: BalancerConfig['algorithmOptions']; health: HealthCheckOptions } {
  const { settings } = scenarioBalancer(scenario);
  return {
    ...(settings === undefined ? {} : { balancer: settings }),
    algorithm,
    ...(scenario.lab.algorithmOptions === undefined ? {} : { algorithmOptions: scenario.lab.algorithmOptions }),
    health: { ...DEFAULT_HEALTH, ...scenario.lab.health },
  };
}
