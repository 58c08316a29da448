// Route rules (`POST /register`) that switch on fan-out or retries for
// matching requests: parsing with exact messages, and a cheap match.
import type { RouteRule } from './config.js';
import { expectBoundedArray, fail, isPlainObject } from './field-validators.js';
import { InvalidFieldError } from './invalid-field-error.js';
import { LIMITS } from './limits.js';

const METHOD_PATTERN = /^[A-Za-z]{1,20}$/;
const RULE_EXPECTED = 'a route like "POST /register" or {"method":"POST","path":"/register"}';

/** `POST /register`, `post /api/*` or `{"method":"POST","path":"/register"}` → a rule (method upper case). */
export function parseRouteRule(field: string, value: unknown): RouteRule {
  let method: unknown;
  let path: unknown;
  if (typeof value === 'string') {
    const parts = value.trim().split(/\s+/);
    if (parts.length !== 2) fail(field, RULE_EXPECTED, value);
    [method, path] = parts;
  } else if (isPlainObject(value)) {
    ({ method, path } = value);
  } else {
    fail(field, RULE_EXPECTED, value);
  }
  if (typeof method !== 'string' || !METHOD_PATTERN.test(method)) fail(`${field}.method`, 'an HTTP method such as POST', method);
  if (typeof path !== 'string' || !path.startsWith('/') || /\s|\?/.test(path)) {
    fail(`${field}.path`, 'a path starting with "/" (no query; end it with * for a prefix)', path);
  }
  if (path.length > LIMITS.pathLength.max) {
    throw new InvalidFieldError(`${field}.path`, `${field}.path must be at most ${LIMITS.pathLength.max} characters, got ${path.length}`);
  }
  return { method: method.toUpperCase(), path };
}

export function parseRouteRules(field: string, value: unknown): readonly RouteRule[] {
  const expected = 'an array of routes like "POST /register"';
  // The flag form: "POST /register,POST /changePassword" (empty: no routes).
  const items =
    typeof value === 'string'
      ? expectBoundedArray(field, value.split(',').map((part) => part.trim()).filter((part) => part !== ''), LIMITS.routeRules, expected)
      : expectBoundedArray(field, value, LIMITS.routeRules, expected);
  return items.map((item: unknown, index) => parseRouteRule(`${field}[${index}]`, item));
}

/** True when `method` and the path of `url` (query ignored) match one of the rules. */
export function matchesRoute(rules: readonly RouteRule[], method: string, url: string): boolean {
  if (rules.length === 0) return false;
  let path: string | undefined;
  for (const rule of rules) {
    if (rule.method !== method) continue;
    path ??= pathOf(url);
    if (rule.path.endsWith('*') ? path.startsWith(rule.path.slice(0, -1)) : path === rule.path) return true;
  }
  return false;
}

export function formatRouteRule(rule: RouteRule): string {
  return `${rule.method} ${rule.path}`;
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
