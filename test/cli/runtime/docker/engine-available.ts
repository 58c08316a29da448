import { describe } from 'vitest';
import { probeDockerEngine, type EngineProbeResult } from '../../../../cli/runtime/docker/engine.js';

/** Probed once per test file. */
export const engineProbe: EngineProbeResult = await probeDockerEngine(3_000);
export const engineAvailable = engineProbe.ok;

if (!engineProbe.ok) {
  const what = `no engine at ${engineProbe.endpoint}: ${engineProbe.reason}`;
  if (process.env.CI !== undefined && process.env.CI !== '' && process.env.LBLAB_REQUIRE_DOCKER === '1') {
    throw new Error(`DOCKER TESTS REQUIRED (CI, LBLAB_REQUIRE_DOCKER=1) but ${what}. Run bash .ci/start-docker.sh first.`);
  }
  const bar = '!'.repeat(78);
  console.warn(`\n${bar}\n!! DOCKER TESTS SKIPPED: ${what}\n!! Start one with: bash .ci/start-docker.sh\n${bar}\n`);
}

/** `describe` when an engine answers, `describe.skip` otherwise. */
export const describeDocker: typeof describe.skip = engineProbe.ok ? describe : describe.skip;
