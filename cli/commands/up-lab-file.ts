import type { Command } from 'commander';
import type { BalancerConfig } from '../../balancer/config/config.js';
import type { LabFileSettings } from '../lab/lab-file.js';

/**
 * `up -f lab.yaml`: the file's lab settings over the flags' defaults. A flag
 * given on the command line still wins for the runtime; the file's balancer
 * settings are laid over the flags' ones.
 */
export async function labFileOverrides(
  file: string | undefined,
  command: Command,
  balancer: Partial<BalancerConfig>,
): Promise<Partial<LabFileSettings>> {
  if (file === undefined) return {};
  // Loaded on use: it pulls in the scenario schema.
  const { readLabFile } = await import('../lab/lab-file.js');
  const settings = await readLabFile(file);
  const { runtime, balancer: fileBalancer, ...rest } = settings;
  return {
    ...rest,
    ...(runtime !== undefined && command.getOptionValueSource('runtime') !== 'cli' ? { runtime } : {}),
    balancer: { ...balancer, ...fileBalancer },
  };
}
