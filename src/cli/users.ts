/**
 * Staff accounts from the operator's shell (trusted: no scope), for a real install that starts with no account:
 *   aduan users create-admin --email E --name N
 *       a national admin: a new account gets a one-time temporary password (printed once, changed at the first
 *       sign-in); an existing account with roles gets the grant and keeps its password; an unverified registration
 *       (an account without any role) is treated as new (its password replaced), since whoever registered it chose it.
 *   aduan users invite --email E --name N --role R [--agency ID] [--lang id|en]
 *       an invitation as the system: the email is queued (outbox) and the accept link printed, for instances without
 *       SMTP; the agency may be left out only for national_admin.
 *   aduan users invite --csv FILE [--dry-run] [--lang id|en]
 *       the same for every row of a CSV file (header: email, name, role, agency_id; UTF-8, UTF-16 or windows-1252,
 *       comma, semicolon or tab: src/commands/csv-reader.ts; file problems in --lang). Every row is checked first
 *       (fields, role, agency known and active, role fitting the agency, no row twice); one bad row and nobody is
 *       invited, each problem printed with its line number in English and Indonesian. `--dry-run` only checks.
 *   aduan users list [--json]
 *       staff accounts with their roles, and pending invitations.
 */
import { parseArgs } from 'node:util';
import type { Runtime } from '../runtime.ts';
import { systemCaller } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { createNationalAdmin, isStaffEmail } from '../commands/manage-staff-users.ts';
import { checkOperatorInvitation, inviteStaffAsOperator } from '../commands/staff-invitations.ts';
import { usersInScope } from '../queries/admin.ts';
import { pendingInvitations } from '../queries/staff-invitations.ts';
import { cliLanguage, type Config } from '../config.ts';
import { has, t, type Lang } from '../locales/index.ts';
import { usageError, usageProblem, type CommandSpec, type GroupSpec } from './args.ts';
import { COMMANDS } from './commands.ts';
import { csvText, loadCsvFile } from './csv-input.ts';
import { say, usageOf } from './messages.ts';

/** The usage of `aduan users` (its subcommands), in the command line's language. */
const usersUsage = () => usageOf('users');

/**
 * A field issue in `lang` (the command line's language by default), from the shared field messages first, then the
 * admin and account ones.
 */
function issueText(
  key: string,
  params?: Record<string, string | number>,
  lang: Lang = cliLanguage(),
): string {
  for (const ns of ['errors.field', 'admin.field', 'account.field'])
    if (has(lang, `${ns}.${key}`)) return t(lang, `${ns}.${key}`, params);
  return key;
}

/** The CSV columns of `users invite --csv`, and the form field each one fills. */
const CSV_COLUMNS = { email: 'email', name: 'name', role: 'role', agency_id: 'agencyId' } as const;

/** One data row of the CSV, with its line number in the file. */
interface CsvInvite {
  line: number;
  email: string;
  name: string;
  role: string;
  agencyId: string;
}

/**
 * Reads the CSV (header row first, src/commands/csv-reader.ts); a problem with the file itself is returned as text
 * in `lang`. The windows-1252 notice is printed to stderr.
 */
function readInviteCsv(file: string, lang: Lang): CsvInvite[] | string {
  const columns = Object.keys(CSV_COLUMNS);
  const read = loadCsvFile(file, { known: columns, required: columns });
  if (read.error) return csvText(read.error, lang);
  if (read.notice) console.error(`aduan users invite --csv: ${csvText(read.notice, lang)}`);
  if (read.table.rows.length === 0) return csvText({ key: 'csv.error.no_rows', params: { file } }, lang);
  return read.table.rows.map(({ line, values }) => ({
    line,
    email: values.email ?? '',
    name: values.name ?? '',
    role: values.role ?? '',
    agencyId: values.agency_id ?? '',
  }));
}

