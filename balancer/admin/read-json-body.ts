import type { IncomingMessage } from 'node:http';

import { AdminRequestError } from './admin-error.js';
import { LIMITS } from '../config/limits.js';

export const MAX_ADMIN_BODY_BYTES = LIMITS.adminBodyBytes.max;

/** The raw body of an admin request, at most `limitBytes` (413 beyond). */
export async function readBody(req: IncomingMessage, limitBytes = MAX_ADMIN_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limitBytes) {
      throw new AdminRequestError(413, `request body is larger than ${limitBytes} bytes`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** The JSON body of an admin request; an empty body is `undefined`; bad JSON is a 400 that says why. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  return parseJsonBody(await readBody(req));
}

export function parseJsonBody(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AdminRequestError(400, `request body is not valid JSON: ${(error as Error).message}`);
  }
}
