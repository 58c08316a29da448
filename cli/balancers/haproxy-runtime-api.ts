import net from 'node:net';
import { LabError } from '../errors.js';

const DEFAULT_TIMEOUT_MS = 3_000;

/** Sends one command to HAProxy's runtime API (the stats socket) and resolves with its whole answer. */
export function haproxyCommand(socketPath: string, command: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.createConnection(socketPath);
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`no answer within ${timeoutMs} ms`)),
    );
    socket.once('connect', () => socket.end(`${command}\n`));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new LabError('LBLAB_ADMIN', `HAProxy's runtime API at ${socketPath} did not answer "${command}": ${error.code ?? error.message}`, { cause: error }),
      ),
    );
    socket.once('close', (hadError) => {
      if (!hadError) resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

/** `show stat` CSV as one record per line, keyed by the header's field names. */
export function parseShowStat(csv: string): Record<string, string>[] {
  const lines = csv.split('\n').filter((line) => line.trim() !== '');
  const header = lines[0];
  if (header === undefined || !header.startsWith('# ')) return [];
  const fields = header.slice(2).split(',');
  return lines.slice(1).map((line) => {
    const values = line.split(',');
    return Object.fromEntries(fields.map((field, index) => [field, values[index] ?? '']));
  });
}

/** `show info` as name -> value. */
export function parseShowInfo(text: string): Record<string, string> {
  const info: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) info[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return info;
}
