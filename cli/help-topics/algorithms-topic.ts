import type { HelpTopic } from './help-topic.js';

export const algorithmsTopic: HelpTopic = {
  name: 'algorithms',
  summary: 'the nine balancing algorithms, when to use each',
  text: `Set at start (lblab up --algorithm NAME) or live (lblab algorithm NAME).
Each is pure with a seeded random source: the same seed, the same picks.

round-robin           the healthy servers in turn, exactly: N requests to N
                      servers give one each. The default; alike servers.
weighted-round-robin  smooth weighted round robin (nginx's): weights 5,1,1
                      give a a b a c a a. Unlike servers; --weights s1=3.
least-connections     fewest requests in flight; ties in rotation, so with
                      one request at a time it is round robin. Mixed costs.
power-of-two          two random servers, the one with fewer in flight: near
                      least-connections with no shared state.
random                uniform at random (seeded). A baseline to compare.
least-response-time   lowest latency EWMA x (in flight + 1): favours fast
                      servers. Unlike servers; http mode only.
consistent-hash       a ring of 160 virtual nodes per server (MurmurHash3),
                      key from ?id= or the client address: adding or removing
                      one of N servers moves about 1/N of the keys. Caches,
                      sessions; boundedLoad caps a hot server.
maglev                Maglev's lookup table (65,537 slots): even shares per
                      server and few keys moved on a change. Same uses.
first-available       seed 000's queue: each server takes capacity requests
                      (default 1) at a time, the one idle longest first; the
                      rest wait in a FIFO with a timeout, then 503.

Options (lblab up): --capacity N (first-available), --weights; scenario
lab.algorithmOptions: virtualNodes, boundedLoad, capacity, tableSize.

  lblab run algorithms      the shoot-out: all nine on unlike servers
  lblab run scale-out       consistent-hash: the share of keys moved
More: README.md (Algorithms), balancer/README.md`,
};
