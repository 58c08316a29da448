import type { Runtime } from '../runtime/runtime.js';
import type { BalancerControl } from './balancer-control.js';
import type { BalancerKind } from './balancer-kind.js';
import { HaproxyControl } from './haproxy-control.js';
import { LblabControl } from './lblab-control.js';
import { NginxControl } from './nginx-control.js';

export interface CreateControlOptions {
  readonly kind: BalancerKind;
  readonly lab: string;
  readonly adminPort: number;
  readonly runtime: Runtime;
  /** The lab's admin token (absent when its admin auth is off). */
  readonly token?: string;
  /** Where the admin port is reached (the lab record's host); default: the runtime's publishedHost(), else 127.0.0.1. */
  readonly host?: string;
}

/** The control for a lab's balancer kind. */
export function createBalancerControl(options: CreateControlOptions): BalancerControl {
  const host = options.host ?? options.runtime.publishedHost?.() ?? '127.0.0.1';
  const adminUrl = `http://${host}:${options.adminPort}`;
  const token = options.token === undefined ? {} : { token: options.token };
  switch (options.kind) {
    case 'lblab':
      return new LblabControl(adminUrl, options.token);
    case 'haproxy':
      return new HaproxyControl({ lab: options.lab, runtime: options.runtime, adminUrl, ...token });
    case 'nginx':
      return new NginxControl({ lab: options.lab, runtime: options.runtime, adminUrl, ...token });
  }
}
