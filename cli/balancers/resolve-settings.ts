import { LabError } from '../errors.js';
import { ALGORITHM_MAPPING } from './algorithm-mapping.js';
import type { BalancerSettings } from './balancer-settings.js';

export interface ResolvedSettings {
  /** The settings the configuration is generated from (the closest algorithm in place of a missing one). */
  readonly settings: BalancerSettings;
  /** One line per substitution or setting the kind does not honour, for the user. */
  readonly notes: readonly string[];
}

function unsupported(message: string): LabError {
  return new LabError('LBLAB_BAD_INPUT', message, { exitCode: 2 });
}

/**
 * Passive checks nginx runs in place of active ones: `fall` failures within
 * `interval x rise` (whole seconds: nginx takes no less) take a server out for that long.
 */
export function nginxPassiveFailTimeoutS(settings: BalancerSettings): number {
  return Math.max(1, Math.ceil((settings.health.intervalMs * settings.health.rise) / 1000));
}

/**
 * Checks that `kind` can run the lab's settings. A combination it lacks is
 * refused, with what it lacks and what it offers, unless `closest` is set:
 * then the closest documented equivalent is used and a note says so.
 */
export function resolveSettings(kind: 'haproxy' | 'nginx', settings: BalancerSettings): ResolvedSettings {
  const notes: string[] = [];
  let resolved = settings;
  const mapping = ALGORITHM_MAPPING[settings.algorithm][kind];
  if (!mapping.supported) {
    const directive = mapping.closestDirective.replaceAll('{param}', settings.hashKeyParam).replaceAll('{capacity}', String(settings.algorithmOptions.capacity ?? 1));
    if (!settings.closest) {
      throw unsupported(
        `${kind} cannot run algorithm ${settings.algorithm}: it lacks ${mapping.lacks}. ` +
          `It offers ${mapping.closest} (${directive}); pick --algorithm ${mapping.closest}, start the lab with --closest to use it in place of ${settings.algorithm}, or use --balancer lblab`,
      );
    }
    notes.push(`${kind} lacks ${mapping.lacks}; running ${mapping.closest} (${directive}) in place of ${settings.algorithm}`);
    resolved = { ...resolved, algorithm: mapping.closest };
  }
  if (kind === 'nginx' && settings.health.enabled) {
    const passive = `max_fails=${settings.health.fall} fail_timeout=${nginxPassiveFailTimeoutS(settings)}s`;
    if (!settings.closest) {
      throw unsupported(
        `nginx (open source) cannot run active health checks (health_check is nginx Plus only); it offers passive checks on real traffic ` +
          `(${passive}). Start the lab with --no-health to run without active checks, with --closest to use the passive ones in their place, or use --balancer haproxy or lblab`,
      );
    }
    notes.push(`nginx has no active health checks; using passive ones in their place (${passive})`);
  }
  return { settings: resolved, notes };
}
