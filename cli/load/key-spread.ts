import type { KeySpreadOptions } from './load-options.js';

/** Returns the request path for request `index`: `path` with `<param>=<k>` appended when keys are spread. */
export type RequestPathFn = (index: number) => string;

export function createRequestPath(path: string, keys: KeySpreadOptions | undefined, random: () => number): RequestPathFn {
  if (keys === undefined) return () => path;
  const prefix = `${path}${path.includes('?') ? '&' : '?'}${keys.param}=`;
  const count = keys.count;
  if (keys.distribution === 'sequential') return (index) => `${prefix}${index % count}`;
  return () => `${prefix}${Math.min(count - 1, Math.floor(random() * count))}`;
}