/** `users invite --csv`: check every row, then (unless a row is bad or `dryRun`) invite each; the exit code. */
async function inviteFromCsv(
  config: Config,
  svc: Runtime['services'],
  rows: CsvInvite[],
  lang: Lang,
  dryRun: boolean,
): Promise<number> {
  const columnOf = Object.fromEntries(Object.entries(CSV_COLUMNS).map(([c, f]) => [f, c])) as Record<
    string,
    string
  >;
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const r of rows) {
    try {
      await checkOperatorInvitation(svc, {
        email: r.email,
        name: r.name,
        role: r.role,
        agencyId: r.agencyId || undefined,
      });
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') throw err;
      const issues = Object.entries(err.fields).filter(
        ([field]) => !(field === 'agencyId' && 'role' in err.fields),
      );
      for (const [field, issue] of issues)
        problems.push(
          `baris/row ${r.line}, ${columnOf[field] ?? field}: ${issueText(issue.key, issue.params, 'id')} / ${issueText(issue.key, issue.params, 'en')}`,
        );
      continue;
    }
    const key = `${r.email.trim().toLowerCase()}|${r.role}|${r.agencyId}`;
    const first = seen.get(key);
    if (first !== undefined)
      problems.push(
        `baris/row ${r.line}: undangan yang sama dengan baris ${first} / the same invitation as row ${first}`,
      );
    else seen.set(key, r.line);
  }
  if (problems.length) {
    for (const p of problems) console.error(`aduan users invite: ${p}`);
    console.error(
      `aduan users invite: ${problems.length} masalah; tidak ada yang diundang. / ${problems.length} problem(s); nobody was invited.`,
    );
    return 1;
  }
  if (dryRun) {
    for (const r of rows)
      console.log(
        say('users.row_ok', {
          line: r.line,
          email: r.email.trim().toLowerCase(),
          role: `${r.role}${r.agencyId ? `@${r.agencyId}` : ''}`,
        }),
      );
    console.log(say('users.rows_checked', { n: rows.length }));
    return 0;
  }
  for (const r of rows) {
    const done = await inviteStaffAsOperator(svc, {
      email: r.email,
      name: r.name,
      role: r.role,
      agencyId: r.agencyId || undefined,
      lang,
    });
    printInvitation(config, done, r.email, r.role);
  }
  console.log(say('users.invitations_made', { n: rows.length }));
  return 0;
}

/** What `users invite` prints for one invitation: the id and the accept link. */
function printInvitation(
  config: Config,
  r: { id: string; url: string; expiresAt: Date },
  email: string,
  role: string,
): void {
  console.log(say('users.invitation', { id: r.id, email: email.trim().toLowerCase(), role }));
  console.log(`  ${say('users.email_queued')}`);
  console.log(`  ${say('users.accept_link', { until: r.expiresAt.toISOString() })}`);
  console.log(`  ${r.url}`);
  if (!config.publicUrl) console.log(`  ${say('users.no_public_url')}`);
}

const FLAG: Record<string, string> = {
  email: '--email',
  name: '--name',
  role: '--role',
  agencyId: '--agency',
};

