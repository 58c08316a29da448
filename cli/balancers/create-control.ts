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
}

/** The control for a lab's balancer kind. */
export function createBalancerControl(options: CreateControlOptions): BalancerControl {
  const adminUrl = `http://127.0.0.1:${options.adminPort}`;
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
