/**
 * What the `aduan` commands print for people (refusals, confirmations, summaries), in the command line's language:
 * `cliLanguage()` (src/config.ts: `ADUAN_LANG`, else `LANG`), as the help and the usage errors (src/cli/args.ts).
 * The texts are `cli.messages.<command>.<name>` in src/locales/<lang>/cli.json. Machine-readable output (`--json`,
 * JSON lines, tab-separated ids and codes) and service logs stay as they are.
 */
import { cliLanguage } from '../config.ts';
import { t, type Lang } from '../locales/index.ts';
import { commandUsage, groupUsage, type Spec } from './args.ts';
import { COMMANDS } from './commands.ts';

/** A message of a command, `cli.messages.<key>` (`say('users.admin_created', { email })`), in the command line's language. */
export function say(
  key: string,
  params: Record<string, string | number> = {},
  lang: Lang = cliLanguage(),
): string {
  return t(lang, `cli.messages.${key}`, params);
}

/** The usage of the command or group named as typed after `aduan` (`usageOf('users')`, `usageOf('keys rotate')`). */
export function usageOf(name: string, lang: Lang = cliLanguage()): string {
  const [first, ...rest] = name.split(' ');
  let spec: Spec | undefined = COMMANDS[first!];
  for (const part of rest) spec = spec?.kind === 'group' ? spec.subcommands[part] : undefined;
  if (!spec) throw new Error(`no command "aduan ${name}"`);
  return spec.kind === 'group' ? groupUsage(spec, lang) : commandUsage(spec, lang);
}
