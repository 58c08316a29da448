import { describe, expect, it } from 'vitest';
import { parseShowInfo, parseShowStat } from '../../../cli/balancers/haproxy-runtime-api.js';
import { healthOfStatus, statsFromShowStat } from '../../../cli/balancers/haproxy-stats.js';

// The fields lblab reads, in HAProxy 2.6's order, from a lab with server2 killed.
const SHOW_STAT = [
  '# pxname,svname,scur,stot,econ,eresp,status,weight,lastchg,rtime,hrsp_2xx,hrsp_5xx,addr,',
  'data,FRONTEND,0,12,,,OPEN,,,,,,,',
  'servers,server1,1,40,0,0,UP,1,4,2,39,1,127.0.0.1:33019,',
  'servers,server2,0,7,3,1,DOWN,1,2,,7,0,127.0.0.1:40359,',
  'servers,server3,0,41,0,0,UP 1/2,2,4,5,41,0,127.0.0.1:33645,',
  'servers,BACKEND,1,88,3,1,UP,4,4,3,87,1,,',
  '',
].join('\n');

describe("HAProxy's runtime API answers as lblab's stats", () => {
  it('maps statuses: up while it still takes traffic, down otherwise', () => {
    expect(['UP', 'UP 1/2', 'no check', 'DRAIN'].map(healthOfStatus)).toEqual(['up', 'up', 'up', 'up']);
    expect(['DOWN', 'DOWN 1/2', 'MAINT', 'MAINT (resolution)'].map(healthOfStatus)).toEqual(['down', 'down', 'down', 'down']);
  });

  it('reads the servers of backend `servers` and the backend totals', () => {
    const stats = statsFromShowStat(parseShowStat(SHOW_STAT), { algorithm: 'round-robin', uptimeMs: 5000, nowMs: 100_000 });
    expect(stats.servers.map((s) => [s.name, s.health, s.requests, s.errors, s.inFlight, s.avgLatencyMs, s.weight])).toEqual([
      ['server1', 'up', 40, 1, 1, 2, 1],
      ['server2', 'down', 7, 4, 0, 0, 1],
      ['server3', 'up', 41, 0, 0, 5, 2],
    ]);
    expect(stats.servers[1]).toMatchObject({ url: 'http://127.0.0.1:40359', healthChangedAt: 98_000, successes: 7 });
    expect(stats.totals).toEqual({ requests: 88, errors: 5, inFlight: 1 });
    expect(stats).toMatchObject({ algorithm: 'round-robin', uptimeMs: 5000 });
  });

  it('reads show info lines', () => {
    expect(parseShowInfo('Name: HAProxy\nVersion: 2.6.12-1+deb12u4\nUptime_sec: 12\n')).toMatchObject({ Version: '2.6.12-1+deb12u4', Uptime_sec: '12' });
  });

  it('gives nothing for an answer that is not CSV', () => {
    expect(parseShowStat('Unknown command\n')).toEqual([]);
  });
});
