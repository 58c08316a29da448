/** Which balancer runs in a lab: lblab's own, or a real HAProxy or nginx configured from the same settings. */
export const BALANCER_KINDS = ['lblab', 'haproxy', 'nginx'] as const;

export type BalancerKind = (typeof BALANCER_KINDS)[number];

export const DEFAULT_BALANCER_KIND: BalancerKind = 'lblab';

/** What the lab records about its balancer. */
export interface BalancerIdentity {
  readonly kind: BalancerKind;
  /** `HAProxy 2.6.12`, `nginx 1.22.1`, `lblab 0.1.0`; absent when unknown. */
  readonly version?: string;
}

/** The program and the Debian package of a third-party kind. */
export interface ExternalBalancer {
  readonly kind: Exclude<BalancerKind, 'lblab'>;
  readonly program: string;
  readonly debianPackage: string;
  /** Official image names tried on Docker, in order. */
  readonly officialImages: readonly string[];
  /** Where the program lives in official images and in the images lblab makes. */
  readonly pathInImage: string;
}

export const EXTERNAL_BALANCERS: Readonly<Record<Exclude<BalancerKind, 'lblab'>, ExternalBalancer>> = {
  haproxy: {
    kind: 'haproxy',
    program: 'haproxy',
    debianPackage: 'haproxy',
    officialImages: ['haproxy:2.6', 'haproxy:lts', 'haproxy:latest'],
    pathInImage: '/usr/local/sbin/haproxy',
  },
  nginx: {
    kind: 'nginx',
    program: 'nginx',
    debianPackage: 'nginx-light',
    officialImages: ['nginx:stable', 'nginx:latest'],
    pathInImage: '/usr/sbin/nginx',
  },
};

export function isBalancerKind(value: unknown): value is BalancerKind {
  return typeof value === 'string' && (BALANCER_KINDS as readonly string[]).includes(value);
}
