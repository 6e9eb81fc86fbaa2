/**
 * `aduan routing auto-dispatch [--on|--off] [--threshold 0.9] [--agency ID] [--json]`: show or change
 * the auto-dispatch rules (off by default; docs/routing.md). Without --on/--off it prints the rules.
 */
import { systemCaller, type Services } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { autoDispatchSettings, setAutoDispatch } from '../commands/auto-dispatch.ts';

/** The usage line of the command. */
export const AUTO_DISPATCH_USAGE =
  'usage: aduan routing auto-dispatch [--on|--off] [--threshold 0.5..1] [--agency ID] [--json]';

/** Parsed arguments, or a problem message. */
export function parseAutoDispatchArgs(
  argv: readonly string[],
): { enabled?: boolean; threshold?: number; agencyId?: string; json: boolean } | string {
  const out: { enabled?: boolean; threshold?: number; agencyId?: string; json: boolean } = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--on' || a === '--off') {
      if (out.enabled !== undefined) return 'give only one of --on / --off';
      out.enabled = a === '--on';
    } else if (a === '--threshold') {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0.5 || v > 1) return '--threshold needs a number from 0.5 to 1';
      out.threshold = v;
    } else if (a === '--agency') {
      const v = argv[++i];
      if (!v || v.startsWith('--')) return '--agency needs an agency id';
      out.agencyId = v;
    } else if (a === '--json') out.json = true;
    else return `unknown argument "${a}"`;
  }
  if (out.enabled === undefined && (out.threshold !== undefined || out.agencyId !== undefined))
    return 'say --on or --off to change a rule';
  return out;
}

const describe = (r: { enabled: boolean; threshold: number } | undefined) =>
  r ? `${r.enabled ? 'on' : 'off'} (threshold ${r.threshold})` : 'off (not set)';

/** Run the command; returns the exit code. */
export async function routingAutoDispatchCli(svc: Services, argv: readonly string[]): Promise<number> {
  const args = parseAutoDispatchArgs(argv);
  if (typeof args === 'string') {
    console.error(`aduan routing auto-dispatch: ${args}\n${AUTO_DISPATCH_USAGE}`);
    return 2;
  }
  let config;
  try {
    config =
      args.enabled === undefined
        ? await autoDispatchSettings(svc)
        : await setAutoDispatch(svc, systemCaller('cli'), {
            enabled: args.enabled,
            threshold: args.threshold,
            agencyId: args.agencyId,
          });
  } catch (e) {
    if (e instanceof AppError && e.code === 'VALIDATION_FAILED') {
      console.error(`aduan routing auto-dispatch: unknown or inactive agency "${args.agencyId ?? ''}"`);
      return 2;
    }
    throw e;
  }
  if (args.json) {
    console.log(JSON.stringify(config));
    return 0;
  }
  console.log(`instance: ${describe(config.instance)}`);
  for (const [id, rule] of Object.entries(config.agencies ?? {}))
    console.log(`agency ${id}: ${describe(rule)}`);
  return 0;
}
