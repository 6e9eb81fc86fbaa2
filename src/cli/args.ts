/**
 * Argument parsing shared by every `aduan` command: `--help`/`-h` anywhere prints the command's usage and exits 0;
 * an unknown option, a missing option value, a missing required option or a stray argument prints one line
 * (`aduan sweep: unknown option --dryrun`) and the usage, exit 2. Both happen before anything is opened or done.
 * A group (`aduan users`, `aduan sla`, …) lists its subcommands.
 *
 * The texts are in the locale files (`cli.*`: `cli.groups.<group>`, `cli.commands.<command>.summary|notes|options.<name>`,
 * shared option texts in `cli.options.<name>`; a command's key is its name with `_` for spaces), in the language of
 * `cliLanguage()` (src/config.ts: `ADUAN_LANG`, else `LANG`).
 */
import { parseArgs } from 'node:util';
import { cliLanguage } from '../config.ts';
import { has, t, type Lang } from '../locales/index.ts';

/** One option of a command. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** Values of the placeholders of the option's description (`{roles}` in `cli.commands.users_invite.options.role`). */
  params?: Record<string, string>;
  /** Placeholder of the value in the usage (string options), e.g. "ISO". */
  value?: string;
  short?: string;
  default?: string | boolean;
  /** Refused (exit 2) when absent. */
  required?: boolean;
  /** Already shown in the command's `args` (`AGENCY KEYWORD|--clear`): left out of the synopsis. */
  inArgs?: boolean;
}

/** A command that runs (a leaf of the command tree). */
export interface CommandSpec {
  kind: 'command';
  /** The command as typed after `aduan`, e.g. "users invite"; its texts are `cli.commands.users_invite.*`. */
  name: string;
  /** Positional arguments as shown in the usage, e.g. "CODE realtime|batch|blackbox". */
  args?: string;
  minArgs?: number;
  maxArgs?: number;
  options: Record<string, OptionSpec>;
}

/** A command group (`aduan users`), whose subcommands may be groups themselves (`aduan open311 key`). */
export interface GroupSpec {
  kind: 'group';
  /** The group as typed after `aduan`; its summary is `cli.groups.<name>` (`_` for spaces). */
  name: string;
  subcommands: Record<string, CommandSpec | GroupSpec>;
  /** The command run when the next argument is no subcommand (`aduan evaluate --period ID`). */
  fallback?: CommandSpec;
}

export type Spec = CommandSpec | GroupSpec;

/** Parsed arguments of a command. */
export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** True when `--help` or `-h` appears before a `--` terminator. */
export function wantsHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

/** The locale key of a command or group: its name with `_` for spaces (`open311 key create` → `open311_key_create`). */
function textKey(spec: Spec): string {
  return spec.name.replace(/ /g, '_');
}

/** The one-line summary of a command or group. */
export function summaryOf(spec: Spec, lang: Lang = cliLanguage()): string {
  return spec.kind === 'group'
    ? t(lang, `cli.groups.${textKey(spec)}`)
    : t(lang, `cli.commands.${textKey(spec)}.summary`);
}

/** The locale key of an option's description: the command's own, else the shared one (`cli.options.json`). */
export function optionKey(spec: CommandSpec, name: string, lang: Lang = cliLanguage()): string {
  const own = `cli.commands.${textKey(spec)}.options.${name}`;
  return has(lang, own) ? own : `cli.options.${name}`;
}

/** The locale key of the lines printed after a command's options (environment, file format…). */
export function notesKey(spec: CommandSpec): string {
  return `cli.commands.${textKey(spec)}.notes`;
}

