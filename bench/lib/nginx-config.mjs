// nginx config for the comparison: one worker, round-robin upstream with a
// keep-alive pool, X-Forwarded-For, no access log. Every path under `dir`.
import path from 'node:path';

/** @param {{ port: number, dir: string, servers: { name: string, url: string }[] }} options */
export function nginxConfig({ port, dir, servers }) {
  const at = (name) => path.join(dir, name);
  return `worker_processes 1;
pid ${at('nginx.pid')};
error_log ${at('error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${at('client-body')};
  proxy_temp_path ${at('proxy')};
  fastcgi_temp_path ${at('fastcgi')};
  uwsgi_temp_path ${at('uwsgi')};
  scgi_temp_path ${at('scgi')};
  upstream servers {
${servers.map(({ url }) => `    server ${new URL(url).host};`).join('\n')}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://servers;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`;
}
