/**
 * The agency tree from the operator's shell (trusted: national scope), for a real install that starts with none:
 *   aduan agencies add --name N --kind K [--parent ID] [--region CODE] [--zone WIB|WITA|WIT] [--short-name S]
 *                      [--coordinator] [--id ID] [--sms-keyword W]
 *       one agency, at the top level (no --parent) or below an existing one (same rules as the admin page).
 *   aduan agencies import FILE.csv [--dry-run] [--confirm-staff]
 *       the tree from a CSV file (src/commands/import-agencies.ts, docs/operations.md): UTF-8, UTF-16 or
 *       windows-1252, comma, semicolon or tab (src/commands/csv-reader.ts); every row checked first; one bad row and
 *       nothing is written. `--confirm-staff` lets the `active` column deactivate agencies where people hold roles.
 *   aduan agencies list [--json]
 *       every agency, depth-first.
 * Refusals name the option (or the file's line and column) and say why in Bahasa Indonesia and English.
 */
import type { Runtime } from '../runtime.ts';
import type { FieldIssue } from '../app/errors.ts';
import { systemCaller } from '../app/context.ts';
import { AppError } from '../app/errors.ts';
import { addAgency } from '../commands/manage-agencies.ts';
import {
  AGENCY_CSV_ALIASES,
  AGENCY_CSV_COLUMNS,
  AGENCY_CSV_REQUIRED,
  importAgencies,
  parseAgencyCsv,
} from '../commands/import-agencies.ts';
import type { CsvTable } from '../commands/csv-reader.ts';
import { listAllAgencies } from '../queries/agency-admin.ts';
import { has, t } from '../locales/index.ts';
import type { ParsedArgs } from './args.ts';
import { csvBoth, loadCsvFile } from './csv-input.ts';
import { say } from './messages.ts';

/** A field issue in Bahasa Indonesia and English: "Kode wilayah tidak dikenal. / Unknown region code." */
export function issueBoth(issue: FieldIssue): string {
  const text = (lang: 'id' | 'en') => {
    for (const ns of ['errors.field', 'admin.field', 'csv.field'])
      if (has(lang, `${ns}.${issue.key}`)) return t(lang, `${ns}.${issue.key}`, issue.params);
    return issue.key;
  };
  const id = text('id');
  const en = text('en');
  return id === en ? en : `${id} / ${en}`;
}

const FLAG: Record<string, string> = {
  name: '--name',
  shortName: '--short-name',
  kind: '--kind',
  parentId: '--parent',
  regionCode: '--region',
  zone: '--zone',
  isCoordinator: '--coordinator',
  id: '--id',
  smsKeyword: '--sms-keyword',
};

function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Runs `aduan agencies <sub>` (arguments already checked against src/cli/commands.ts); returns the exit code. */
export async function agenciesCli(
  sub: string,
  { values: v, positionals }: ParsedArgs,
  open: () => Promise<Runtime>,
): Promise<number> {
  let table: CsvTable | undefined;
  if (sub === 'import') {
    // The file is read (and refused when it is not a usable CSV) before the database is opened.
    const read = loadCsvFile(positionals[0]!, {
      known: [...AGENCY_CSV_COLUMNS, ...Object.keys(AGENCY_CSV_ALIASES)],
      required: AGENCY_CSV_REQUIRED,
      aliases: AGENCY_CSV_ALIASES,
    });
    if (read.error) {
      console.error(`aduan agencies import: ${csvBoth(read.error)}`);
      return 1;
    }
    if (read.notice) console.error(`aduan agencies import: ${csvBoth(read.notice)}`);
    table = read.table;
  }
  const rt = await open();
  const svc = rt.services;
  const caller = systemCaller('cli');
  try {
    if (sub === 'list') {
      const rows = await listAllAgencies(svc);
      if (v.json) {
        console.log(JSON.stringify(rows.map(({ depth: _depth, ...r }) => r)));
        return 0;
      }
      if (rows.length === 0) console.log(say('agencies.none_yet'));
      for (const a of rows)
        console.log(
          [
            `${'  '.repeat(Math.max(0, a.depth))}${a.id}`,
            a.kind,
            a.regionCode ?? '-',
            a.zone,
            a.isCoordinator ? say('agencies.coordinator') : '',
            a.active ? '' : say('agencies.inactive'),
            a.name,
          ].join('\t'),
        );
      return 0;
    }
    if (sub === 'add') {
      const id = await addAgency(svc, caller, {
        name: str(v.name) ?? '',
        shortName: str(v['short-name']),
        kind: str(v.kind) ?? '',
        parentId: str(v.parent) || null,
        regionCode: str(v.region),
        zone: str(v.zone),
        isCoordinator: v.coordinator === true,
        id: str(v.id),
        smsKeyword: str(v['sms-keyword']),
      });
      const [a] = (await listAllAgencies(svc)).filter((x) => x.id === id);
      console.log(
        say('agencies.added', {
          id,
          kind: a!.kind,
          region: a!.regionCode ?? '-',
          zone: `${a!.zone}${a!.isCoordinator ? `, ${say('agencies.coordinator')}` : ''}`,
        }),
      );
      return 0;
    }
    // import
    const parsed = parseAgencyCsv(table!);
    const result = parsed.issues.length
      ? { issues: parsed.issues, steps: [], applied: false }
      : await importAgencies(svc, caller, parsed.rows, {
          dryRun: v['dry-run'] === true,
          confirmStaff: v['confirm-staff'] === true,
        });
    if (result.issues.length) {
      for (const i of result.issues)
        console.error(`aduan agencies import: baris/row ${i.line}, ${i.field}: ${issueBoth(i.issue)}`);
      console.error(
        `aduan agencies import: ${result.issues.length} problem(s); nothing imported. / ${result.issues.length} masalah; tidak ada yang diimpor.`,
      );
      return 1;
    }
    // The first column is the step's action as a key (`create`, `would update`, `unchanged`…), the same in every
    // language; the rest of the line and the summary are for people.
    const verb = result.applied ? '' : 'would ';
    for (const s of result.steps)
      console.log(
        `${s.action === 'unchanged' ? 'unchanged' : `${verb}${s.action}`}\t${s.id}\t${s.kind}\t${s.regionCode ?? '-'}\t${s.zone}${s.isCoordinator ? `\t${say('agencies.coordinator')}` : ''}${s.active ? '' : `\t${say('agencies.inactive')}`}\t${s.name}`,
      );
    const count = (a: string) => result.steps.filter((s) => s.action === a).length;
    console.log(
      say(result.applied ? 'agencies.imported' : 'agencies.import_dry_run', {
        create: count('create'),
        update: count('update'),
        unchanged: count('unchanged'),
      }),
    );
    return 0;
  } catch (err) {
    if (err instanceof AppError && err.code === 'VALIDATION_FAILED') {
      for (const [field, issue] of Object.entries(err.fields))
        console.error(`aduan agencies ${sub}: ${FLAG[field] ?? field}: ${issueBoth(issue)}`);
      return 1;
    }
    throw err;
  } finally {
    await rt.close();
  }
}
