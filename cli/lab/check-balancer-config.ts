import type { BalancerConfig } from '../../balancer/config/config.js';
import { isInvalidFieldError } from '../../balancer/config/invalid-field-error.js';
import { LabError } from '../errors.js';

/**
 * Checks a balancer config with the balancer's own parser before anything
 * starts, so a bad setting is a usage error (exit 2) here rather than a
 * balancer that exits at start-up.
 */
export async function checkBalancerConfig(config: BalancerConfig): Promise<void> {
  // Loaded on use: the parser builds algorithms, which most verbs do without.
  const { parseBalancerConfig } = await import('../../balancer/config/config-parse.js');
  try {
    parseBalancerConfig(config);
  } catch (error) {
    if (isInvalidFieldError(error)) throw new LabError('LBLAB_BAD_INPUT', `balancer settings: ${error.message}`, { cause: error });
    throw error;
  }
}
