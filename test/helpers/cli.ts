/** Runs the `aduan` CLI from source in a child process, as an operator would, with the given environment. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;

/** The arguments of `node` that run `aduan <args>` from source: `spawn(process.execPath, cliArgv('serve'), …)`. */
export function cliArgv(...args: string[]): string[] {
  return ['--import', 'tsx', join(root, 'src/cli.ts'), ...args];
}

/** `aduan <args>` with `env`: its exit code and everything it printed (stdout, then stderr). */
export function runAduan(env: NodeJS.ProcessEnv, ...args: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, cliArgv(...args), { env, encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, out: r.stdout + r.stderr };
}
