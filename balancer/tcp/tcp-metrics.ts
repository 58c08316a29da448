// Prometheus series of the tcp data path, read from its counters at scrape time.
import { Counter, Gauge, type Registry } from 'prom-client';

import type { TcpCounters } from './tcp-counters.js';

export function registerTcpMetrics(registry: Registry, counters: TcpCounters, queued: () => number): void {
  const registers = [registry];
  new Counter({
    name: 'lblab_tcp_connections_total',
    help: 'Client connections relayed to a server (tcp mode)',
    labelNames: ['server'],
    registers,
    collect() {
      this.reset();
      for (const [server, counts] of counters.servers) this.inc({ server }, counts.total);
    },
  });
  new Gauge({
    name: 'lblab_tcp_connections_open',
    help: 'Client connections relayed to a server now (tcp mode)',
    labelNames: ['server'],
    registers,
    collect() {
      this.reset();
      for (const [server, counts] of counters.servers) this.set({ server }, counts.open);
    },
  });
  new Counter({
    name: 'lblab_tcp_bytes_total',
    help: 'Bytes relayed (tcp mode), by server and direction',
    labelNames: ['server', 'direction'],
    registers,
    collect() {
      this.reset();
      for (const [server, counts] of counters.servers) {
        this.inc({ server, direction: 'to_server' }, counts.bytesToServer);
        this.inc({ server, direction: 'to_client' }, counts.bytesToClient);
      }
    },
  });
  new Counter({
    name: 'lblab_tcp_connect_failures_total',
    help: 'Connects to a server that failed or timed out (tcp mode)',
    labelNames: ['server'],
    registers,
    collect() {
      this.reset();
      for (const [server, counts] of counters.servers) this.inc({ server }, counts.connectFailures);
    },
  });
  new Counter({
    name: 'lblab_tcp_refused_total',
    help: 'Client connections closed without a server (tcp mode), by reason',
    labelNames: ['reason'],
    registers,
    collect() {
      this.reset();
      for (const [reason, count] of counters.refusals) this.inc({ reason }, count);
    },
  });
  new Gauge({
    name: 'lblab_tcp_connections_queued',
    help: 'Client connections waiting for a free server (tcp mode, first-available)',
    registers,
    collect() {
      this.set(queued());
    },
  });
}
