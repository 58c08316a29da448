// HAProxy config for the comparison: round-robin, keep-alive to the servers
// (http-reuse always), X-Forwarded-For and active checks like lblab's defaults.

/** @param {{ port: number, servers: { name: string, url: string }[] }} options */
export function haproxyConfig({ port, servers }) {
  const lines = [
    'global',
    '  nbthread 1',
    '  maxconn 4000',
    'defaults',
    '  mode http',
    '  timeout connect 5s',
    '  timeout client 30s',
    '  timeout server 30s',
    '  timeout http-keep-alive 30s',
    '  option http-keep-alive',
    '  option forwardfor',
    '  http-reuse always',
    'frontend data',
    `  bind 127.0.0.1:${port}`,
    '  default_backend servers',
    'backend servers',
    '  balance roundrobin',
    '  option httpchk GET /health',
    ...servers.map(({ name, url }) => `  server ${name} ${new URL(url).host} check inter 500ms fall 2 rise 2`),
    '',
  ];
  return lines.join('\n');
}
