import type { BackendSpec } from '../config/config.js';
import { expectObject, expectWithin, fail } from '../config/field-validators.js';
import { InvalidFieldError } from '../config/invalid-field-error.js';
import { LIMITS } from '../config/limits.js';

const SERVER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const SPEC_FIELDS = ['name', 'url', 'weight'];

export function expectServerName(field: string, value: unknown): string {
  if (typeof value !== 'string' || !SERVER_NAME.test(value)) {
    fail(field, 'a server name (letters, digits, ".", "_", "-"; at most 63 characters)', value);
  }
  return value;
}

export function expectServerUrl(field: string, value: unknown): string {
  if (typeof value === 'string' && value.length > LIMITS.urlLength.max) {
    throw new InvalidFieldError(field, `${field} must be at most ${LIMITS.urlLength.max} characters, got ${value.length}`);
  }
  let parsed: URL | undefined;
  if (typeof value === 'string') {
    try {
      parsed = new URL(value);
    } catch {
      parsed = undefined;
    }
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.hostname === '') {
    fail(field, 'an http:// or https:// URL', value);
  }
  if (parsed.search !== '' || parsed.hash !== '') fail(field, 'a URL without query or fragment', value);
  return value as string;
}

/** `{name, url, weight?}` at `field` (e.g. `config.servers[0]`), checked field by field. */
export function parseBackendSpec(field: string, value: unknown): BackendSpec {
  const object = expectObject(field, value);
  for (const key of Object.keys(object)) {
    if (!SPEC_FIELDS.includes(key)) {
      throw new InvalidFieldError(`${field}.${key}`, `${field}.${key} is not a known field; fields: ${SPEC_FIELDS.join(', ')}`);
    }
  }
  const name = expectServerName(`${field}.name`, object.name);
  const url = expectServerUrl(`${field}.url`, object.url);
  if (object.weight === undefined) return { name, url };
  return { name, url, weight: expectWithin(`${field}.weight`, object.weight, LIMITS.weight) };
}

/** The URL of a server known only by name: `{name}` in the template replaced. */
export function urlFromTemplate(template: string, name: string): string {
  return template.replaceAll('{name}', name);
}
