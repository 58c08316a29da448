/** Servers a lab may have at once (`up --servers`, `add`, a scenario's lab.servers). */
export const MAX_LAB_SERVERS = 64;
