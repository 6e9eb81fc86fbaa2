/**
 * The `aduan` command tree: every command and group with its options. `src/cli.ts` resolves and parses the arguments
 * against it (src/cli/args.ts) before any command opens the database. The texts of the usage (summaries, option
 * descriptions, notes) are in the locale files, `cli.*` (src/locales/<lang>/cli.json), keyed by the command's name
 * (`users invite` → `cli.commands.users_invite`).
 */
import type { CommandSpec, GroupSpec, OptionSpec, Spec } from './args.ts';
import { STAFF_ROLES } from '../commands/manage-staff-users.ts';
import { ROUTING_KINDS } from '../commands/routing-models.ts';
import { SLA_CLOCKS } from '../domain/deadline/sla.ts';
import { AGENCY_KINDS, CLASSIFICATIONS } from '../domain/report/report.ts';

function command(
  name: string,
  options: Record<string, OptionSpec> = {},
  more: Partial<Pick<CommandSpec, 'args' | 'minArgs' | 'maxArgs'>> = {},
): CommandSpec {
  return { kind: 'command', name, options, ...more };
}

function group(name: string, subcommands: Record<string, Spec>, fallback?: CommandSpec): GroupSpec {
  return { kind: 'group', name, subcommands, ...(fallback ? { fallback } : {}) };
}

const json: OptionSpec = { type: 'boolean' };
const demo: OptionSpec = { type: 'boolean' };

