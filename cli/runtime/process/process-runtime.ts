import { access, readdir, rm } from 'node:fs/promises';
import type {
  BalancerLaunch,
  DownResult,
  LabMember,
  LabRuntimeInfo,
  LogsOptions,
  Runtime,
  ServerLaunch,
} from '../runtime.js';
import { LabError } from '../../errors.js';
import { bundlePath, stateHome } from '../../paths.js';
import { assertPortFree, findFreePort, waitForPort } from '../ports.js';
import { processState, isAlive } from './proc-state.js';
import {
  logFileOf,
  processDir,
  readMemberFile,
  readMemberFiles,
  removeMemberFile,
  writeMemberFile,
  type ProcessMemberFile,
} from './member-file.js';
import { spawnMember } from './spawn-member.js';
import { sampleProcesses } from './process-usage.js';
import type { MemberUsage, UsageOptions } from '../runtime.js';
import { killNow, sendSignal, terminate } from './terminate.js';
import { followFile, lastLines } from './tail-file.js';
import type { BalancerPlacement } from '../../balancers/balancer-settings.js';
import { externalBalancerArgs, findHostProgram } from '../../balancers/host-program.js';
import { TOKEN_ENV, readLabToken } from '../../lab/lab-token.js';

const START_TIMEOUT_MS = 15_000;
const DEFAULT_SAMPLE_MS = 1_000;

function markerOf(lab: string, name: string): string {
  return `LBLAB_MEMBER=${lab}/${name}`;
}

function faultEnv(server: ServerLaunch): Record<string, string> {
  const env: Record<string, string> = {};
  const fault = server.fault;
  if (fault?.errorRate !== undefined) env.LBLAB_FAULT_ERROR_RATE = String(fault.errorRate);
  if (fault?.latencyMs !== undefined) {
    env.LBLAB_FAULT_LATENCY_MS = typeof fault.latencyMs === 'number' ? String(fault.latencyMs) : fault.latencyMs.join('-');
  }
  if (fault?.hang === true) env.LBLAB_FAULT_HANG = '1';
  return env;
}

/**
 * Runs lab members as local node processes on 127.0.0.1. The only code that
 * spawns servers; members are detached so they outlive the CLI, and are
 * recorded under .lblab/<lab>/process/ so any later command finds them.
 */
export class ProcessRuntime implements Runtime {
  readonly kind = 'process' as const;

  async prepare(): Promise<void> {
    for (const bundle of ['balancer.js', 'sample-server.js'] as const) {
      const file = bundlePath(bundle);
      const exists = await access(file).then(() => true, () => false);
      if (!exists) {
        throw new LabError('LBLAB_NOT_READY', `the bundle ${file} is missing; run \`npm run build\` first`);
      }
    }
  }

  serverUrlTemplate(): string | undefined {
    return undefined;
  }

  async startServer(lab: LabRuntimeInfo, server: ServerLaunch): Promise<LabMember> {
    if (server.port !== undefined) await assertPortFree(server.port, `--port-base (${server.name})`);
    const port = server.port ?? (await findFreePort());
    const env: Record<string, string> = {
      LBLAB_SERVER_NAME: server.name,
      LBLAB_PORT: String(port),
      LBLAB_HOST: '127.0.0.1',
      LBLAB_APP: server.app,
      ...(server.username === undefined ? {} : { LBLAB_USERNAME: server.username }),
      ...faultEnv(server),
    };
    const member = await this.launch(lab.lab, {
      name: server.name,
      role: 'server',
      port,
      upstreamUrl: `http://127.0.0.1:${port}`,
      program: process.execPath,
      args: [bundlePath('sample-server.js')],
      env,
    }, lab.token);
    return this.toLabMember(lab.lab, member);
  }

  balancerPlacement(lab: LabRuntimeInfo, runDir: string): BalancerPlacement {
    return { listenHost: '127.0.0.1', port: lab.port, adminPort: lab.adminPort, runDir };
  }

