import { describe, expect, it } from 'vitest';

import { endToEndHeaderList, hasHeader, namedByConnection } from '../../../balancer/data-path/hop-by-hop.js';

/** `[name, value, …]` as bytes, as undici reads response headers. */
function raw(...pairs: string[]): Buffer[] {
  return pairs.map((text) => Buffer.from(text, 'latin1'));
}

describe('endToEndHeaderList', () => {
  it('drops hop-by-hop headers and the headers Connection names, in any case; a repeated header stays where it was', () => {
    expect(
      endToEndHeaderList(
        raw(
          'Connection', 'Keep-Alive, X-Private , close',
          'Keep-Alive', 'timeout=5',
          'Set-Cookie', 'a=1',
          'Proxy-Authenticate', 'Basic',
          'proxy-authorization', 'Basic x',
          'TE', 'trailers',
          'Trailer', 'x-sum',
          'Transfer-Encoding', 'chunked',
          'Upgrade', 'h2c',
          'X-Private', 'secret',
          'Content-Type', 'text/plain',
          'set-cookie', 'b=2',
        ),
      ),
    ).toEqual(['set-cookie', 'a=1', 'content-type', 'text/plain', 'set-cookie', 'b=2']);
  });

  it('keeps everything end-to-end when Connection is keep-alive or absent, and values byte for byte (latin1)', () => {
    expect(endToEndHeaderList(raw('Connection', 'keep-alive', 'Host', 'a', 'Content-Length', '3'))).toEqual(['host', 'a', 'content-length', '3']);
    expect(endToEndHeaderList(raw('X-A', 'caf\u00e9'))).toEqual(['x-a', 'caf\u00e9']);
    expect(endToEndHeaderList(['x-b', '1'])).toEqual(['x-b', '1']);
  });

  it('drops what every Connection header names when there are several', () => {
    expect(endToEndHeaderList(raw('Connection', 'x-a', 'X-A', '1', 'Connection', 'x-b', 'X-B', '2', 'X-C', '3'))).toEqual(['x-c', '3']);
  });
});

describe('hasHeader', () => {
  it('finds a name only at a name position', () => {
    expect(hasHeader(['x-server-id', 's1'], 'x-server-id')).toBe(true);
    expect(hasHeader(['x-other', 'x-server-id'], 'x-server-id')).toBe(false);
  });
});

describe('namedByConnection', () => {
  it.each([
    [undefined, undefined],
    ['keep-alive', undefined],
    ['close', undefined],
    ['Keep-Alive, close', undefined],
    ['keep-alive, X-Secret', ['x-secret']],
    [['x-a', ' x-b , close'], ['x-a', 'x-b']],
  ])('%j names %j', (connection, names) => {
    const named = namedByConnection(connection);
    expect(named === undefined ? undefined : [...named]).toEqual(names);
  });
});
