/**
 * `npm run bench [-- <name>… | all]`: the benchmarks, one script each (`bench/<name>.ts`, also `npm run bench:<name>`).
 * Without a name it lists them; with names (or `all`) it runs them one after another, each in its own process, and
 * stops at the first that fails. Results are recorded by hand in docs/benchmarks.md with command, data size and machine.
 */
import { spawnSync } from 'node:child_process';

const BENCHES: Record<string, string> = {
  uploads: 'cleaning uploads: photo EXIF and PDF metadata (seconds)',
  intake: 'POST /api/v1/reports on PGlite and PostgreSQL (minutes)',
  open311: 'Open311 GET requests at 1M reports (PostgreSQL; tens of minutes to seed)',
  routing: 'routing classifier and similar-report lookup at 100k / 1M reports (tens of minutes)',
  sweep: 'deadline sweeper over 1M open reports (PostgreSQL; tens of minutes)',
  stats: 'statistics pages and dashboards at 1M reports (PostgreSQL; tens of minutes)',
};

const args = process.argv.slice(2);
if (args.length === 0) {
  console.log('Benchmarks (npm run bench -- <name>… | all; results: docs/benchmarks.md):');
  for (const [name, what] of Object.entries(BENCHES)) console.log(`  ${name.padEnd(8)} ${what}`);
  process.exit(0);
}
const names = args.includes('all') ? Object.keys(BENCHES) : args;
const unknown = names.filter((n) => !(n in BENCHES));
if (unknown.length) {
  console.error(`Unknown benchmark: ${unknown.join(', ')}. Known: ${Object.keys(BENCHES).join(', ')}.`);
  process.exit(2);
}
for (const name of names) {
  console.log(`\n# ${name}: ${BENCHES[name]}\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', `bench/${name}.ts`], { stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