  async signal(lab: string, name: string, signal: NodeJS.Signals): Promise<void> {
    const member = await this.member(lab, name);
    await this.signalIfAlive(lab, member, signal, `signal (${signal})`);
  }

  async startBalancer(lab: LabRuntimeInfo, balancer: BalancerLaunch): Promise<LabMember> {
    await assertPortFree(lab.port, '--port');
    await assertPortFree(lab.adminPort, '--admin-port');
    if (balancer.external !== undefined) {
      const { kind, runDir } = balancer.external;
      const external = await this.launch(lab.lab, {
        name: 'balancer',
        role: 'balancer',
        port: lab.port,
        adminPort: lab.adminPort,
        program: await findHostProgram(kind),
        // nginx overwrites its environment with its process title: the marker goes in an argument too.
        args: [...externalBalancerArgs(kind, runDir), ...(kind === 'nginx' ? ['-g', `env ${markerOf(lab.lab, 'balancer')};`] : [])],
        env: {},
        processGroup: true,
      }, undefined);
      return this.toLabMember(lab.lab, external);
    }
    const member = await this.launch(lab.lab, {
      name: 'balancer',
      role: 'balancer',
      port: lab.port,
      adminPort: lab.adminPort,
      program: process.execPath,
      args: [bundlePath('balancer.js')],
      env: {
        LBLAB_BALANCER_CONFIG: JSON.stringify({
          ...balancer.config,
          host: '127.0.0.1',
          adminHost: '127.0.0.1',
          port: lab.port,
          adminPort: lab.adminPort,
        }),
      },
    }, lab.token);
    return this.toLabMember(lab.lab, member);
  }

  async kill(lab: string, name: string): Promise<void> {
    const member = await this.member(lab, name);
    // nginx's workers outlive a killed master: the whole group goes.
    if (member.processGroup === true && isAlive(await processState(member.pid, markerOf(lab, name)))) sendSignal(-member.pid, 'SIGKILL');
    await killNow(member.pid, markerOf(lab, name));
  }

  async revive(lab: string, name: string): Promise<void> {
    const member = await this.member(lab, name);
    const state = await processState(member.pid, markerOf(lab, name));
    if (state === 'paused') sendSignal(member.pid, 'SIGCONT');
    if (isAlive(state)) return;
    await this.launch(lab, member, await readLabToken(lab));
  }

  async stop(lab: string, name: string): Promise<void> {
    const member = await this.member(lab, name);
    await terminate(member.pid, markerOf(lab, name));
  }

  async usage(lab: string, options: UsageOptions = {}): Promise<MemberUsage[]> {
    const members = await readMemberFiles(lab);
    const listed = await Promise.all(members.map(async (member) => ({ member, lab: await this.toLabMember(lab, member) })));
    const running = listed.filter((m) => m.lab.state === 'running').map((m) => m.member.pid);
    const samples = await sampleProcesses(running, options.sampleMs ?? DEFAULT_SAMPLE_MS);
    return listed.map(({ member, lab: m }) => ({ name: m.name, role: m.role, state: m.state, ...(m.state === 'running' ? samples.get(member.pid) : {}) }));
  }

  async pause(lab: string, name: string): Promise<void> {
    const member = await this.member(lab, name);
    await this.signalIfAlive(lab, member, 'SIGSTOP', 'pause');
  }

  async unpause(lab: string, name: string): Promise<void> {
    const member = await this.member(lab, name);
    await this.signalIfAlive(lab, member, 'SIGCONT', 'unpause');
  }

  async remove(lab: string, name: string): Promise<void> {
    const member = await this.member(lab, name);
    await terminate(member.pid, markerOf(lab, name));
    await removeMemberFile(lab, name);
  }

  async list(lab: string): Promise<LabMember[]> {
    const members = await readMemberFiles(lab);
    return Promise.all(members.map((member) => this.toLabMember(lab, member)));
  }

