// Long-running programs the bench starts (servers, balancers, HAProxy,
// nginx): started with a readiness check and a timeout, stopped together
// (SIGTERM, then SIGKILL after a grace period).
import { spawn } from 'node:child_process';

const OUTPUT_KEEP_CHARS = 16_384;

export class ProcessGroup {
  #members = [];

  /**
   * Starts `command args`. With `readyPattern`, resolves with the first match in
   * its stdout/stderr, and rejects (after stopping it) when it exits or does not
   * print it within `timeoutMs`.
   */
  async start({ name, command, args, env, cwd, readyPattern, timeoutMs = 10_000 }) {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const member = { name, child, head: '', tail: '', exited: false, exitCode: null };
    this.#members.push(member);
    const exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        member.exited = true;
        member.exitCode = code ?? signal;
        resolve();
      });
    });
    member.exitedPromise = exited;
    const onData = (chunk) => {
      const text = chunk.toString('utf8');
      if (member.head.length < OUTPUT_KEEP_CHARS) member.head += text.slice(0, OUTPUT_KEEP_CHARS - member.head.length);
      member.tail = (member.tail + text).slice(-OUTPUT_KEEP_CHARS);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (error) => {
      member.spawnError = error;
    });
    if (readyPattern === undefined) return { member, match: undefined };

    const match = await new Promise((resolve, reject) => {
      const check = () => {
        const found = member.head.match(readyPattern);
        if (found !== null) finish(() => resolve(found));
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`${name} did not print ${readyPattern} within ${timeoutMs} ms: ${member.tail.trim().slice(-500)}`))),
        timeoutMs,
      );
      const onExit = () =>
        finish(() =>
          reject(new Error(`${name} exited (${member.exitCode}) before it was ready${member.spawnError ? `: ${member.spawnError.message}` : ''}: ${member.tail.trim().slice(-500)}`)),
        );
      const finish = (settle) => {
        clearTimeout(timer);
        child.stdout.off('data', check);
        child.stderr.off('data', check);
        child.off('exit', onExit);
        settle();
      };
      child.stdout.on('data', check);
      child.stderr.on('data', check);
      child.once('exit', onExit);
      check();
    }).catch(async (error) => {
      await this.#stop(member, 1000);
      throw error;
    });
    return { member, match };
  }

  /** The output a member printed last (for error messages). */
  outputOf(member) {
    return member.tail;
  }

  /** Stops every member still running: SIGTERM, then SIGKILL after `graceMs`. */
  async stopAll(graceMs = 2000) {
    const members = this.#members.splice(0);
    await Promise.all(members.map((member) => this.#stop(member, graceMs)));
  }

  /** Last resort from a process 'exit' handler: SIGKILL everything, synchronously. */
  killAllNow() {
    for (const member of this.#members) {
      if (!member.exited) member.child.kill('SIGKILL');
    }
  }

  async #stop(member, graceMs) {
    if (member.exited || member.child.pid === undefined) return;
    member.child.kill('SIGTERM');
    if (await settlesWithin(member.exitedPromise, graceMs)) return;
    member.child.kill('SIGKILL');
    await settlesWithin(member.exitedPromise, 2000);
  }
}

async function settlesWithin(promise, timeoutMs) {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const result = await Promise.race([promise.then(() => true), timeout]);
  clearTimeout(timer);
  return result;
}
