import { LabError } from '../../errors.js';

/**
 * The LBLAB_PORT_IN_USE error when the engine could not publish a port, e.g.
 * `Bind for 127.0.0.1:8080 failed: port is already allocated` or
 * `listen tcp4 127.0.0.1:8080: bind: address already in use`; undefined for other errors.
 */
export function portInUseError(message: string, ports: { readonly port: number; readonly adminPort: number }, cause?: unknown): LabError | undefined {
  const match =
    /Bind for [^\s]*:(\d+) failed: port is already allocated/.exec(message) ??
    /listen tcp[46]? [^\s]*:(\d+): bind: address already in use/.exec(message);
  if (match?.[1] === undefined) return undefined;
  const port = Number(match[1]);
  const flag = port === ports.adminPort && port !== ports.port ? '--admin-port' : '--port';
  return new LabError('LBLAB_PORT_IN_USE', `port ${port} on 127.0.0.1 is already in use; choose another with ${flag}`, { cause });
}