/** Runs one `aduan users` command; returns the exit code (0 done, 1 refused, 2 usage). */
export async function usersCli(
  config: Config,
  args: string[],
  open: () => Promise<Runtime>,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        agency: { type: 'string' },
        lang: { type: 'string', default: 'id' },
        json: { type: 'boolean', default: false },
        csv: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
      },
      allowPositionals: true,
    });
  } catch (e) {
    console.error(`aduan users: ${(e as Error).message}\n${usersUsage()}`);
    return 2;
  }
  const { values: v, positionals } = parsed;
  const sub = positionals[0];
  if (positionals.length !== 1 || !['create-admin', 'invite', 'list'].includes(sub!)) {
    console.error(usersUsage());
    return 2;
  }
  let csvRows: CsvInvite[] | undefined;
  if (v.csv !== undefined) {
    if (sub !== 'invite' || v.email || v.name || v.role || v.agency) {
      console.error(`aduan users ${sub}: ${say('users.csv_alone')}\n${usersUsage()}`);
      return 2;
    }
    if (v.lang !== 'id' && v.lang !== 'en') {
      console.error(`aduan users ${sub}: ${say('users.lang')}`);
      return 2;
    }
    const read = readInviteCsv(v.csv, v.lang);
    if (typeof read === 'string') {
      console.error(`aduan users invite --csv: ${read}`);
      return 1;
    }
    csvRows = read;
  } else if (v['dry-run']) {
    console.error(`aduan users ${sub}: ${say('users.dry_run_csv')}\n${usersUsage()}`);
    return 2;
  } else if (sub !== 'list') {
    const missing = ['email', 'name', ...(sub === 'invite' ? ['role'] : [])].filter(
      (k) => !(v as Record<string, unknown>)[k],
    );
    if (missing.length && sub === 'invite') {
      // Without --csv these are required: the same refusal as any missing required option (src/cli/args.ts).
      const spec = (COMMANDS.users as GroupSpec).subcommands.invite as CommandSpec;
      return usageError(spec, usageProblem('missing', { options: missing.map((k) => `--${k}`).join(', ') }));
    }
    if (missing.length) {
      const options = missing.map((k) => `--${k}`).join(', ');
      console.error(`aduan users ${sub}: ${usageProblem('missing', { options })}\n${usersUsage()}`);
      return 2;
    }
    // Refused before the database is opened: a typo must not reach anyone's mailbox.
    if (!isStaffEmail(v.email!.trim().toLowerCase())) {
      console.error(`aduan users ${sub}: --email "${v.email}": ${issueText('invalid_email')}`);
      return 1;
    }
    if (v.lang !== 'id' && v.lang !== 'en') {
      console.error(`aduan users ${sub}: ${say('users.lang')}`);
      return 2;
    }
  }
  const rt = await open();
  const svc = rt.services;
  try {
    if (sub === 'create-admin') {
      const r = await createNationalAdmin(svc, { email: v.email!, name: v.name! });
      const email = v.email!.trim().toLowerCase();
      if (r.alreadyAdmin) console.log(say('users.already_admin', { email }));
      else if (!r.temporaryPassword) console.log(say('users.granted', { email }));
      else {
        console.log(say(r.created ? 'users.admin_created' : 'users.unverified_replaced', { email }));
        console.log(`  ${say('users.temporary_password', { password: r.temporaryPassword })}`);
        console.log(`  ${say('users.sign_in_at', { url: `${svc.publicUrl}/masuk` })}`);
      }
      return 0;
    }
    if (sub === 'invite' && csvRows)
      return await inviteFromCsv(config, svc, csvRows, v.lang as Lang, v['dry-run']!);
    if (sub === 'invite') {
      const r = await inviteStaffAsOperator(svc, {
        email: v.email!,
        name: v.name!,
        role: v.role!,
        agencyId: v.agency,
        lang: v.lang as Lang,
      });
      printInvitation(config, r, v.email!, v.role!);
      return 0;
    }
    const actor = systemCaller('cli').actor;
    const [users, invitations] = await Promise.all([
      usersInScope(svc, actor),
      pendingInvitations(svc, actor),
    ]);
    if (v.json) {
      console.log(
        JSON.stringify({
          users: users.map((u) => ({
            email: u.email,
            name: u.name,
            locked: u.locked,
            disabled: u.disabled,
            grants: u.grants.map((g) => ({ role: g.role, agencyId: g.agencyId })),
          })),
          invitations: invitations.map((i) => ({
            id: i.id,
            email: i.email,
            name: i.name,
            role: i.role,
            agencyId: i.agencyId,
            sentAt: i.sentAt.toISOString(),
            expiresAt: i.expiresAt.toISOString(),
            expired: i.expired,
          })),
        }),
      );
      return 0;
    }
    for (const u of users)
      console.log(
        `${u.email}\t${u.name}\t${u.grants.map((g) => (g.agencyId ? `${g.role}@${g.agencyId}` : g.role)).join(', ')}${u.locked ? `\t${say('users.locked')}` : ''}${u.disabled ? `\t${say('users.disabled')}` : ''}`,
      );
    if (users.length === 0) console.log(say('users.none_yet'));
    // `invited` marks the kind of row (a column key); the rest of the line is for people.
    for (const i of invitations)
      console.log(
        `invited\t${i.email}\t${i.name}\t${i.agencyId ? `${i.role}@${i.agencyId}` : i.role}\t${say('users.until', { date: i.expiresAt.toISOString() })}${i.expired ? ` ${say('users.expired')}` : ''}`,
      );
    return 0;
  } catch (err) {
    if (err instanceof AppError && err.code === 'VALIDATION_FAILED') {
      // Whether --agency is required depends on the role: with an unknown role only the role is wrong.
      const issues = Object.entries(err.fields).filter(
        ([field]) => !(field === 'agencyId' && 'role' in err.fields),
      );
      for (const [field, issue] of issues)
        console.error(`aduan users ${sub}: ${FLAG[field] ?? field}: ${issueText(issue.key, issue.params)}`);
      return 1;
    }
    throw err;
  } finally {
    await rt.close();
  }
}
