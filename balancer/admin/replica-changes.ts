// The seed-compatible POST /add and DELETE /rm bodies (`{"n":1,"hostnames":["s4"]}`),
// turned into the servers to add or remove. Pure: no I/O; randomness injected.
import { AdminRequestError } from './admin-error.js';
import { expectServerName, expectServerUrl, parseBackendSpec, urlFromTemplate } from '../upstreams/backend-spec.js';
import type { BackendSpec } from '../config/config.js';
import { describeNames } from '../config/describe-names.js';
import { expectBoundedArray, expectKnownFields, fail } from '../config/field-validators.js';
import { InvalidFieldError } from '../config/invalid-field-error.js';
import { LIMITS } from '../config/limits.js';

/** Servers one request may add or remove. */
export const MAX_REPLICA_CHANGE = LIMITS.serversPerChange.max;

const ADD_FIELDS = ['n', 'hostnames', 'servers'] as const;
const REMOVE_FIELDS = ['n', 'hostnames'] as const;

export const TOO_MANY_HOSTNAMES_TO_ADD = {
  message: 'Error, number of hostnames is greater than newly added instances',
  status: 'failure',
} as const;

export const TOO_MANY_HOSTNAMES_TO_REMOVE = {
  message: 'Error, number of hostnames is greater than removable instances',
  status: 'failure',
} as const;

export interface AddPlanOptions {
  /** Names registered now. */
  readonly existing: readonly string[];
  /** `serverUrlTemplate` from the config, if any. */
  readonly urlTemplate?: string;
}

/**
 * POST /add: `hostnames` (urls from the template), `servers` (with urls), and
 * `n - (named ones)` generated names `server<k>` with the smallest free k.
 * A name in both `hostnames` and `servers` is one server with the given url.
 */
export function planAdd(body: unknown, options: AddPlanOptions): BackendSpec[] {
  const object = expectKnownFields('request body', body, ADD_FIELDS);
  const hostnames = parseNames('hostnames', object.hostnames);
  const specs = parseSpecs('servers', object.servers);
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const names = [...hostnames, ...specs.map((spec) => spec.name).filter((name) => !hostnames.includes(name))];
  const n = parseCount(object.n, names.length);
  if (hostnames.length > n || names.length > n) {
    throw new AdminRequestError(400, TOO_MANY_HOSTNAMES_TO_ADD.message, { ...TOO_MANY_HOSTNAMES_TO_ADD });
  }
  const total = options.existing.length + n;
  if (total > LIMITS.servers.max) {
    throw new InvalidFieldError(
      'n',
      `n must be at most ${LIMITS.servers.max - options.existing.length} (a lab has at most ${LIMITS.servers.max} servers and this one has ${options.existing.length}), got ${n}`,
    );
  }
  const taken = new Set(options.existing);
  const clash = names.find((name) => taken.has(name));
  if (clash !== undefined) {
    throw new AdminRequestError(400, `server "${clash}" already exists; servers: ${describeNames(options.existing)}`);
  }
  for (const name of names) taken.add(name);
  const generated: string[] = [];
  for (let k = 1; generated.length < n - names.length && k <= options.existing.length + n + 1; k++) {
    const name = `server${k}`;
    if (!taken.has(name)) {
      generated.push(name);
      taken.add(name);
    }
  }
  const all = [...names, ...generated];
  const template = options.urlTemplate;
  const withoutUrl = all.filter((name) => !byName.has(name));
  if (withoutUrl.length > 0 && template === undefined) {
    throw new AdminRequestError(
      400,
      `hostnames ${JSON.stringify(withoutUrl)} have no url: servers need urls and this balancer has no serverUrlTemplate; ` +
        `pass "servers":[{"name":"${withoutUrl[0] ?? 'server4'}","url":"http://host:port"}]`,
    );
  }
  return all.map((name) => {
    const spec = byName.get(name);
    if (spec !== undefined) return spec;
    const url = urlFromTemplate(template as string, name);
    expectServerUrl(`url for "${name}" from serverUrlTemplate`, url);
    return { name, url };
  });
}

/**
 * DELETE /rm: the named servers, plus `n - hostnames.length` others chosen
 * at random (with `random`, uniform in [0, 1)).
 */
export function planRemove(body: unknown, existing: readonly string[], random: () => number): string[] {
  const object = expectKnownFields('request body', body, REMOVE_FIELDS);
  const hostnames = parseNames('hostnames', object.hostnames);
  const n = parseCount(object.n, hostnames.length);
  if (hostnames.length > n) {
    throw new AdminRequestError(400, TOO_MANY_HOSTNAMES_TO_REMOVE.message, { ...TOO_MANY_HOSTNAMES_TO_REMOVE });
  }
  const unknown = hostnames.find((name) => !existing.includes(name));
  if (unknown !== undefined) {
    throw new AdminRequestError(400, `unknown server "${unknown}" in hostnames; servers: ${describeNames(existing)}`);
  }
  if (n > existing.length) {
    throw new InvalidFieldError('n', `n must be at most the number of servers (${existing.length}), got ${n}`);
  }
  const others = existing.filter((name) => !hostnames.includes(name));
  const chosen = [...hostnames];
  while (chosen.length < n && others.length > 0) {
    const index = Math.min(others.length - 1, Math.floor(random() * others.length));
    chosen.push(...others.splice(index, 1));
  }
  return chosen;
}

function parseNames(field: string, value: unknown): string[] {
  if (value === undefined) return [];
  const items = expectBoundedArray(field, value, LIMITS.serversPerChange, 'an array of server names');
  const names = items.map((item: unknown, index) => expectServerName(`${field}[${index}]`, item));
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) throw new InvalidFieldError(field, `${field} must not repeat a name, got "${repeated}" twice`);
  return names;
}

function parseSpecs(field: string, value: unknown): BackendSpec[] {
  if (value === undefined) return [];
  const items = expectBoundedArray(field, value, LIMITS.serversPerChange, 'an array of {"name","url","weight"} objects');
  const specs = items.map((item: unknown, index) => parseBackendSpec(`${field}[${index}]`, item));
  const repeated = specs.find((spec, index) => specs.findIndex((s) => s.name === spec.name) !== index);
  if (repeated !== undefined) throw new InvalidFieldError(field, `${field} must not repeat a name, got "${repeated.name}" twice`);
  return specs;
}

/** `n`, defaulting to the number of names given. */
function parseCount(value: unknown, named: number): number {
  const n = value === undefined ? named : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1 || n > MAX_REPLICA_CHANGE) {
    fail('n', `an integer from 1 to ${MAX_REPLICA_CHANGE}`, value);
  }
  return n;
}