/** Every top-level command, by name. */
export const COMMANDS: Record<string, Spec> = {
  serve: command('serve', { demo }),
  migrate: command('migrate'),
  seed: command('seed', { demo }),
  stats: group('stats', { refresh: command('stats refresh', { full: { type: 'boolean' } }) }),
  'open-data': group('open-data', { snapshot: command('open-data snapshot') }),
  evaluate: group(
    'evaluate',
    {
      audit: command('evaluate audit', {
        period: { type: 'string', value: 'ID', required: true },
        'max-links': { type: 'string', value: 'N' },
      }),
    },
    command('evaluate', {
      period: { type: 'string', value: 'ID', required: true },
      snapshot: { type: 'string', value: 'FILE' },
    }),
  ),
  audit: group('audit', {
    verify: command('audit verify'),
    admin: command('audit admin', { since: { type: 'string', value: 'DATE' }, json }),
  }),
  keys: group('keys', {
    status: command('keys status'),
    generate: command('keys generate'),
    rotate: command('keys rotate'),
    reseal: command('keys reseal'),
  }),
  users: group('users', {
    'create-admin': command('users create-admin', {
      email: { type: 'string', value: 'E', required: true },
      name: { type: 'string', value: 'N', required: true },
    }),
    invite: command('users invite', {
      email: { type: 'string', value: 'E' },
      name: { type: 'string', value: 'N' },
      role: { type: 'string', value: 'R', params: { roles: STAFF_ROLES.join(', ') } },
      agency: { type: 'string', value: 'ID' },
      lang: { type: 'string', value: 'id|en' },
      csv: { type: 'string', value: 'FILE' },
      'dry-run': { type: 'boolean' },
    }),
    list: command('users list', { json }),
  }),
  agencies: group('agencies', {
    add: command('agencies add', {
      name: { type: 'string', value: 'N', required: true },
      kind: { type: 'string', value: 'K', required: true, params: { kinds: AGENCY_KINDS.join(', ') } },
      parent: { type: 'string', value: 'ID' },
      region: { type: 'string', value: 'CODE' },
      zone: { type: 'string', value: 'WIB|WITA|WIT' },
      'short-name': { type: 'string', value: 'S' },
      coordinator: { type: 'boolean' },
      id: { type: 'string', value: 'ID' },
      'sms-keyword': { type: 'string', value: 'W' },
    }),
    import: command(
      'agencies import',
      { 'dry-run': { type: 'boolean' }, 'confirm-staff': { type: 'boolean' } },
      { args: 'FILE.csv', minArgs: 1, maxArgs: 1 },
    ),
    list: command('agencies list', { json }),
  }),
  open311: group('open311', {
    key: group('open311 key', {
      create: command('open311 key create', {
        name: { type: 'string', value: 'NAME', required: true },
        agency: { type: 'string', value: 'ID' },
      }),
    }),
    'service-type': command(
      'open311 service-type',
      {},
      { args: 'CODE realtime|batch|blackbox', minArgs: 2, maxArgs: 2 },
    ),
  }),
  federation: group('federation', {
    instance: command('federation instance', {}, { args: '[ID]', maxArgs: 1 }),
    add: command(
      'federation add',
      {
        url: { type: 'string', value: 'URL', required: true },
        'api-key-env': { type: 'string', value: 'VAR' },
        'api-key-stdin': { type: 'boolean' },
        'api-key': { type: 'string', value: 'KEY' },
      },
      { args: 'ID', minArgs: 1, maxArgs: 1 },
    ),
    list: command('federation list', { json }),
    remove: command('federation remove', {}, { args: 'ID', minArgs: 1, maxArgs: 1 }),
    test: command('federation test', {}, { args: 'ID', minArgs: 1, maxArgs: 1 }),
  }),
  smtp: command('smtp', {
    port: { type: 'string', value: 'N' },
    address: { type: 'string', value: 'ADDRESS' },
  }),
  sms: group('sms', {
    keyword: command(
      'sms keyword',
      { clear: { type: 'boolean', inArgs: true } },
      { args: 'AGENCY KEYWORD|--clear', minArgs: 1, maxArgs: 2 },
    ),
    keywords: command('sms keywords', { json }),
  }),
  worker: command('worker'),
  sweep: command('sweep', { at: { type: 'string', value: 'ISO' }, 'dry-run': { type: 'boolean' } }),
  holidays: group('holidays', {
    load: command('holidays load', {
      year: { type: 'string', value: 'YYYY', required: true },
      'dry-run': { type: 'boolean' },
      json,
      lang: { type: 'string', value: 'id|en' },
    }),
    confirm: command('holidays confirm', {
      year: { type: 'string', value: 'YYYY', required: true },
      date: { type: 'string', value: 'YYYY-MM-DD' },
      lang: { type: 'string', value: 'id|en' },
    }),
  }),
  sla: group('sla', {
    set: command('sla set', {
      clock: { type: 'string', value: 'C', required: true, params: { clocks: SLA_CLOCKS.join(', ') } },
      days: { type: 'string', value: 'N', required: true },
      unit: { type: 'string', value: 'working|calendar' },
      basis: { type: 'string', value: 'TEXT', required: true },
      'valid-from': { type: 'string', value: 'YYYY-MM-DD', required: true },
      classification: { type: 'string', value: 'K', params: { classifications: CLASSIFICATIONS.join(', ') } },
      supervisory: { type: 'boolean' },
      retroactive: { type: 'boolean' },
      'rule-id': { type: 'string', value: 'ID' },
      region: { type: 'string', value: 'CODE' },
    }),
  }),
  outbox: group('outbox', { status: command('outbox status') }),
  routing: group('routing', {
    eval: command('routing eval', {
      train: { type: 'string', value: 'FILE', required: true },
      test: { type: 'string', value: 'FILE' },
      cv: { type: 'string', value: 'K' },
      label: { type: 'string', value: 'COLUMN' },
      'min-count': { type: 'string', value: 'N' },
      json,
      algorithm: { type: 'string', value: 'A' },
      char: { type: 'boolean' },
      'no-char': { type: 'boolean' },
      bigrams: { type: 'boolean' },
      'no-bigrams': { type: 'boolean' },
      'no-stem': { type: 'boolean' },
      'char-weight': { type: 'string', value: 'W' },
      epochs: { type: 'string', value: 'N' },
      l2: { type: 'string', value: 'X' },
      seed: { type: 'string', value: 'N' },
      'history-only': { type: 'boolean' },
    }),
    train: command('routing train', {
      json,
      kind: { type: 'string', value: 'K', params: { models: ROUTING_KINDS.join(', ') } },
      'max-rows': { type: 'string', value: 'N' },
    }),
    'auto-dispatch': command('routing auto-dispatch', {
      on: { type: 'boolean' },
      off: { type: 'boolean' },
      threshold: { type: 'string', value: '0.5..1' },
      agency: { type: 'string', value: 'ID' },
      json,
    }),
  }),
};
