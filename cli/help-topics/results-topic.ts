import type { HelpTopic } from './help-topic.js';

export const resultsTopic: HelpTopic = {
  name: 'results',
  summary: 'what a run writes: summary.json, report, charts; compare',
  text: `Every lblab run writes results/<yyyymmdd-hhmmss>-<scenario>/ (or --out):

  summary.json      every number of the run, at full precision
  report.md         settings and numbers as tables, thresholds, the charts
  report.html       the same as one self-contained page
  timeline.png      responses per second over time: total, per server,
                    errors, the balancer's own 5xx; actions, health changes
                    and failover windows marked
  latency.png       latency by percentile (0 % to 99.99 %, log scales),
                    overall and per server
  distribution.png  requests per server against its even share, with p99
  remap.png         consistent-hash/maglev with add or rm: keys moved
                    against the ideal 1/N
  algorithms.png    algorithms runs: shares and p50/p99/p99.9 per pass
  schedule.tsv      with --record: the requests, for a replay phase
  passes/<n>-<x>/   runs with passes: the same files for each pass

summary.json, the main fields
  totals      requests (any status, or no response), errors (>= 500 or no
              response), dropped (open phases: due while maxInFlight were
              in flight, not sent), cancelled (in flight when a phase was
              cut short), ratePerSec
  servers[]   per server: requests, share, errors, p50Ms..p999Ms, maxMs
  latency     p50Ms, p90Ms, p99Ms, p999Ms, maxMs, meanMs (HDR histograms)
  actions[], healthChanges[], failover[], remap[], passes[], thresholds[]
  saturation  whether lblab's own event loops were the limit

  lblab run kill-revive --json          summary.json on stdout
  lblab compare results/A results/B     two runs side by side, with the
                                        change from A to B, and a warning
                                        when scenario, runtime, balancer
                                        or seed differ
Full reference: results/README.md`,
};
