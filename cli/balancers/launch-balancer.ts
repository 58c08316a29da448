import path from 'node:path';
import type { BalancerConfig } from '../../balancer/config/config.js';
import { LabError } from '../errors.js';
import { HAPROXY_FILES } from './haproxy-config.js';
import type { LabRuntimeInfo, Runtime } from '../runtime/runtime.js';
import type { BalancerControl } from './balancer-control.js';
import { balancerRunDir, writeBalancerFiles } from './balancer-files.js';
import type { BalancerKind } from './balancer-kind.js';
import { createBalancerControl } from './create-control.js';
import { resolveSettings } from './resolve-settings.js';
import { settingsFromConfig } from './settings-from-config.js';

/** sun_path is 108 bytes on Linux, the terminating NUL included. */
const MAX_SOCKET_PATH_BYTES = 107;

export interface LaunchBalancerOptions {
  readonly runtime: Runtime;
  readonly info: LabRuntimeInfo;
  readonly kind: BalancerKind;
  /** The lab's balancer configuration, servers included. */
  readonly config: BalancerConfig;
  readonly closest: boolean;
  readonly log: (line: string) => void;
}

/**
 * Starts the lab's balancer of `kind` on the lab's ports: lblab's with the
 * configuration as it is; HAProxy or nginx on a configuration generated from
 * it into the lab's balancer folder. Resolves with its control (not waiting for readiness).
 */
export async function launchBalancer(options: LaunchBalancerOptions): Promise<BalancerControl> {
  const { runtime, info, kind, config } = options;
  if (kind === 'lblab') {
    await runtime.startBalancer(info, { config });
  } else {
    const runDir = balancerRunDir(info.lab);
    const socket = path.join(runDir, HAPROXY_FILES.socket);
    if (kind === 'haproxy' && Buffer.byteLength(socket) > MAX_SOCKET_PATH_BYTES) {
      throw new LabError(
        'LBLAB_BAD_INPUT',
        `HAProxy's runtime socket ${socket} would be ${Buffer.byteLength(socket)} bytes long, over the ${MAX_SOCKET_PATH_BYTES} a Unix socket path may have; set LBLAB_HOME to a shorter folder`,
        { exitCode: 2 },
      );
    }
    const resolved = resolveSettings(kind, settingsFromConfig(config, runtime.balancerPlacement(info, runDir), options.closest));
    for (const note of resolved.notes) options.log(note);
    await writeBalancerFiles(info.lab, { kind, settings: resolved.settings, notes: resolved.notes });
    await runtime.startBalancer(info, { config, external: { kind, runDir } });
  }
  return createBalancerControl({ kind, lab: info.lab, adminPort: info.adminPort, runtime, ...(info.token === undefined ? {} : { token: info.token }) });
}
