import type { AlgorithmName } from '../../balancer/algorithms/algorithm.js';
import type { BalancerMode } from '../../balancer/config/config.js';
import { ALGORITHM_MAPPING, type AlgorithmRow } from './algorithm-mapping.js';

const LEAST_RESPONSE_TIME_TCP = 'a response time per request, which a relay of bytes does not see';

/**
 * The mapping table in tcp mode (HAProxy `mode tcp`, nginx `stream`;
 * balancer/README.md shows it beside the http one). Hashing is on the client
 * address, as lblab's own tcp mode does.
 */
export const TCP_ALGORITHM_MAPPING: Readonly<Record<AlgorithmName, AlgorithmRow>> = {
  'round-robin': ALGORITHM_MAPPING['round-robin'],
  'weighted-round-robin': ALGORITHM_MAPPING['weighted-round-robin'],
  'least-connections': ALGORITHM_MAPPING['least-connections'],
  'power-of-two': ALGORITHM_MAPPING['power-of-two'],
  random: ALGORITHM_MAPPING.random,
  'consistent-hash': {
    haproxy: { supported: true, directive: 'balance source + hash-type consistent' },
    nginx: { supported: true, directive: 'hash $remote_addr consistent' },
  },
  'first-available': {
    haproxy: { supported: true, directive: 'balance first + server maxconn {capacity} (default 1) + timeout queue' },
    nginx: {
      supported: false,
      lacks: 'a "first available" balance and a queue for busy servers in stream (nginx Plus has `queue` in http only)',
      closest: 'least-connections',
      closestDirective: 'least_conn + server max_conns={capacity}',
    },
  },
  'least-response-time': {
    haproxy: { supported: false, lacks: LEAST_RESPONSE_TIME_TCP, closest: 'least-connections', closestDirective: 'balance leastconn' },
    nginx: { supported: false, lacks: LEAST_RESPONSE_TIME_TCP, closest: 'least-connections', closestDirective: 'least_conn' },
  },
  maglev: {
    haproxy: { supported: false, lacks: 'Maglev hashing', closest: 'consistent-hash', closestDirective: 'balance source + hash-type consistent' },
    nginx: { supported: false, lacks: 'Maglev hashing', closest: 'consistent-hash', closestDirective: 'hash $remote_addr consistent' },
  },
};

/** The table for a mode. */
export function algorithmMappingFor(mode: BalancerMode): Readonly<Record<AlgorithmName, AlgorithmRow>> {
  return mode === 'tcp' ? TCP_ALGORITHM_MAPPING : ALGORITHM_MAPPING;
}
