// Bench settings from the command line: `--quick`, `--sections a,b`.
// `npm run bench --quick` hands flags to npm, not to the script; npm exposes
// them as npm_config_<name>, so both spellings work.

export const SECTIONS = ['startup', 'balancer', 'generator', 'lifecycle', 'scenario', 'scale'];
/** Sections run only when named in --sections. */
export const OPTIONAL_SECTIONS = ['fidelity'];

const QUICK = {
  connections: 50,
  wrkThreads: 1,
  warmupS: 1,
  durationS: 2,
  rounds: 3,
  memoryRequests: 50_000,
  memoryMaxDurationMs: 60_000,
  lifecycleCold: 1,
  lifecycleCached: 1,
  scenarioDocker: true,
  scaleServers: [50],
  scaleRuntimes: ['docker', 'process'],
  scaleIdleMs: 5_000,
  startupWarmups: 3,
  startupRuns: 10,
  watchdogMs: 420_000,
};

const FULL = {
  ...QUICK,
  warmupS: 2,
  durationS: 4,
  rounds: 5,
  memoryRequests: 1_000_000,
  memoryMaxDurationMs: 240_000,
  lifecycleCold: 2,
  lifecycleCached: 3,
  scenarioDocker: true,
  scaleServers: [10, 30, 50, 100],
  startupRuns: 20,
  watchdogMs: 1_800_000,
};

export function readSettings(argv, env) {
  const flag = (name) => argv.includes(`--${name}`) || env[`npm_config_${name}`] === 'true';
  const value = (name) => {
    const index = argv.indexOf(`--${name}`);
    if (index !== -1) return argv[index + 1];
    const inline = argv.find((arg) => arg.startsWith(`--${name}=`));
    if (inline !== undefined) return inline.slice(name.length + 3);
    const fromNpm = env[`npm_config_${name}`];
    return fromNpm === undefined || fromNpm === 'true' ? undefined : fromNpm;
  };
  if (flag('help')) return { help: true };
  const quick = flag('quick');
  const sectionsText = value('sections');
  const sections = sectionsText === undefined ? SECTIONS : sectionsText.split(',').map((s) => s.trim());
  const known = [...SECTIONS, ...OPTIONAL_SECTIONS];
  const unknown = sections.filter((section) => !known.includes(section));
  if (unknown.length > 0) throw new Error(`--sections: unknown ${unknown.join(', ')}; expected some of ${known.join(', ')}`);
  const fidelityRuntime = value('fidelity-runtime') ?? 'process';
  if (!['process', 'docker'].includes(fidelityRuntime)) throw new Error(`--fidelity-runtime must be process or docker, got "${fidelityRuntime}"`);
  const scale = {};
  const scaleServersText = value('scale-servers');
  if (scaleServersText !== undefined) {
    const counts = scaleServersText.split(',').map((text) => Number(text.trim()));
    if (counts.some((n) => !Number.isInteger(n) || n < 1 || n > 256)) throw new Error(`--scale-servers must be server counts from 1 to 256 separated by commas (10,30,100), got "${scaleServersText}"`);
    scale.scaleServers = counts;
  }
  const scaleRuntimesText = value('scale-runtimes');
  if (scaleRuntimesText !== undefined) {
    const runtimes = scaleRuntimesText.split(',').map((text) => text.trim());
    const unknownRuntimes = runtimes.filter((runtime) => !['docker', 'process', 'swarm'].includes(runtime));
    if (runtimes.length === 0 || unknownRuntimes.length > 0) throw new Error(`--scale-runtimes must be some of docker, process, swarm separated by commas, got "${scaleRuntimesText}"`);
    scale.scaleRuntimes = runtimes;
  }
  return { help: false, mode: quick ? 'quick' : 'full', sections, build: flag('build'), fidelityRuntime, ...(quick ? QUICK : FULL), ...scale };
}

export const USAGE = `usage: npm run bench [-- --quick] [-- --sections startup,balancer,generator,lifecycle,scenario,scale,fidelity] [-- --build]
  --quick      about 3 minutes: fewer and shorter rounds, a 50,000-request memory run, 1 cold + 1 cached lab cycle, 50 servers for scale
  --sections   run only these sections (default: all but fidelity, which runs only when named)
  --build      run npm run build first (default: use dist/ as it is)
  --fidelity-runtime process|docker   the runtime of the fidelity section's labs (default process)
  --scale-servers 10,30,50,100        server counts of the scale section (default: 50 with --quick, else 10,30,50,100)
  --scale-runtimes docker,process     runtimes of the scale section (docker, process, swarm; default docker,process)`;
