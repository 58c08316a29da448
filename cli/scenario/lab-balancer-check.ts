// A scenario's balancer settings (lab.balancer, lab.health, lab.algorithm and
// lab.algorithmOptions) checked by the balancer's own config parser before
// anything starts, so its limits and messages hold for scenario files too.
import { parseBalancerConfig } from '../../balancer/config/config-parse.js';
import { isInvalidFieldError } from '../../balancer/config/invalid-field-error.js';

export interface LabBalancerInput {
  readonly algorithm?: string | undefined;
  readonly algorithmOptions?: object | undefined;
  readonly health?: object | undefined;
  readonly balancer?: Readonly<Record<string, unknown>> | undefined;
}

export interface LabProblem {
  /** Path within `lab`. */
  readonly path: readonly PropertyKey[];
  /** A sentence to follow the path: `must be an integer from 0 to 10, got 11`. */
  readonly text: string;
}

/** Fields of the config that the scenario sets in lab itself, not in lab.balancer. */
const LAB_FIELDS = new Set(['health', 'algorithm', 'algorithmOptions']);

/** `config.retries.routes[0].path` → ['balancer', 'retries', 'routes', 0, 'path']; health and algorithm fields stay in lab. */
export function labPathOf(field: string): PropertyKey[] {
  const parts: PropertyKey[] = [];
  for (const match of field.replace(/^config\.?/, '').matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    parts.push(match[2] === undefined ? (match[1] ?? '') : Number(match[2]));
  }
  const first = parts[0];
  return typeof first === 'string' && LAB_FIELDS.has(first) ? parts : ['balancer', ...parts];
}

/** The user's name of a config field: `lab.balancer.retries.count`. */
function userName(field: string): string {
  const path = labPathOf(field);
  let text = 'lab';
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
  return text;
}

function rewrite(message: string): string {
  return message.replace(/config(?:\.[A-Za-z0-9_]+|\[\d+\])+/g, (field) => userName(field));
}

/**
 * The problems the balancer's config parser finds in the lab's settings;
 * `reserved` fields of lab.balancer are left out (the schema reports those).
 * Unknown fields are problems here, not warnings: a scenario says what it means.
 */
export function labBalancerProblems(lab: LabBalancerInput, reserved: readonly string[]): LabProblem[] {
  const balancer = Object.fromEntries(Object.entries(lab.balancer ?? {}).filter(([key]) => !reserved.includes(key)));
  const input = {
    ...balancer,
    ...(lab.algorithm === undefined ? {} : { algorithm: lab.algorithm }),
    ...(lab.algorithmOptions === undefined ? {} : { algorithmOptions: lab.algorithmOptions }),
    ...(lab.health === undefined ? {} : { health: lab.health }),
  };
  try {
    const { warnings } = parseBalancerConfig(input);
    return warnings.flatMap((warning): LabProblem[] => {
      const match = /^(\S+) is not a known field.*; fields: (.*)$/.exec(warning);
      if (match === null) return [];
      return [{ path: labPathOf(match[1] ?? ''), text: `is not a known field; known fields: ${match[2] ?? ''}` }];
    });
  } catch (error) {
    if (!isInvalidFieldError(error)) throw error;
    const own = error.message.startsWith(`${error.field} `) ? error.message.slice(error.field.length + 1) : error.message;
    return [{ path: labPathOf(error.field), text: rewrite(own) }];
  }
}
