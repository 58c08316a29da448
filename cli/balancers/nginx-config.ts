import path from 'node:path';
import { connectTimeoutMs, modeOf, type BalancerSettings, type GeneratedServer } from './balancer-settings.js';
import { nginxPassiveFailTimeoutS } from './resolve-settings.js';

export const NGINX_FILES = { config: 'nginx.conf', pid: 'nginx.pid' } as const;

/** The upstream block's balancing line, or undefined for the default round-robin. */
export function nginxBalanceLine(settings: BalancerSettings): string | undefined {
  switch (settings.algorithm) {
    case 'round-robin':
    case 'weighted-round-robin':
      return undefined;
    case 'least-connections':
    case 'least-response-time':
    case 'first-available':
      return 'least_conn;';
    case 'power-of-two':
      return 'random two least_conn;';
    case 'random':
      return 'random;';
    case 'consistent-hash':
    case 'maglev':
      // Per connection there is no URL: the client address is the key.
      return modeOf(settings) === 'tcp' ? 'hash $remote_addr consistent;' : `hash $arg_${settings.hashKeyParam} consistent;`;
  }
}

/** nginx open source only has passive checks: max_fails failures within fail_timeout take a server out for fail_timeout. */
export function nginxPassiveParameters(settings: BalancerSettings): string {
  if (settings.health.enabled) return `max_fails=${settings.health.fall} fail_timeout=${nginxPassiveFailTimeoutS(settings)}s`;
  if (settings.outlier.enabled) return `max_fails=${settings.outlier.consecutive5xx} fail_timeout=${Math.max(1, Math.ceil(settings.outlier.baseEjectionMs / 1000))}s`;
  return 'max_fails=0';
}

function serverLine(settings: BalancerSettings, server: GeneratedServer): string {
  const parts = ['server', server.address];
  if (settings.algorithm === 'weighted-round-robin' || server.weight !== 1) parts.push(`weight=${server.weight}`);
  parts.push(nginxPassiveParameters(settings));
  if (settings.algorithm === 'first-available') parts.push(`max_conns=${settings.algorithmOptions.capacity ?? 1}`);
  return `${parts.join(' ')};  # ${server.name}`;
}

/**
 * /server/<name>/... on the admin port. With a resolver (Docker) the name is
 * looked up per request, so a stopped server does not fail a reload.
 */
function adminRoute(settings: BalancerSettings, server: GeneratedServer): string {
  const timeout = `proxy_connect_timeout ${connectTimeoutMs(settings)}ms;`;
  if (settings.placement.resolver === undefined) return `    location /server/${server.name}/ { proxy_pass http://${server.address}/; ${timeout} }`;
  return `    location ~ ^/server/${server.name}(/.*)$ { set $lab_server ${server.address}; proxy_pass http://$lab_server$1$is_args$args; ${timeout} }`;
}

function retryLines(settings: BalancerSettings): string[] {
  if (settings.retries === 0) return ['proxy_next_upstream off;'];
  return ['proxy_next_upstream error timeout http_502 http_503 http_504;', `proxy_next_upstream_tries ${settings.retries + 1};`];
}

/** The upstream block of the data path (http or stream: the same directives). */
function upstreamLines(settings: BalancerSettings, keepalive: boolean): string[] {
  const balance = nginxBalanceLine(settings);
  return [
    'upstream servers {',
    ...(balance === undefined ? [] : [`  ${balance}`]),
    ...settings.servers.map((server) => `  ${serverLine(settings, server)}`),
    // An upstream with no server is an error in nginx; a closed port answers 502 (tcp: a closed connection) like an empty pool.
    ...(settings.servers.length === 0 ? ['  server 127.0.0.1:9 down;'] : []),
    ...(keepalive ? ['  keepalive 64;'] : []),
    '}',
  ];
}

/** Tcp mode: each client connection relayed to one server; a failed connect tries the next server when retries are on. */
function streamLines(settings: BalancerSettings): string[] {
  const { placement } = settings;
  const retries = settings.retries === 0 ? ['proxy_next_upstream off;'] : ['proxy_next_upstream on;', `proxy_next_upstream_tries ${settings.retries + 1};`];
  return [
    'stream {',
    ...upstreamLines(settings, false).map((line) => `  ${line}`),
    '  server {',
    `    listen ${placement.listenHost}:${placement.port};`,
    '    proxy_pass servers;',
    `    proxy_connect_timeout ${connectTimeoutMs(settings)}ms;`,
    // Idle time allowed on a relayed connection, as HAProxy's timeout client/server in tcp mode.
    '    proxy_timeout 30s;',
    ...retries.map((line) => `    ${line}`),
    '  }',
    '}',
  ];
}

/**
 * An nginx (1.22, open source) configuration from the lab's settings: the
 * data server on `port` (in tcp mode a `stream` server, its module loaded
 * first when it is dynamic); on `adminPort` /health, /stats (stub_status) and
 * /server/<name>/... proxied to that server. Every file nginx writes goes
 * under the run folder, so it runs as any user on a read-only root.
 */
export function nginxConfig(settings: BalancerSettings): string {
  const { placement } = settings;
  const tcp = modeOf(settings) === 'tcp';
  const at = (name: string): string => path.posix.join(placement.runDir, name);
  const proxy = [
    'proxy_http_version 1.1;',
    'proxy_set_header Connection "";',
    'proxy_set_header Host $host;',
    'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    `proxy_connect_timeout ${connectTimeoutMs(settings)}ms;`,
    `proxy_read_timeout ${settings.upstreamTimeoutMs}ms;`,
  ];
  const indent = (spaces: number, lines: readonly string[]): string[] => lines.map((line) => `${' '.repeat(spaces)}${line}`);
  const httpData = [
    ...upstreamLines(settings, true),
    'server {',
    `  listen ${placement.listenHost}:${placement.port};`,
    // The servers' fault API is for the lab, not for clients of the data port.
    '  location /_lab/ { return 404; }',
    '  location / {',
    '    proxy_pass http://servers;',
    ...indent(4, proxy),
    ...indent(4, retryLines(settings)),
    '  }',
    '}',
  ];
  return [
    '# Generated by lblab from the lab settings; changes are overwritten.',
    ...(tcp && settings.nginxStreamModule !== undefined ? [`load_module ${settings.nginxStreamModule};`] : []),
    'daemon off;',
    'worker_processes 1;',
    `pid ${at(NGINX_FILES.pid)};`,
    'error_log stderr notice;',
    'events { worker_connections 4096; }',
    'http {',
    '  access_log off;',
    // Bodies stay in memory: workers of a root master run as nobody and may not reach the run folder.
    '  client_body_buffer_size 1m;',
    '  proxy_max_temp_file_size 0;',
    ...(placement.resolver === undefined ? [] : [`  resolver ${placement.resolver} valid=1s;`]),
    `  client_body_temp_path ${at('client-body')};`,
    `  proxy_temp_path ${at('proxy')};`,
    `  fastcgi_temp_path ${at('fastcgi')};`,
    `  uwsgi_temp_path ${at('uwsgi')};`,
    `  scgi_temp_path ${at('scgi')};`,
    ...(tcp ? [] : indent(2, httpData)),
    '  server {',
    `    listen ${placement.listenHost}:${placement.adminPort};`,
    `    location = /health { default_type text/plain; return 200 "ok ${settings.generation ?? 0}\\n"; }`,
    '    location = /stats { stub_status; }',
    ...settings.servers.map((server) => adminRoute(settings, server)),
    '  }',
    '}',
    ...(tcp ? streamLines(settings) : []),
    '',
  ].join('\n');
}
