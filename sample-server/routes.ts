/** Seed-compatible routes; `GET /health` is here but not counted as traffic. */
export const APP_ROUTES = [
  'GET /',
  'POST /',
  'PUT /',
  'GET /factorial/:n',
  'GET /home',
  'GET /heartbeat',
  'GET /health',
  'GET /login',
  'POST /register',
  'POST /changePassword',
] as const;

/** Lab control routes: never subject to faults, never counted. */
export const LAB_ROUTES = ['GET /_lab/fault', 'POST /_lab/fault', 'DELETE /_lab/fault', 'GET /_lab/stats'] as const;

export type AppRouteKey = (typeof APP_ROUTES)[number];
export type LabRouteKey = (typeof LAB_ROUTES)[number];
export type RouteKey = AppRouteKey | LabRouteKey;

export type RouteMatch =
  | { readonly kind: 'app'; readonly key: AppRouteKey; readonly params: Readonly<Record<string, string>> }
  | { readonly kind: 'lab'; readonly key: LabRouteKey }
  | { readonly kind: 'method-not-allowed'; readonly allow: readonly string[] }
  | { readonly kind: 'not-found' };

export function isLabPath(pathname: string): boolean {
  return pathname === '/_lab' || pathname.startsWith('/_lab/');
}

function splitKey(key: RouteKey): { method: string; pattern: string } {
  const space = key.indexOf(' ');
  return { method: key.slice(0, space), pattern: key.slice(space + 1) };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Matches `/factorial/:n` style patterns; a `:param` segment matches any one segment. */
function matchPattern(pattern: string, pathname: string): Record<string, string> | undefined {
  const patternParts = pattern.split('/');
  const pathParts = pathname.split('/');
  if (patternParts.length !== pathParts.length) return undefined;
  const params: Record<string, string> = {};
  for (let index = 0; index < patternParts.length; index += 1) {
    const expected = patternParts[index] ?? '';
    const actual = pathParts[index] ?? '';
    if (expected.startsWith(':')) params[expected.slice(1)] = decodeSegment(actual);
    else if (expected !== actual) return undefined;
  }
  return params;
}

/** HEAD is served as GET (Node leaves the body out). */
export function matchRoute(method: string, pathname: string): RouteMatch {
  const effectiveMethod = method === 'HEAD' ? 'GET' : method;
  const allow: string[] = [];
  for (const key of [...APP_ROUTES, ...LAB_ROUTES] as const) {
    const route = splitKey(key);
    const params = matchPattern(route.pattern, pathname);
    if (params === undefined) continue;
    if (route.method !== effectiveMethod) {
      allow.push(route.method);
      continue;
    }
    if ((LAB_ROUTES as readonly string[]).includes(key)) return { kind: 'lab', key: key as LabRouteKey };
    return { kind: 'app', key: key as AppRouteKey, params };
  }
  return allow.length > 0 ? { kind: 'method-not-allowed', allow } : { kind: 'not-found' };
}
