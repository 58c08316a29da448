import { invalidValue } from './errors.js';
import { MAX_FACTORIAL_N, factorial } from './factorial.js';
import { failureReply, jsonReply, parseJsonBody, type JsonReply } from './json.js';
import type { SampleApp } from './options.js';
import type { AppRouteKey } from './routes.js';

export interface AppContext {
  readonly name: string;
  readonly app: SampleApp;
  readonly username: string;
  /** Returns [0, 1). */
  readonly random: () => number;
}

export interface AppRequest {
  readonly key: AppRouteKey;
  readonly method: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: Buffer;
}

const RANDOM_N_MIN = 100;
const RANDOM_N_MAX = 1000;

function factorialReply(name: string, n: number): JsonReply {
  const value = factorial(n).toString();
  return jsonReply(200, { server: name, n, digits: value.length, factorial: value });
}

function greetingReply(name: string): JsonReply {
  return jsonReply(200, { message: `Hello from server: ${name}`, status: 'successful' });
}

function parseFactorialN(text: string | undefined): number {
  const n = text !== undefined && /^\d{1,6}$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 0 && n <= MAX_FACTORIAL_N)) {
    throw invalidValue('path parameter n', text ?? '', `an integer from 0 to ${MAX_FACTORIAL_N}`);
  }
  return n;
}

/** /register and /changePassword: only this server's own username is accepted. */
function accountReply(context: AppContext, query: URLSearchParams, action: 'register' | 'changePassword'): JsonReply {
  const username = query.get('username');
  if (username === null || username === '') {
    return failureReply(400, 'Missing query parameter "username": expected ?username=<name>', context.name);
  }
  if (username !== context.username) {
    return failureReply(403, `User "${username}" does not belong to server ${context.name}`, context.name);
  }
  const message =
    action === 'register'
      ? `User "${username}" registered on server ${context.name}`
      : `Password changed for user "${username}" on server ${context.name}`;
  return jsonReply(201, { message, status: 'successful', server: context.name });
}

/** Answers one seed-compatible route. Faults are applied by the caller. */
export function handleAppRoute(request: AppRequest, context: AppContext): JsonReply {
  const { name } = context;
  switch (request.key) {
    case 'GET /': {
      if (context.app === 'greeting') return greetingReply(name);
      const n = RANDOM_N_MIN + Math.floor(context.random() * (RANDOM_N_MAX - RANDOM_N_MIN + 1));
      return factorialReply(name, n);
    }
    case 'GET /factorial/:n': {
      let n: number;
      try {
        n = parseFactorialN(request.params['n']);
      } catch (error) {
        return failureReply(400, error instanceof Error ? error.message : String(error), name);
      }
      return factorialReply(name, n);
    }
    case 'GET /home':
      return greetingReply(name);
    case 'GET /heartbeat':
      return jsonReply(200, { status: 'successful', server: name });
    case 'GET /health':
      return jsonReply(200, { status: 'up', server: name });
    case 'GET /login':
      return jsonReply(200, { message: `Login page of ${name}`, status: 'successful' });
    case 'POST /register':
      return accountReply(context, request.query, 'register');
    case 'POST /changePassword':
      return accountReply(context, request.query, 'changePassword');
    case 'POST /':
    case 'PUT /': {
      const parsed = parseJsonBody(request.body);
      if (!parsed.ok) return failureReply(400, parsed.message, name);
      return jsonReply(200, { server: name, method: request.method, received: parsed.value });
    }
  }
}
