// The three sample servers every comparison shares, on 127.0.0.1.
import path from 'node:path';

const LISTENING = /listening (\S+) (http:\/\/127\.0\.0\.1:\d+)/;

/** @returns {Promise<{ name: string, url: string, pid: number }[]>} */
export async function startSampleServers(group, pinning, { distDir, count = 3 }) {
  const servers = [];
  for (let i = 1; i <= count; i++) {
    const name = `server${i}`;
    const [command, args] = pinning.wrap('server', process.execPath, [
      path.join(distDir, 'sample-server.js'),
      '--name',
      name,
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--app',
      'greeting',
    ]);
    const { member, match } = await group.start({ name, command, args, readyPattern: LISTENING });
    servers.push({ name, url: match[2], pid: member.child.pid });
  }
  return servers;
}
