/** Prints how long each step of a command took, to stderr, when LBLAB_TIMING=1 (to see where `up` or `run` spends its time). */
export interface StepTiming {
  /** Marks the end of a step: prints its time since the previous mark and since the start. */
  mark(step: string): void;
  /** Runs `work` and prints its own duration, without moving the sequential mark (for steps that overlap). */
  time<T>(step: string, work: Promise<T>): Promise<T>;
}

const NO_TIMING: StepTiming = { mark: () => undefined, time: (_step, work) => work };

export function stepTiming(scope: string, env: NodeJS.ProcessEnv = process.env, write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): StepTiming {
  if (env.LBLAB_TIMING !== '1') return NO_TIMING;
  const startMs = performance.now();
  let lastMs = startMs;
  return {
    mark(step) {
      const nowMs = performance.now();
      write(`timing ${scope}: ${step} ${Math.round(nowMs - lastMs)} ms (at ${Math.round(nowMs - startMs)} ms)`);
      lastMs = nowMs;
    },
    async time(step, work) {
      const beganMs = performance.now();
      try {
        return await work;
      } finally {
        const nowMs = performance.now();
        write(`timing ${scope}: ${step} ${Math.round(nowMs - beganMs)} ms (${Math.round(beganMs - startMs)}–${Math.round(nowMs - startMs)} ms)`);
      }
    },
  };
}
