import type { HelpTopic } from './help-topic.js';

export const runtimesTopic: HelpTopic = {
  name: 'runtimes',
  summary: 'where the lab runs: docker, a swarm, or local processes',
  text: `lblab up --runtime auto|docker|swarm|process (a scenario: lab.runtime).

auto     docker when an engine answers within 2 s, else process; it says
         which in one line (runtime: process (no Docker engine at ...)).
         The default.
docker   one network per lab (lblab-<lab>), containers <lab>-server1...
         and <lab>-balancer, labelled lblab.lab, so status, kill and down
         work from the engine's view. Only the balancer's ports are
         published, on 127.0.0.1. Non-root, memory and CPU limits, a
         read-only root. Images are built from the bundled code and
         reused while unchanged (--rebuild forces a build). DOCKER_HOST
         is honoured.
swarm    the engine must be a swarm manager (docker swarm init). Each
         server is a one-replica service on the lab's overlay network
         (status shows its node); the balancer is a container on the
         manager, published on 127.0.0.1. --placement spread|local,
         --registry HOST:PORT for swarms of several nodes.
process  the servers and the balancer are local node processes on
         127.0.0.1, recorded under .lblab/<lab>/ (pids, ports, logs;
         LBLAB_HOME moves it), so any shell in the same folder finds
         them. Server ports are free ones, or from --port-base on.

Every later command (status, kill, logs, down...) finds the lab's runtime
from its record or its labels: give --runtime only to up and run.

  lblab up --runtime process --port-base 9001
  lblab up --runtime docker
  lblab up --runtime swarm --servers 5
More: README.md (Runtimes)`,
};
