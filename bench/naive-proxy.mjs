// The naive baseline: a node:http reverse proxy with one http.request per
// request over a keep-alive agent, round-robin, headers copied as they are.
// usage: node bench/naive-proxy.mjs --port 0 --upstreams http://127.0.0.1:9001,http://127.0.0.1:9002
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, upstreams: { type: 'string' } } });
const upstreams = (values.upstreams ?? '').split(',').filter(Boolean).map((url) => new URL(url));
if (upstreams.length === 0) throw new Error('--upstreams needs at least one URL, got none');
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
let next = 0;

const server = http.createServer((req, res) => {
  const target = upstreams[next++ % upstreams.length];
  const headers = { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress };
  const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
});
server.listen(Number(values.port), '127.0.0.1', () => console.log(`listening naive http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => process.exit(0));
