// `Authorization: Bearer <token>` checks for the admin API and the sample
// servers' /_lab routes. Both sides are hashed first, so the comparison takes
// the same time whatever the length or the first differing byte.
import { createHash, timingSafeEqual } from 'node:crypto';

/** `ok`, no usable `Authorization: Bearer` header, or a token that does not match. */
export type BearerVerdict = 'ok' | 'missing' | 'wrong';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

export function checkBearer(authorization: string | undefined, token: string): BearerVerdict {
  const match = authorization === undefined ? null : BEARER.exec(authorization);
  const presented = match?.[1];
  if (presented === undefined) return 'missing';
  return timingSafeEqual(digest(presented), digest(token)) ? 'ok' : 'wrong';
}

/** The 401 answer's message and `WWW-Authenticate` value (RFC 6750) for a refused verdict. */
export function bearerChallenge(verdict: Exclude<BearerVerdict, 'ok'>, what: string): { message: string; header: string } {
  return verdict === 'missing'
    ? {
        message: `${what} needs the lab's token: send Authorization: Bearer <token> (lblab keeps it in the lab's state folder)`,
        header: 'Bearer',
      }
    : { message: `${what} refused the token in Authorization: Bearer (it is not this lab's token)`, header: 'Bearer error="invalid_token"' };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