  async logs(lab: string, name: string, options: LogsOptions): Promise<void> {
    const member = await this.member(lab, name);
    options.out.write(await lastLines(member.logFile, options.tail));
    if (options.follow) await followFile(member.logFile, options.out, options.signal);
  }

  async down(lab: string): Promise<DownResult> {
    const removed: string[] = [];
    const errors: Error[] = [];
    const members = await readMemberFiles(lab);
    await Promise.all(
      members.map(async (member) => {
        try {
          await terminate(member.pid, markerOf(lab, member.name));
          await removeMemberFile(lab, member.name);
          removed.push(member.name);
        } catch (error) {
          errors.push(new Error(`could not stop ${member.name} (pid ${member.pid}): ${(error as Error).message}`, { cause: error }));
        }
      }),
    );
    if (errors.length === 0) await rm(processDir(lab), { recursive: true, force: true });
    return { removed: removed.sort(), errors };
  }

  async labs(): Promise<string[]> {
    const entries = await readdir(stateHome(), { withFileTypes: true }).catch(() => []);
    const labs: string[] = [];
    for (const entry of entries) {
      if (entry.isDirectory() && (await readMemberFiles(entry.name)).length > 0) labs.push(entry.name);
    }
    return labs.sort();
  }

  /** Starts a member; the token goes into its environment only, not into its member file (revive reads it from the lab's token file). */
  private async launch(
    lab: string,
    spec: Omit<ProcessMemberFile, 'pid' | 'logFile' | 'startedAt'> & { logFile?: string },
    token: string | undefined,
  ): Promise<ProcessMemberFile> {
    const marker = markerOf(lab, spec.name);
    const logFile = spec.logFile ?? logFileOf(lab, spec.name);
    const pid = await spawnMember({
      program: spec.program,
      args: spec.args,
      env: { ...spec.env, LBLAB_MEMBER: `${lab}/${spec.name}`, ...(token === undefined ? {} : { [TOKEN_ENV]: token }) },
      logFile,
    });
    const member: ProcessMemberFile = { ...spec, pid, logFile, startedAt: new Date().toISOString() };
    await writeMemberFile(lab, member);
    try {
      await waitForPort(spec.port, {
        timeoutMs: START_TIMEOUT_MS,
        isGone: async () => !isAlive(await processState(pid, marker)),
      });
    } catch (error) {
      const log = await lastLines(logFile, 10);
      throw new LabError(
        'LBLAB_NOT_READY',
        `${spec.name} did not start: ${(error as Error).message}${log === '' ? '' : `\nlast lines of ${logFile}:\n${log.trimEnd()}`}`,
        { cause: error },
      );
    }
    return member;
  }

  private async member(lab: string, name: string): Promise<ProcessMemberFile> {
    const member = await readMemberFile(lab, name);
    if (member === undefined) {
      const names = (await readMemberFiles(lab)).map((m) => m.name).sort();
      throw new LabError(
        'LBLAB_UNKNOWN_SERVER',
        `unknown server "${name}" in lab "${lab}"; members: ${names.length === 0 ? '(none)' : names.join(', ')}`,
      );
    }
    return member;
  }

  private async signalIfAlive(lab: string, member: ProcessMemberFile, signal: NodeJS.Signals, verb: string): Promise<void> {
    const state = await processState(member.pid, markerOf(lab, member.name));
    if (!isAlive(state)) {
      throw new LabError('LBLAB_BAD_INPUT', `cannot ${verb} ${member.name}: it is stopped; revive it first`);
    }
    sendSignal(member.processGroup === true && (signal === 'SIGSTOP' || signal === 'SIGCONT') ? -member.pid : member.pid, signal);
  }

  private async toLabMember(lab: string, member: ProcessMemberFile): Promise<LabMember> {
    return {
      name: member.name,
      role: member.role,
      state: await processState(member.pid, markerOf(lab, member.name)),
      id: String(member.pid),
      ...(member.upstreamUrl === undefined ? {} : { upstreamUrl: member.upstreamUrl }),
    };
  }
}
