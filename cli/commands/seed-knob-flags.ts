// Flags of `lblab up` that set the seed projects' per-server knobs: weights (seed 003),
// capacity (seed 000/003) and usernames (seed 002).
import type { Option } from 'commander';
import { badInput, integerArg, parsedOption } from './option-parsers.js';

const NAME = /^[a-z0-9][a-z0-9_.-]{0,62}$/;
export const MAX_WEIGHT = 1_000;

/** `server1=3,server2=1`: a weight (integer 1..1000) per server name; servers left out keep weight 1. */
export function parseWeights(flag: string, text: string): Record<string, number> {
  const weights: Record<string, number> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const match = /^([^=\s]+)=(\d{1,4})$/.exec(part);
    const name = match?.[1];
    const weight = Number(match?.[2]);
    if (name === undefined || !NAME.test(name) || !Number.isInteger(weight) || weight < 1 || weight > MAX_WEIGHT) {
      throw badInput(`${flag} must be server=weight pairs with weights from 1 to ${MAX_WEIGHT}, like server1=3,server2=1, got ${JSON.stringify(text)}`);
    }
    weights[name] = weight;
  }
  if (Object.keys(weights).length === 0) throw badInput(`${flag} must name at least one server, like server1=3,server2=1, got ${JSON.stringify(text)}`);
  return weights;
}

/** `jack,tom,rob` (server1, server2, server3 in order) or `server2=tom`: the username each sample server accepts. */
export function parseUsernames(flag: string, text: string): Record<string, string> {
  const usernames: Record<string, string> = {};
  const parts = text.split(',').map((p) => p.trim());
  parts.forEach((part, index) => {
    const [left, right] = part.includes('=') ? part.split('=', 2) : [`server${index + 1}`, part];
    if (left === undefined || right === undefined || !NAME.test(left) || !/^[A-Za-z0-9_.-]{1,64}$/.test(right)) {
      throw badInput(`${flag} must be usernames in server order (jack,tom,rob) or server=username pairs (server2=tom), got ${JSON.stringify(text)}`);
    }
    usernames[left] = right;
  });
  return usernames;
}

/** Names a knob sets that the lab will not have (server1..serverN). */
export function unknownServers(flag: string, names: readonly string[], servers: number): void {
  const known = new Set(Array.from({ length: servers }, (_, i) => `server${i + 1}`));
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw badInput(`${flag} names ${unknown.join(', ')}, but the lab has server1 to server${servers} (--servers ${servers})`);
  }
}

export interface SeedKnobFlags {
  weights?: Record<string, number>;
  usernames?: Record<string, string>;
  capacity?: number;
  seedApi?: boolean;
  portBase?: number;
  file?: string;
}

export const weightsOption = (): Option =>
  parsedOption('--weights <server=weight,...>', 'per-server weights for weighted-round-robin and the other weighted algorithms, e.g. server1=3,server2=1 (others 1)', parseWeights);
export const usernamesOption = (): Option =>
  parsedOption('--usernames <names>', "the username each server's /register and /changePassword accept, in server order: jack,tom,rob (default: the server's name)", parseUsernames);
export const portBaseOption = (): Option =>
  parsedOption('--port-base <port>', 'process runtime: server1 listens on this port, server2 on the next, ... (default: free ports)', integerArg({ min: 1024, max: 65_535 - 64 }));
export const capacityOption = (): Option =>
  parsedOption('--capacity <n>', 'first-available: requests one server takes at once; the rest wait in the balancer queue (default 1)', integerArg({ min: 1, max: 10_000 }));

/** The up() options the knobs set, checked against the lab's servers and algorithm. */
export function seedKnobSettings(
  flags: SeedKnobFlags,
  servers: number,
  algorithm: string,
): { weights?: Record<string, number>; usernames?: Record<string, string>; algorithmOptions?: { capacity: number }; portBase?: number } {
  if (flags.weights !== undefined) unknownServers('--weights', Object.keys(flags.weights), servers);
  if (flags.usernames !== undefined) unknownServers('--usernames', Object.keys(flags.usernames), servers);
  if (flags.capacity !== undefined && algorithm !== 'first-available') {
    throw badInput(
      `--capacity ${flags.capacity} caps the requests each server takes at once under --algorithm first-available (the others do not queue); got --algorithm ${algorithm}`,
    );
  }
  return {
    ...(flags.weights === undefined ? {} : { weights: flags.weights }),
    ...(flags.usernames === undefined ? {} : { usernames: flags.usernames }),
    ...(flags.capacity === undefined ? {} : { algorithmOptions: { capacity: flags.capacity } }),
    ...(flags.portBase === undefined ? {} : { portBase: flags.portBase }),
  };
}
