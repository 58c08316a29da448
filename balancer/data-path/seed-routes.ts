// Seed 001 served its replica API on the same port as /home; with `seedApi`
// these admin routes are answered on the data port too (by the admin API itself).
const SEED_ROUTES = new Set(['GET /rep', 'POST /add', 'DELETE /rm']);

/** Whether a data-port request is one of seed 001's replica routes (trailing slashes and the query ignored). */
export function isSeedRoute(method: string | undefined, url: string | undefined): boolean {
  const raw = (url ?? '/').split('?', 1)[0] ?? '/';
  const path = raw.length > 1 ? raw.replace(/\/+$/, '') : raw;
  return SEED_ROUTES.has(`${method ?? 'GET'} ${path}`);
}
