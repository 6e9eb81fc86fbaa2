/**
 * `aduan routing auto-dispatch [--on|--off] [--threshold 0.9] [--agency ID] [--json]`: show or change
 * the auto-dispatch rules (off by default; docs/routing.md). Without --on/--off it prints the rules.
 */
import { systemCaller, type Services } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { autoDispatchSettings, setAutoDispatch } from '../commands/auto-dispatch.ts';
import { usageProblem } from './args.ts';
import { say, usageOf } from './messages.ts';

/** Parsed arguments, or a problem message (in the command line's language). */
export function parseAutoDispatchArgs(
  argv: readonly string[],
): { enabled?: boolean; threshold?: number; agencyId?: string; json: boolean } | string {
  const out: { enabled?: boolean; threshold?: number; agencyId?: string; json: boolean } = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--on' || a === '--off') {
      if (out.enabled !== undefined) return say('routing.on_or_off');
      out.enabled = a === '--on';
    } else if (a === '--threshold') {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0.5 || v > 1) return `--threshold: ${say('routing.threshold')}`;
      out.threshold = v;
    } else if (a === '--agency') {
      const v = argv[++i];
      if (!v || v.startsWith('--')) return usageProblem('needs_value', { option: '--agency' });
      out.agencyId = v;
    } else if (a === '--json') out.json = true;
    else return usageProblem('unexpected_argument', { argument: a });
  }
  if (out.enabled === undefined && (out.threshold !== undefined || out.agencyId !== undefined))
    return say('routing.say_on_off');
  return out;
}

const describe = (r: { enabled: boolean; threshold: number } | undefined) =>
  r
    ? say(r.enabled ? 'routing.rule_on' : 'routing.rule_off', { threshold: r.threshold })
    : say('routing.rule_unset');

/** Run the command; returns the exit code. */
export async function routingAutoDispatchCli(svc: Services, argv: readonly string[]): Promise<number> {
  const args = parseAutoDispatchArgs(argv);
  if (typeof args === 'string') {
    console.error(`aduan routing auto-dispatch: ${args}\n${usageOf('routing auto-dispatch')}`);
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
      console.error(
        `aduan routing auto-dispatch: --agency: ${say('routing.agency_unknown', { id: args.agencyId ?? '' })}`,
      );
      return 2;
    }
    throw e;
  }
  if (args.json) {
    console.log(JSON.stringify(config));
    return 0;
  }
  console.log(say('routing.instance_rule', { rule: describe(config.instance) }));
  for (const [id, rule] of Object.entries(config.agencies ?? {}))
    console.log(say('routing.agency_rule', { id, rule: describe(rule) }));
  return 0;
}
