import type { AlgorithmName } from '../../balancer/algorithms/algorithm.js';

/** How one lab algorithm is configured in HAProxy or nginx, or what the balancer lacks and offers instead. */
export type AlgorithmMapping =
  | { readonly supported: true; readonly directive: string }
  | {
      readonly supported: false;
      readonly lacks: string;
      /** The closest documented equivalent, used with --closest. */
      readonly closest: AlgorithmName;
      readonly closestDirective: string;
    };

export interface AlgorithmRow {
  readonly haproxy: AlgorithmMapping;
  readonly nginx: AlgorithmMapping;
}

/**
 * The mapping table (balancer/README.md "HAProxy and nginx in the lab" shows
 * it to users). `{param}` stands for the hash key parameter (default `id`).
 */
export const ALGORITHM_MAPPING: Readonly<Record<AlgorithmName, AlgorithmRow>> = {
  'round-robin': {
    haproxy: { supported: true, directive: 'balance roundrobin' },
    nginx: { supported: true, directive: '(default round-robin)' },
  },
  'weighted-round-robin': {
    haproxy: { supported: true, directive: 'balance roundrobin + server weight' },
    nginx: { supported: true, directive: '(default round-robin) + server weight=' },
  },
  'least-connections': {
    haproxy: { supported: true, directive: 'balance leastconn' },
    nginx: { supported: true, directive: 'least_conn' },
  },
  'power-of-two': {
    haproxy: { supported: true, directive: 'balance random(2)' },
    nginx: { supported: true, directive: 'random two least_conn' },
  },
  random: {
    haproxy: { supported: true, directive: 'balance random' },
    nginx: { supported: true, directive: 'random' },
  },
  'consistent-hash': {
    haproxy: { supported: true, directive: 'balance url_param {param} + hash-type consistent' },
    nginx: { supported: true, directive: 'hash $arg_{param} consistent' },
  },
  'first-available': {
    haproxy: { supported: true, directive: 'balance first + server maxconn {capacity} + timeout queue' },
    nginx: {
      supported: false,
      lacks: 'a "first available" balance and a queue for busy servers (nginx Plus has `queue`)',
      closest: 'least-connections',
      closestDirective: 'least_conn + server max_conns={capacity}',
    },
  },
  'least-response-time': {
    haproxy: {
      supported: false,
      lacks: 'a least-response-time balance',
      closest: 'least-connections',
      closestDirective: 'balance leastconn',
    },
    nginx: {
      supported: false,
      lacks: 'least-response-time (`least_time` is nginx Plus only)',
      closest: 'least-connections',
      closestDirective: 'least_conn',
    },
  },
  maglev: {
    haproxy: {
      supported: false,
      lacks: 'Maglev hashing',
      closest: 'consistent-hash',
      closestDirective: 'balance url_param {param} + hash-type consistent',
    },
    nginx: {
      supported: false,
      lacks: 'Maglev hashing',
      closest: 'consistent-hash',
      closestDirective: 'hash $arg_{param} consistent',
    },
  },
};

/** Algorithms a kind runs as they are (no --closest needed). */
export function supportedAlgorithms(kind: 'haproxy' | 'nginx'): AlgorithmName[] {
  return (Object.keys(ALGORITHM_MAPPING) as AlgorithmName[]).filter((name) => ALGORITHM_MAPPING[name][kind].supported);
}
