// Dependency rules of lblab, checked by `npm run depcruise` (part of `npm test`).
// A break fails with the rule's name and the offending import.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No module imports itself through others: import cycles hide the layering and break lazy loading.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'balancer-not-to-cli',
      severity: 'error',
      comment: 'The balancer is a service of its own (bundled into its image); it imports nothing from the CLI.',
      from: { path: '^balancer/' },
      to: { path: '^cli/' },
    },
    {
      name: 'sample-server-not-to-cli',
      severity: 'error',
      comment: 'The sample server is a service of its own (bundled into its image); it imports nothing from the CLI.',
      from: { path: '^sample-server/' },
      to: { path: '^cli/' },
    },
    {
      name: 'services-not-to-each-other',
      severity: 'error',
      comment:
        'The balancer and the sample server are separate programs; neither imports the other, ' +
        "except the sample server's use of the pure modules that define the lab's limits and its admin token check.",
      from: { path: '^(balancer|sample-server)/' },
      to: {
        path: '^(balancer|sample-server)/',
        pathNot: ['^$1/', '^balancer/config/(limits|admin-token)\\.ts$', '^balancer/admin/bearer-auth\\.ts$'],
      },
    },
    {
      name: 'dockerode-only-in-docker-client',
      severity: 'error',
      comment: 'Only cli/runtime/docker/dockerode-client.ts talks to dockerode; the rest of the docker runtime uses its DockerClient interface.',
      from: { pathNot: '^cli/runtime/docker/dockerode-client\\.ts$' },
      to: { path: '(^|/)node_modules/(dockerode|docker-modem)/' },
    },
    {
      name: 'commands-not-to-runtime-internals',
      severity: 'error',
      comment: 'Verbs check their flags and call a core function (cli/lab, cli/scenario, ...); they do not reach into a runtime.',
      from: { path: '^cli/commands/' },
      to: { path: '^cli/runtime/(docker|swarm|process)/' },
    },
    {
      name: 'algorithms-are-pure',
      severity: 'error',
      comment:
        'Balancing algorithms do no I/O and get their clock and random source injected: they import only each other; ' +
        'system-context.ts, which makes the real clock and random source, is the one exception. ' +
        'They may read the table of limits (pure data).',
      from: { path: '^balancer/algorithms/', pathNot: '^balancer/algorithms/system-context\\.ts$' },
      to: { pathNot: ['^balancer/algorithms/', '^balancer/config/limits\\.ts$'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-test-code-in-source',
      severity: 'error',
      comment: 'Shipped code never imports test helpers.',
      from: { path: '^(cli|balancer|sample-server)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|results|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
