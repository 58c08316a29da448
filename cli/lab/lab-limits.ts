import { LIMITS } from '../../balancer/config/limits.js';

/** Servers a lab may have at once (`up --servers`, `add`, a scenario's lab.servers): the balancer's own limit. */
export const MAX_LAB_SERVERS = LIMITS.servers.max;
