/** Layer rules from docs/ARCHITECTURE.md. `npm run layers` fails on any violation. */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain imports only domain (and no node: I/O modules)',
      severity: 'error',
      from: { path: '^src/domain' },
      to: { pathNot: '^src/domain', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'policies-are-pure',
      severity: 'error',
      from: { path: '^src/policies' },
      to: { pathNot: '^src/(domain|policies)' },
    },
    {
      name: 'http-and-jobs-never-touch-db',
      comment: 'http and jobs go through commands and queries, never db',
      severity: 'error',
      from: { path: '^src/(http|jobs|views|presenters)' },
      to: { path: '^src/db', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'http-and-jobs-write-no-sql',
      comment:
        'http, jobs, views and presenters build no SQL either: queries and commands own it (tests may)',
      severity: 'error',
      from: { path: '^src/(http|jobs|views|presenters)', pathNot: '\\.test\\.tsx?$' },
      to: { path: 'node_modules/drizzle-orm', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'app-layer-is-thin',
      comment:
        'src/app (errors, service types) imports only domain, policies and integrations, plus db types',
      severity: 'error',
      from: { path: '^src/app' },
      to: { path: '^src/(commands|queries|http|jobs|views|presenters|cli)' },
    },
    {
      name: 'queries-do-not-write',
      comment: 'queries never import commands',
      severity: 'error',
      from: { path: '^src/queries' },
      to: { path: '^src/commands' },
    },
    {
      name: 'commands-queries-not-http',
      severity: 'error',
      from: { path: '^src/(commands|queries|db|domain|policies|presenters)' },
      to: { path: '^src/(http|jobs|views|cli)' },
    },
    { name: 'no-circular', severity: 'warn', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.test\\.tsx?$' },
  },
};
