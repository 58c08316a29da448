import type { HelpTopic } from './help-topic.js';

export const scenariosTopic: HelpTopic = {
  name: 'scenarios',
  summary: 'the scenario file: lab, phases, actions, thresholds',
  text: `A scenario is a YAML file: the lab to bring up, the load, what to do to the
lab while the load runs, and the numbers that must hold. Only phases is
required; unknown fields are errors, and a bad file exits 2 before anything
starts, with <file>:<line>: <what> per problem.

  name: kill-revive
  seed: 42
  lab: {servers: 3, algorithm: round-robin, health: {intervalMs: 200ms}}
  phases:
    - {name: steady, kind: open, rate: 200, duration: 12s, path: /home}
  actions:
    - {at: 3s, action: kill, target: server2}
    - {at: 8s, action: revive, target: server2}
  thresholds: {errorRate: "< 0.05", p99Ms: "< 1000"}

Phase kinds
  closed  requests sent by concurrency workers, each awaiting its answer
  open    rate requests/s for duration, whatever the servers do; latency
          from each request's intended send time (no coordinated omission)
  replay  the schedule.tsv written by run --record, at speed

Actions (at: a time after the load started)
  kill, revive, pause, unpause, add, rm (target: server names),
  fault ({server, errorRate, latencyMs, hang} or {server, clear: true}),
  algorithm (target: an algorithm name)

Thresholds (a number or "< 200", "<= 0.01", ">= 0.3", "== 1000")
  requests, errors, errorRate, okRate, p50Ms, p90Ms, p99Ms, maxShare,
  minShare. Exit code 0 when all pass, 1 when one fails.

Passes: algorithms: [...], passes: [...] or balancers: [...] run the phases
once per algorithm, mode or balancer kind.

  lblab scenarios                 the built-ins (copy one to start)
  lblab run kill-revive           a built-in; lblab run ./mine.yaml a file
Full reference: scenarios/README.md`,
};
