/**
 * The `aduan` command tree: every command and group with its options and one-line descriptions. `src/cli.ts`
 * resolves and parses the arguments against it (src/cli/args.ts) before any command opens the database.
 */
import type { CommandSpec, GroupSpec, OptionSpec, Spec } from './args.ts';
import { STAFF_ROLES } from '../commands/manage-staff-users.ts';
import { ROUTING_KINDS } from '../commands/routing-models.ts';
import { SLA_CLOCKS } from '../domain/deadline/sla.ts';
import { AGENCY_KINDS, CLASSIFICATIONS } from '../domain/report/report.ts';

function command(
  name: string,
  summary: string,
  options: Record<string, OptionSpec> = {},
  more: Partial<Pick<CommandSpec, 'args' | 'minArgs' | 'maxArgs' | 'notes'>> = {},
): CommandSpec {
  return { kind: 'command', name, summary, options, ...more };
}

function group(
  name: string,
  summary: string,
  subcommands: Record<string, Spec>,
  fallback?: CommandSpec,
): GroupSpec {
  return { kind: 'group', name, summary, subcommands, ...(fallback ? { fallback } : {}) };
}

const json: OptionSpec = { type: 'boolean', description: 'print JSON' };
const demo: OptionSpec = {
  type: 'boolean',
  description: 'seed the Kalimantan Timur demo on an empty database',
};

