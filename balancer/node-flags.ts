// Node flags for every lblab balancer process: the process runtime, the Docker
// container and the bench start it with these, in argv (NODE_OPTIONS does not
// accept --min-semi-space-size). Under load most of a request's garbage is
// young, but the ~50 requests in flight at each scavenge survive it and are
// copied; V8 starts the young generation at 1 MB and grows it slowly, so a
// young generation that starts large means fewer scavenges per request and
// less copying (measured: about half the scavenges and scavenge time per
// request; see issue 16's closing note). It costs up to 2 × 32 MB of address
// space, well inside the container's 512 MB.
export const BALANCER_NODE_FLAGS: readonly string[] = ['--min-semi-space-size=16', '--max-semi-space-size=32'];
