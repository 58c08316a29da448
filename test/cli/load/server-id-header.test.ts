import { describe, expect, it } from 'vitest';
import { NO_SERVER_ID } from '../../../cli/load/load-result.js';
import { serverIdFromRawHeaders } from '../../../cli/load/server-id-header.js';

const raw = (...pairs: string[]): Buffer[] => pairs.map((text) => Buffer.from(text, 'latin1'));

describe('serverIdFromRawHeaders', () => {
  it.each([
    ['lower case', raw('content-type', 'text/plain', 'x-server-id', 'server2'), 'server2'],
    ['mixed case', raw('X-Server-Id', 'server1'), 'server1'],
    ['upper case', raw('X-SERVER-ID', 'server3'), 'server3'],
    ['the first of two', raw('x-server-id', 'a', 'x-server-id', 'b'), 'a'],
    ['missing', raw('content-type', 'text/plain', 'x-server-ids', 'no'), NO_SERVER_ID],
    ['empty', raw('x-server-id', ''), NO_SERVER_ID],
    ['a name of the same length', raw('x-server-ix', 'no', 'x_server_id', 'no'), NO_SERVER_ID],
    ['no headers', raw(), NO_SERVER_ID],
    ['latin1 bytes kept as they are', raw('x-server-id', 'sérvér'), 'sérvér'],
  ])('%s', (_name, headers, expected) => {
    expect(serverIdFromRawHeaders(headers)).toBe(expected);
  });
});