/** Every top-level command, by name. */
export const COMMANDS: Record<string, Spec> = {
  serve: command(
    'serve',
    'start the web server (and the in-process worker unless ADUAN_WORKER=0)',
    { demo },
    {
      notes: [
        'Environment (every variable: README.md, "Configuration"):',
        '  PORT, HOST            where to listen (default 127.0.0.1:3000)',
        '  ADUAN_PUBLIC_URL      the public https:// origin used in links; https makes cookies Secure',
        '  ADUAN_TRUST_PROXY     behind a reverse proxy: its addresses (127.0.0.1 for nginx on this host)',
        '  ADUAN_SECRET_KEY      required with DATABASE_URL (aduan keys generate); else generated into ADUAN_DATA_DIR',
        '  DATABASE_URL          PostgreSQL; unset = the embedded database in ADUAN_DATA_DIR (default ./data)',
        '  ADUAN_DEMO, ADUAN_WORKER',
        'Ctrl-C or SIGTERM stops it cleanly. Production: README.md and docs/operations.md.',
      ].join('\n'),
    },
  ),
  migrate: command(
    'migrate',
    'apply database migrations and load reference data',
    {},
    { notes: 'Run it at every upgrade, with every aduan process stopped (docs/operations.md, "Upgrade").' },
  ),
  seed: command('seed', 'load reference data, and the demo with --demo, on an empty database', { demo }),
  stats: group('stats', 'the statistics read model', {
    refresh: command('stats refresh', 'recompute the statistics read model (changed reports only)', {
      full: { type: 'boolean', description: 'recompute every report, not only the changed ones' },
    }),
  }),
  'open-data': group('open-data', 'the daily open-data file', {
    snapshot: command(
      'open-data snapshot',
      'write the open-data snapshot (+ sha256) into the data directory',
    ),
  }),
  evaluate: group(
    'evaluate',
    'evaluations of the participating agencies',
    {
      audit: command('evaluate audit', 'audit participant websites (axe-core, links, LAPOR! link)', {
        period: { type: 'string', value: 'ID', description: 'the evaluation period', required: true },
        'max-links': { type: 'string', value: 'N', description: 'links checked per website' },
      }),
    },
    command('evaluate', 'recompute an evaluation from the snapshot and compare it with the published one', {
      period: { type: 'string', value: 'ID', description: 'the evaluation period', required: true },
      snapshot: {
        type: 'string',
        value: 'FILE',
        description: 'the snapshot file (default: the published one, else the latest)',
      },
    }),
  ),
  audit: group('audit', 'the append-only report timelines and administration log', {
    verify: command('audit verify', "walk the hash chain of every report's timeline"),
    admin: command(
      'audit admin',
      'the administration log: who changed roles, accounts, agencies… (oldest first)',
      {
        since: { type: 'string', value: 'DATE', description: 'entries from this day on (YYYY-MM-DD, WIB)' },
        json,
      },
    ),
  }),
  keys: group('keys', 'the key sealing personal data at rest (docs/security.md)', {
    status: command('keys status', 'sealed values per key id and column, and the configured key ids'),
    generate: command('keys generate', 'print a new key (for ADUAN_SECRET_KEY)'),
    rotate: command(
      'keys rotate',
      'data-directory key only: a new secret.key, the old one kept in secret.previous',
    ),
    reseal: command('keys reseal', 're-encrypt every sealed value with the current key'),
  }),
  users: group('users', 'staff accounts', {
    'create-admin': command(
      'users create-admin',
      'create (or grant) a national admin; prints a one-time password',
      {
        email: { type: 'string', value: 'E', description: 'the email address', required: true },
        name: { type: 'string', value: 'N', description: 'the full name', required: true },
      },
    ),
    invite: command('users invite', 'invite staff: queues the email and prints the accept link', {
      email: { type: 'string', value: 'E', description: 'the email address (required without --csv)' },
      name: { type: 'string', value: 'N', description: 'the full name (required without --csv)' },
      role: {
        type: 'string',
        value: 'R',
        description: `the role: ${STAFF_ROLES.join(', ')} (required without --csv)`,
      },
      agency: { type: 'string', value: 'ID', description: 'the agency (required except for national_admin)' },
      lang: {
        type: 'string',
        value: 'id|en',
        description: 'language of the invitation email and of the --csv file messages (default id)',
      },
      csv: {
        type: 'string',
        value: 'FILE',
        description:
          'invite every row of a CSV file (columns email, name, role, agency_id; commas, semicolons or tabs; ' +
          'UTF-8, UTF-16 or Windows-1252); none if a row is bad',
      },
      'dry-run': { type: 'boolean', description: 'with --csv: check every row, invite nobody' },
    }),
    list: command('users list', 'staff accounts with their roles, and pending invitations', { json }),
  }),
  agencies: group('agencies', 'the agency tree (docs/operations.md, "Setting up the agency tree")', {
    add: command('agencies add', 'add an agency: top level (no --parent) or below an existing one', {
      name: { type: 'string', value: 'N', description: 'the full name', required: true },
      kind: {
        type: 'string',
        value: 'K',
        description: `the kind: ${AGENCY_KINDS.join(', ')}`,
        required: true,
      },
      parent: { type: 'string', value: 'ID', description: 'the parent agency (default: top level)' },
      region: {
        type: 'string',
        value: 'CODE',
        description: "Kemendagri region code, e.g. 64 or 64.71 (default the parent's)",
      },
      zone: { type: 'string', value: 'WIB|WITA|WIT', description: 'time zone (default from the region)' },
      'short-name': { type: 'string', value: 'S', description: 'the short name' },
      coordinator: { type: 'boolean', description: "mark it as its region's complaint coordinator" },
      id: { type: 'string', value: 'ID', description: 'the id (default generated from the parent and name)' },
      'sms-keyword': { type: 'string', value: 'W', description: 'SMS keyword routed to it' },
    }),
    import: command(
      'agencies import',
      'create or update agencies from a CSV file (all rows checked first)',
      {
        'dry-run': { type: 'boolean', description: 'only check, and print what would be created or updated' },
        'confirm-staff': {
          type: 'boolean',
          description: 'let the active column deactivate agencies where people hold roles (roles stay)',
        },
      },
      {
        args: 'FILE.csv',
        minArgs: 1,
        maxArgs: 1,
        notes:
          'Columns: id, parent_id, name, short_name, kind, region_code, zone, is_coordinator, sms_keyword,\n' +
          'active (yes/no, ya/tidak, 1/0; empty = unchanged) (name and kind required).\n' +
          'UTF-8 (BOM or not), UTF-16 with a BOM, or else Windows-1252; separated by commas, semicolons\n' +
          'or tabs (as Excel saves them). Example: docs/examples/agencies-kaltim.csv.',
      },
    ),
    list: command('agencies list', 'every agency, depth-first', { json }),
  }),
  open311: group('open311', 'the Open311 GeoReport v2 API', {
    key: group('open311 key', 'partner API keys', {
      create: command(
        'open311 key create',
        'issue a partner API key (printed once, only its hash is stored)',
        {
          name: { type: 'string', value: 'NAME', description: 'the partner', required: true },
          agency: { type: 'string', value: 'ID', description: 'limit the key to one agency' },
        },
      ),
    }),
    'service-type': command(
      'open311 service-type',
      'set how a service accepts requests',
      {},
      { args: 'CODE realtime|batch|blackbox', minArgs: 2, maxArgs: 2 },
    ),
  }),
  federation: group('federation', 'federation peers (docs/integrations.md)', {
    instance: command(
      'federation instance',
      "show or set this instance's id",
      {},
      { args: '[ID]', maxArgs: 1 },
    ),
    add: command(
      'federation add',
      'add or replace a peer (its key is stored sealed, never printed)',
      {
        url: { type: 'string', value: 'URL', description: "the peer's base URL", required: true },
        'api-key-env': {
          type: 'string',
          value: 'VAR',
          description: "read the peer's key from this variable",
        },
        'api-key-stdin': { type: 'boolean', description: "read the peer's key from stdin" },
        'api-key': {
          type: 'string',
          value: 'KEY',
          description: "the peer's key (ends up in the shell history)",
        },
      },
      { args: 'ID', minArgs: 1, maxArgs: 1 },
    ),
    list: command('federation list', 'the peers (never their keys)', { json }),
    remove: command('federation remove', 'remove a peer', {}, { args: 'ID', minArgs: 1, maxArgs: 1 }),
    test: command(
      'federation test',
      'reach the peer: discovery, then our key on GET requests',
      {},
      { args: 'ID', minArgs: 1, maxArgs: 1 },
    ),
  }),
  smtp: command('smtp', 'run an SMTP listener feeding inbound email', {
    port: { type: 'string', value: 'N', description: 'port on 127.0.0.1 (default 2525)' },
    address: {
      type: 'string',
      value: 'ADDRESS',
      description: 'accepted address (default lapor@aduan.local)',
    },
  }),
  sms: group('sms', 'SMS keywords (docs/channels.md)', {
    keyword: command(
      'sms keyword',
      'route "<KEYWORD> <text>" SMS to the agency (or regional government), or --clear its keyword',
      { clear: { type: 'boolean', description: "remove the agency's keyword", inArgs: true } },
      { args: 'AGENCY KEYWORD|--clear', minArgs: 1, maxArgs: 2 },
    ),
    keywords: command('sms keywords', 'list the configured keywords', { json }),
  }),
  worker: command(
    'worker',
    'run the outbox worker and deadline sweeper (docs/worker.md)',
    {},
    {
      notes: [
        "Environment: the web processes' DATABASE_URL and ADUAN_SECRET_KEY (and ADUAN_WORKER=0 on them);",
        'SMTP_URL, MAIL_FROM, SMS_GATEWAY_URL, SMS_GATEWAY_AUTH (deliveries); ADUAN_ROUTING_TRAIN_HOURS;',
        'ADUAN_WORKER_POLL_MS, ADUAN_WORKER_BATCH, ADUAN_WORKER_LEASE_MS (docs/worker.md). Ctrl-C or SIGTERM stops it.',
      ].join('\n'),
    },
  ),
  sweep: command('sweep', 'preview or run the deadline sweep at a moment', {
    at: {
      type: 'string',
      value: 'ISO',
      description: 'the moment, e.g. 2026-03-02T09:00:00+08:00 (default now)',
    },
    'dry-run': { type: 'boolean', description: 'print the actions without performing them' },
  }),
  holidays: group('holidays', 'national holidays of a year the SKB has not set yet (docs/operations.md)', {
    load: command(
      'holidays load',
      'add the certain dates of a year (confirmed) and the bundled predictions (tentative); keeps existing entries',
      {
        year: { type: 'string', value: 'YYYY', description: 'the year', required: true },
        'dry-run': { type: 'boolean', description: 'print what would be added, write nothing' },
        json,
        lang: { type: 'string', value: 'id|en', description: 'language of the messages (default id)' },
      },
    ),
    confirm: command('holidays confirm', 'confirm the predictions of a year once the SKB is out', {
      year: { type: 'string', value: 'YYYY', description: 'the year', required: true },
      date: { type: 'string', value: 'YYYY-MM-DD', description: 'only the prediction on this date' },
      lang: { type: 'string', value: 'id|en', description: 'language of the messages (default id)' },
    }),
  }),
  sla: group('sla', 'deadline (SLA) rules', {
    set: command('sla set', 'add an SLA rule version', {
      clock: {
        type: 'string',
        value: 'C',
        description: `the clock: ${SLA_CLOCKS.join(', ')}`,
        required: true,
      },
      days: { type: 'string', value: 'N', description: 'the length of the limit', required: true },
      unit: { type: 'string', value: 'working|calendar', description: 'the day unit (default working)' },
      basis: { type: 'string', value: 'TEXT', description: 'the legal basis', required: true },
      'valid-from': {
        type: 'string',
        value: 'YYYY-MM-DD',
        description: 'first day of the version',
        required: true,
      },
      classification: {
        type: 'string',
        value: 'K',
        description: `only for one classification: ${CLASSIFICATIONS.join(', ')}`,
      },
      supervisory: { type: 'boolean', description: 'only for supervisory (pengawasan) reports' },
      retroactive: {
        type: 'boolean',
        description:
          'allow a --valid-from before today (changes deadlines of clocks already running since then)',
      },
      'rule-id': {
        type: 'string',
        value: 'ID',
        description: 'the rule id (default from clock and classification)',
      },
      region: {
        type: 'string',
        value: 'CODE',
        description:
          'a regional rule (Pergub/Perwali) for a province or kab/kota, e.g. 64 or 64.71; only shorter',
      },
    }),
  }),
  outbox: group('outbox', 'the outbound message queue', {
    status: command('outbox status', 'queue depth per channel and overdue counts per agency'),
  }),
  routing: group('routing', 'routing suggestions (docs/routing.md)', {
    eval: command(
      'routing eval',
      'evaluate the routing classifier on CSV files',
      {
        train: { type: 'string', value: 'FILE', description: 'training CSV', required: true },
        test: { type: 'string', value: 'FILE', description: 'test CSV (or --cv)' },
        cv: {
          type: 'string',
          value: 'K',
          description: 'stratified k-fold cross-validation on the training file',
        },
        label: { type: 'string', value: 'COLUMN', description: 'agency_group (default) or report_type' },
        'min-count': {
          type: 'string',
          value: 'N',
          description: 'labels with fewer training rows are dropped (20)',
        },
        json: { type: 'boolean', description: 'print JSON' },
        algorithm: {
          type: 'string',
          value: 'A',
          description: 'product (served ensemble, default), logreg, cnb or mnb',
        },
        char: { type: 'boolean', description: 'character n-grams (not for product)' },
        'no-char': { type: 'boolean', description: 'no character n-grams' },
        bigrams: { type: 'boolean', description: 'word bigrams' },
        'no-bigrams': { type: 'boolean', description: 'no word bigrams' },
        'no-stem': { type: 'boolean', description: 'no Indonesian stemming' },
        'char-weight': { type: 'string', value: 'W', description: 'weight of the character features' },
        epochs: { type: 'string', value: 'N', description: 'training epochs (logreg)' },
        l2: { type: 'string', value: 'X', description: 'L2 regularisation (logreg)' },
        seed: { type: 'string', value: 'N', description: 'random seed (default 1)' },
      },
      { notes: 'Give exactly one of --test FILE or --cv K.' },
    ),
    train: command('routing train', "retrain routing suggestions on this instance's verified history", {
      json,
      kind: { type: 'string', value: 'K', description: `only one model: ${ROUTING_KINDS.join(', ')}` },
    }),
    'auto-dispatch': command(
      'routing auto-dispatch',
      'show or change the auto-dispatch rules (off by default)',
      {
        on: { type: 'boolean', description: 'turn auto-dispatch on' },
        off: { type: 'boolean', description: 'turn auto-dispatch off' },
        threshold: { type: 'string', value: '0.5..1', description: 'minimum confidence (with --on)' },
        agency: {
          type: 'string',
          value: 'ID',
          description: 'the rule of one agency (default: the instance)',
        },
        json,
      },
    ),
  }),
};