function optionLabel(name: string, o: OptionSpec): string {
  return `--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
}

/** `aduan sweep [--at ISO] [--dry-run]`. */
export function synopsis(spec: CommandSpec): string {
  const opts = Object.entries(spec.options)
    .filter(([, o]) => !o.inArgs)
    .map(([n, o]) => (o.required ? optionLabel(n, o) : `[${optionLabel(n, o)}]`));
  return ['aduan', spec.name, ...(spec.args ? [spec.args] : []), ...opts].join(' ');
}

function table(rows: Array<[string, string]>): string {
  const width = Math.min(Math.max(...rows.map(([l]) => l.length)), 40);
  return rows
    .map(([l, r]) =>
      l.length > width ? `  ${l}\n  ${''.padEnd(width)}  ${r}` : `  ${l.padEnd(width)}  ${r}`,
    )
    .join('\n');
}

/** The usage of a command: synopsis, summary, options with one-line descriptions, notes. */
export function commandUsage(spec: CommandSpec, lang: Lang = cliLanguage()): string {
  const rows: Array<[string, string]> = Object.entries(spec.options).map(([n, o]) => [
    `${o.short ? `-${o.short}, ` : ''}${optionLabel(n, o)}`,
    `${t(lang, optionKey(spec, n, lang), o.params)}${o.required ? ` ${t(lang, 'cli.help.required')}` : ''}`,
  ]);
  rows.push(['-h, --help', t(lang, 'cli.help.show_help')]);
  const notes = has(lang, notesKey(spec)) ? `\n\n${t(lang, notesKey(spec))}` : '';
  return `${t(lang, 'cli.help.usage')} ${synopsis(spec)}\n  ${summaryOf(spec, lang)}\n\n${t(lang, 'cli.help.options')}\n${table(rows)}${notes}`;
}

function leaves(spec: Spec): CommandSpec[] {
  if (spec.kind === 'command') return [spec];
  return [...(spec.fallback ? [spec.fallback] : []), ...Object.values(spec.subcommands).flatMap(leaves)];
}

/** Every command under the given specs, one line each: `aduan users invite --email E … summary`. */
export function commandList(specs: readonly Spec[], lang: Lang = cliLanguage()): string {
  const rows = specs.flatMap(leaves).map((c): [string, string] => {
    const full = synopsis(c);
    if (full.length <= 48) return [full, summaryOf(c, lang)];
    const options = Object.entries(c.options).filter(([, o]) => !o.inArgs);
    const required = options.filter(([, o]) => o.required).map(([n, o]) => optionLabel(n, o));
    const short = ['aduan', c.name, ...(c.args ? [c.args] : []), ...required].join(' ');
    const more = required.length < options.length ? ` ${t(lang, 'cli.help.more_options')}` : '';
    return [`${short}${more}`, summaryOf(c, lang)];
  });
  return table(rows);
}

/** The subcommands of a group, one line each. */
export function groupUsage(group: GroupSpec, lang: Lang = cliLanguage()): string {
  return `${t(lang, 'cli.help.usage')}\n${commandList([group], lang)}\n\n${t(lang, 'cli.help.more_group', { group: group.name })}`;
}

/** A usage problem in the command line's language (`cli.errors.<key>`), e.g. `usageProblem('missing', …)`. */
export function usageProblem(
  key: string,
  params: Record<string, string> = {},
  lang: Lang = cliLanguage(),
): string {
  return t(lang, `cli.errors.${key}`, params);
}

/** One line describing a parseArgs error in operator terms. */
function describeParseError(e: unknown): string {
  const err = e as Error & { code?: string };
  const option = /'(-[^' ]+)/.exec(err.message)?.[1] ?? '';
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return usageProblem('unknown_option', { option });
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(err.message)) return usageProblem('takes_no_value', { option });
      if (/ambiguous/.test(err.message)) return usageProblem('needs_value_dash', { option });
      return usageProblem('needs_value', { option });
    default:
      return err.message;
  }
}

/** Prints `aduan <cmd>: <problem>` and the usage on stderr; returns exit code 2. */
export function usageError(spec: Spec, problem: string, lang: Lang = cliLanguage()): number {
  console.error(
    `aduan ${spec.name}: ${problem}\n${spec.kind === 'command' ? commandUsage(spec, lang) : groupUsage(spec, lang)}`,
  );
  return 2;
}

/**
 * Parses the arguments of a command (those after its name). Returns the values and positionals, or the exit code
 * once the usage (0, `--help`) or a usage error (2) has been printed.
 */
export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs | number {
  if (wantsHelp(argv)) {
    console.log(commandUsage(spec));
    return 0;
  }
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; default?: string | boolean }> =
    {};
  for (const [n, o] of Object.entries(spec.options))
    options[n] = {
      type: o.type,
      ...(o.short ? { short: o.short } : {}),
      ...(o.default !== undefined ? { default: o.default } : {}),
    };
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    return usageError(spec, describeParseError(e));
  }
  const positionals = parsed.positionals;
  const max = spec.maxArgs ?? 0;
  if (positionals.length > max)
    return usageError(spec, usageProblem('unexpected_argument', { argument: positionals[max]! }));
  if (positionals.length < (spec.minArgs ?? 0))
    return usageError(spec, usageProblem('missing_argument', { args: spec.args ?? '' }));
  const values = parsed.values as ParsedArgs['values'];
  const missing = Object.entries(spec.options)
    .filter(([n, o]) => o.required && (values[n] === undefined || values[n] === ''))
    .map(([n]) => `--${n}`);
  if (missing.length) return usageError(spec, usageProblem('missing', { options: missing.join(', ') }));
  return { values, positionals };
}

/**
 * Finds the command named by the arguments after a group's name (`users invite --email …` → `users invite`).
 * Prints the group's subcommands and returns an exit code when there is none: 0 for `--help`, else 2.
 */
export function resolveCommand(
  spec: Spec,
  argv: readonly string[],
): { spec: CommandSpec; args: string[] } | number {
  let node = spec;
  let i = 0;
  for (;;) {
    if (node.kind === 'command') return { spec: node, args: argv.slice(i) };
    const token = argv[i];
    const sub =
      token !== undefined && Object.hasOwn(node.subcommands, token) ? node.subcommands[token] : undefined;
    if (sub) {
      node = sub;
      i++;
      continue;
    }
    if (wantsHelp(argv.slice(i))) {
      console.log(`aduan ${node.name}: ${summaryOf(node)}\n\n${groupUsage(node)}`);
      return 0;
    }
    if (node.fallback) return { spec: node.fallback, args: argv.slice(i) };
    return usageError(
      node,
      token === undefined
        ? usageProblem('missing_subcommand')
        : token.startsWith('-')
          ? usageProblem('unknown_option', { option: token })
          : usageProblem('unknown_subcommand', { subcommand: token }),
    );
  }
}
