import { afterEach, describe, expect, it } from 'vitest';
import { createProgram } from '../../../cli/program.js';
import { parseHeaders } from '../../../cli/commands/load.js';
import { startTestServer, type TestServer } from '../load/fixtures/test-server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function lblab(args: readonly string[]): Promise<{ out: string; err: string }> {
  let out = '';
  let err = '';
  const program = createProgram({ out: (text) => (out += `${text}\n`), err: (text) => (err += `${text}\n`) });
  await program.parseAsync([...args], { from: 'user' });
  return { out, err };
}

describe('lblab load', () => {
  it('loads a URL and prints the rate, the percentiles, a histogram and the split per server', async () => {
    const target = await startTestServer({ ids: ['server1', 'server2'] });
    servers.push(target);
    const { out } = await lblab(['load', '-c', '4', '-n', '200', '-q', `${target.url}/home`]);
    expect(out).toContain(`GET ${target.url}/home  4 connections, closed model`);
    expect(out).toMatch(/requests\s+200 in [\d.]+s, [\d,.]+ req\/s/);
    expect(out).toMatch(/p50 .* p75 .* p90 .* p95 .* p99 .* p99\.9 .* max /);
    expect(out).toContain('latency histogram');
    expect(out).toMatch(/server1\s+100\s+50\.0%/);
    expect(out).toMatch(/server2\s+100\s+50\.0%/);
  });

  it('prints progress lines on stderr, and none under the global -q (the report stays)', async () => {
    const target = await startTestServer({ ids: ['server1'] });
    servers.push(target);
    const loud = await lblab(['load', '-c', '2', '-d', '1500ms', target.url]);
    expect(loud.err).toMatch(/^\s+1\.0s\s+[\d,]+ req\s+[\d,]+ req\/s\s+err 0/m);
    const quiet = await lblab(['-q', 'load', '-c', '2', '-d', '1500ms', target.url]);
    expect(quiet.err).toBe('');
    expect(quiet.out).toContain('latency histogram');
  });

  it('prints JSON with --json, and POSTs a JSON body with its content type', async () => {
    const target = await startTestServer({ reply: (_n, request) => ({ status: request.headers['content-type'] === 'application/json' ? 201 : 400 }) });
    servers.push(target);
    const { out } = await lblab(['load', '-c', '2', '-n', '6', '--body', '{"a":1}', '-H', 'X-Trace: 7', '--json', target.url]);
    const result = JSON.parse(out) as { requests: number; method: string; byStatus: Record<string, number> };
    expect(result).toMatchObject({ requests: 6, method: 'POST', byStatus: { '201': 6 } });
    expect(target.bodies).toEqual(Array(6).fill('{"a":1}'));
  });

  it('names the flag and the value it refuses', async () => {
    await expect(lblab(['load', '-c', '0', 'http://127.0.0.1:1/'])).rejects.toThrow('--connections must be an integer from 1 to 10000, got "0"');
    await expect(lblab(['load', '--rate', 'fast', 'http://127.0.0.1:1/'])).rejects.toThrow(/--rate must be a number of requests per second/);
    expect(() => parseHeaders(['nocolon'])).toThrow('-H must be "Name: value", got "nocolon"');
  });
});
