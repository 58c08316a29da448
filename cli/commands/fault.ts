import type { Command } from 'commander';
import { LabError } from '../errors.js';
import { findMember, openLab } from '../lab/open-lab.js';
import { LIMITS } from '../../balancer/config/limits.js';
import { parseDurationOrRange, parseInteger, parseName, parseRate, parsedOption } from './option-parsers.js';
import type { FaultSpec } from '../runtime/runtime.js';
import { describeFaultState } from '../lab/describe-fault.js';
import type { CliIo } from './io.js';
import { labOf } from './lab-option.js';

interface FaultFlags {
  errorRate?: number;
  latency?: number | [number, number];
  hang?: boolean;
  concurrency?: number;
  clear?: boolean;
}

export function faultFromFlags(flags: FaultFlags): FaultSpec {
  const fault: { errorRate?: number; latencyMs?: number | [number, number]; hang?: boolean; concurrency?: number } = {};
  if (flags.errorRate !== undefined) fault.errorRate = flags.errorRate;
  if (flags.latency !== undefined) fault.latencyMs = flags.latency;
  if (flags.hang === true) fault.hang = true;
  if (flags.concurrency !== undefined) fault.concurrency = flags.concurrency;
  if (Object.keys(fault).length === 0) {
    throw new LabError('LBLAB_BAD_INPUT', 'fault needs --error-rate, --latency, --hang, --concurrency or --clear', { exitCode: 2 });
  }
  return fault;
}

export function registerFault(program: Command, io: CliIo): void {
  program
    .command('fault <server>')
    .description(
      "inject faults into a server: errors (500), added latency, or hanging; --clear removes them. Fields not given keep their values; prints the server's whole fault state after the change",
    )
    .addOption(parsedOption('--error-rate <rate>', 'share of requests answered with 500, 0..1', parseRate))
    .addOption(parsedOption('--latency <duration>', 'added latency: 200ms, 1.5s, or a range 100-300', parseDurationOrRange))
    .option('--hang', 'accept requests but never answer')
    .addOption(
      parsedOption('--concurrency <workers>', 'workers: at most this many requests in service at once, the rest queue; 0 = no limit', (flag, text) =>
        parseInteger(flag, text, LIMITS.serverConcurrency),
      ),
    )
    .option('--clear', 'remove every fault')
    .action(async (server: string, flags: FaultFlags, command: Command) => {
      const name = parseName('server', server);
      const fault = flags.clear === true ? undefined : faultFromFlags(flags);
      const lab = await openLab(labOf(command));
      await findMember(lab, name);
      if (fault === undefined) await lab.admin.clearFault(name);
      else await lab.admin.setFault(name, fault);
      // What the server now does, read back from it: fields not given keep their earlier values.
      io.note(`${name} now: ${describeFaultState(await lab.admin.fault(name))}`);
    });
}
