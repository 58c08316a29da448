// Every number the balancer and the sample servers accept from outside (config,
// flags, env, admin bodies, algorithm options, fault bodies), bounded in one
// table. Each bound is chosen so that the worst allowed request costs
// milliseconds, never a stall; the reason is kept next to it and shown in
// balancer/README.md. The CLI checks its flags against the same table.

export interface Limit {
  readonly min: number;
  readonly max: number;
  /** Whole numbers only. */
  readonly integer: boolean;
  /** Why the bound is where it is, in one line. */
  readonly reason: string;
}

const MIB = 1024 * 1024;

export const LIMITS = {
  workersPerCore: {
    min: 1,
    max: 4,
    integer: true,
    reason: 'data-path processes per core (--workers is at most cores x 4): more only share the same cores and add IPC',
  },
  servers: {
    min: 0,
    max: 256,
    integer: true,
    reason: 'a ring or table rebuild and a health-check round stay a few ms; 256 is far more than a lab shows',
  },
  serversPerChange: { min: 1, max: 256, integer: true, reason: 'one POST /add or DELETE /rm can at most fill the lab' },
  listedServers: { min: 1, max: 5, integer: true, reason: 'error bodies name a few servers and a count, never thousands' },
  virtualNodes: {
    min: 1,
    max: 1_000,
    integer: true,
    reason: 'per server; beyond 1,000 points a ring spreads no better (std. dev. of shares ~ 1/sqrt(points))',
  },
  ringPoints: {
    min: 1,
    max: 40_960,
    integer: true,
    reason: 'servers x virtualNodes: the default 160 fits the largest lab (256 x 160), and a full ring rebuild stays a few ms',
  },
  boundedLoad: { min: 1, max: 10, integer: false, reason: 'factor c > 1; above 10 the bound no longer limits anything in a lab' },
  capacity: { min: 1, max: 10_000, integer: true, reason: 'first-available: requests one server takes at once' },
  tableSize: {
    min: 257,
    max: 65_537,
    integer: true,
    reason: "a prime; 65,537 is Envoy's default and builds in a few ms; the minimum is the first prime above the server limit",
  },
  weight: { min: 1, max: 1_000, integer: true, reason: 'relative weight; ratios beyond 1:1000 starve a server anyway' },
  healthIntervalMs: { min: 10, max: 60_000, integer: true, reason: 'faster than 10 ms is a load test on the servers; slower than 1 min hides failures' },
  healthTimeoutMs: { min: 1, max: 60_000, integer: true, reason: 'a check that takes longer than a minute is a down server' },
  healthThreshold: { min: 1, max: 100, integer: true, reason: 'fall and rise: consecutive checks; 100 already takes minutes' },
  upstreamTimeoutMs: { min: 1, max: 600_000, integer: true, reason: 'ten minutes bounds every wait of a request on a server' },
  connectTimeoutMs: { min: 1, max: 60_000, integer: true, reason: 'a connection that takes over a minute to open is a dead server' },
  maxConnections: { min: 1, max: 100_000, integer: true, reason: 'client connections served at once; each holds a socket and memory' },
  queueTimeoutMs: { min: 1, max: 600_000, integer: true, reason: 'ten minutes bounds every wait in the first-available queue' },
  queueMaxLength: { min: 1, max: 100_000, integer: true, reason: 'each waiting request holds a socket and memory' },
  fanoutServers: { min: 1, max: 256, integer: true, reason: 'a fan-out reaches at most every server of the lab' },
  backoffMs: { min: 1, max: 60_000, integer: true, reason: 'baseMs and capMs of fan-out and retries; a minute between rounds at most' },
  fanoutDeadlineMs: { min: 1, max: 600_000, integer: true, reason: 'ten minutes bounds a fan-out request' },
  fanoutMaxBodyBytes: { min: 1, max: 64 * MIB, integer: true, reason: 'the body is held in memory to replay it to every server' },
  retryCount: { min: 0, max: 10, integer: true, reason: 'retries per request; more multiplies load on a failing lab' },
  percent: { min: 0, max: 100, integer: false, reason: 'a share in percent' },
  minRetryConcurrency: { min: 0, max: 10_000, integer: true, reason: 'retries always allowed at once, whatever the budget' },
  retryMaxBodyBytes: { min: 0, max: 64 * MIB, integer: true, reason: 'the body is held in memory to replay it' },
  consecutive5xx: { min: 1, max: 1_000, integer: true, reason: 'failures in a row that eject a server' },
  ejectionMs: { min: 1, max: 3_600_000, integer: true, reason: 'an ejection lasts at most an hour' },
  routeRules: { min: 0, max: 64, integer: true, reason: 'route rules per list are matched on every request' },
  faultErrorRate: { min: 0, max: 1, integer: false, reason: 'a probability' },
  faultLatencyMs: { min: 0, max: 60_000, integer: true, reason: 'a minute of added latency per request at most' },
  serverConcurrency: { min: 0, max: 10_000, integer: true, reason: "a sample server's workers (0: no limit); more than any lab needs" },
  adminBodyBytes: { min: 0, max: MIB, integer: true, reason: 'the largest valid admin body, 256 servers with the longest urls, is about 540 KB' },
  adminTokenLength: { min: 16, max: 512, integer: true, reason: '16 characters or more carry enough randomness; 512 fits any header' },
  urlLength: { min: 1, max: 2_048, integer: true, reason: 'server urls and the url template' },
  pathLength: { min: 1, max: 1_024, integer: true, reason: 'health-check and route paths' },
  nameLength: { min: 1, max: 253, integer: true, reason: 'host names (DNS allows 253) and the hash-key parameter' },
} as const satisfies Record<string, Limit>;

export type LimitName = keyof typeof LIMITS;

/** `an integer from 1 to 1000` / `a number from 0 to 1`: the expectation a message states. */
export function describeLimit(limit: Limit): string {
  return `${limit.integer ? 'an integer' : 'a number'} from ${limit.min} to ${limit.max}`;
}

/** True when `value` is a number within `limit` (and whole when it must be). */
export function withinLimit(value: unknown, limit: Limit): value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (limit.integer && !Number.isSafeInteger(value)) return false;
  return value >= limit.min && value <= limit.max;
}

/** Why `servers` servers with `virtualNodes` points each make too large a consistent-hash ring; undefined when they fit. */
export function ringPointsProblem(servers: number, virtualNodes: number): string | undefined {
  const points = servers * virtualNodes;
  if (points <= LIMITS.ringPoints.max) return undefined;
  return (
    `the consistent-hash ring would have ${servers} servers x ${virtualNodes} virtualNodes = ${points} points, ` +
    `more than ${LIMITS.ringPoints.max} (at most ${Math.floor(LIMITS.ringPoints.max / Math.max(1, servers))} virtualNodes for ${servers} servers)`
  );
}
