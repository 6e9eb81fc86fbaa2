/**
 * Argument parsing shared by every `aduan` command: `--help`/`-h` anywhere prints the command's usage and exits 0;
 * an unknown option, a missing option value, a missing required option or a stray argument prints one line
 * (`aduan sweep: unknown option --dryrun`) and the usage, exit 2. Both happen before anything is opened or done.
 * A group (`aduan users`, `aduan sla`, …) lists its subcommands.
 */
import { parseArgs } from 'node:util';

/** One option of a command. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** One-line description shown in the usage. */
  description: string;
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
  /** The command as typed after `aduan`, e.g. "users invite". */
  name: string;
  summary: string;
  /** Positional arguments as shown in the usage, e.g. "CODE realtime|batch|blackbox". */
  args?: string;
  minArgs?: number;
  maxArgs?: number;
  options: Record<string, OptionSpec>;
  /** Extra lines printed after the options. */
  notes?: string;
}

/** A command group (`aduan users`), whose subcommands may be groups themselves (`aduan open311 key`). */
export interface GroupSpec {
  kind: 'group';
  name: string;
  summary: string;
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

/** The usage of a command: synopsis, summary, options with one-line descriptions. */
export function commandUsage(spec: CommandSpec): string {
  const rows: Array<[string, string]> = Object.entries(spec.options).map(([n, o]) => [
    `${o.short ? `-${o.short}, ` : ''}${optionLabel(n, o)}`,
    `${o.description}${o.required ? ' (required)' : ''}`,
  ]);
  rows.push(['-h, --help', 'show this help']);
  return `Usage: ${synopsis(spec)}\n  ${spec.summary}\n\nOptions:\n${table(rows)}${spec.notes ? `\n\n${spec.notes}` : ''}`;
}

function leaves(spec: Spec): CommandSpec[] {
  if (spec.kind === 'command') return [spec];
  return [...(spec.fallback ? [spec.fallback] : []), ...Object.values(spec.subcommands).flatMap(leaves)];
}

/** Every command under the given specs, one line each: `aduan users invite --email E … summary`. */
export function commandList(specs: readonly Spec[]): string {
  const rows = specs.flatMap(leaves).map((c): [string, string] => {
    const full = synopsis(c);
    if (full.length <= 48) return [full, c.summary];
    const options = Object.entries(c.options).filter(([, o]) => !o.inArgs);
    const required = options.filter(([, o]) => o.required).map(([n, o]) => optionLabel(n, o));
    const short = ['aduan', c.name, ...(c.args ? [c.args] : []), ...required].join(' ');
    return [`${short}${required.length < options.length ? ' [options]' : ''}`, c.summary];
  });
  return table(rows);
}

/** The subcommands of a group, one line each. */
export function groupUsage(group: GroupSpec): string {
  return `Usage:\n${commandList([group])}\n\nRun "aduan ${group.name} <subcommand> --help" for the options of each.`;
}

/** One line describing a parseArgs error in operator terms. */
function describeParseError(e: unknown): string {
  const err = e as Error & { code?: string };
  const option = /'(-[^' ]+)/.exec(err.message)?.[1] ?? '';
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(err.message)) return `option ${option} takes no value`;
      if (/ambiguous/.test(err.message))
        return `option ${option} needs a value (write ${option}=VALUE for a value starting with "-")`;
      return `option ${option} needs a value`;
    default:
      return err.message;
  }
}

/** Prints `aduan <cmd>: <problem>` and the usage on stderr; returns exit code 2. */
export function usageError(spec: Spec, problem: string): number {
  console.error(
    `aduan ${spec.name}: ${problem}\n${spec.kind === 'command' ? commandUsage(spec) : groupUsage(spec)}`,
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
  if (positionals.length > max) return usageError(spec, `unexpected argument "${positionals[max]}"`);
  if (positionals.length < (spec.minArgs ?? 0))
    return usageError(spec, `missing argument: ${spec.args ?? ''}`);
  const values = parsed.values as ParsedArgs['values'];
  const missing = Object.entries(spec.options)
    .filter(([n, o]) => o.required && (values[n] === undefined || values[n] === ''))
    .map(([n]) => `--${n}`);
  if (missing.length) return usageError(spec, `missing ${missing.join(', ')}`);
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
      console.log(`aduan ${node.name}: ${node.summary}\n\n${groupUsage(node)}`);
      return 0;
    }
    if (node.fallback) return { spec: node.fallback, args: argv.slice(i) };
    return usageError(
      node,
      token === undefined
        ? 'missing subcommand'
        : token.startsWith('-')
          ? `unknown option ${token}`
          : `unknown subcommand "${token}"`,
    );
  }
}
