import type { HelpTopic } from './help-topic.js';

export const faultsTopic: HelpTopic = {
  name: 'faults',
  summary: 'breaking servers on purpose: kill, pause, errors, latency',
  text: `Members of a running lab (see lblab status):

  lblab kill server2        SIGKILL: connections refused; the balancer's
                            health checks mark it down
  lblab revive server2      starts it again; up once its checks pass
  lblab pause server2       freezes it: it accepts connections and never
                            answers; only the check timeout finds it
  lblab unpause server2     thaws it
  lblab restart server2     stops and starts it

Faults inside a running server (lblab fault <server>):

  --error-rate 0.3          answers 30 % of requests with 500
  --latency 200ms           adds 200 ms to each answer; 100-300 a range
  --hang                    accepts requests but never answers
  --clear                   removes every fault

Fields not given keep their values; fault prints the server's whole fault
state after the change. A scenario does the same with actions (kill,
revive, pause, unpause, fault) at set times, or lab.faults from the start.

What the balancer does about it: active health checks (lblab up
--health-interval, --health-timeout, --fall, --rise), passive ejection
after consecutive 5xx (--no-ejection), and retries of idempotent requests
on another server.

  lblab run kill-revive     a kill and a revive under load, timed
More: balancer/README.md (When a server dies, hangs...)`,
};
