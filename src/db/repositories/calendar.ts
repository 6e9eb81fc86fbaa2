/** Loads the working-day calendar and SLA rules from the database, cached briefly per process. */
import type { AppDb, Tx } from '../client.ts';
import { holidays, slaRules } from '../schema.ts';
import { makeCalendar, type Holiday, type WorkingCalendar } from '../../domain/deadline/calendar.ts';
import type { SlaRule } from '../../domain/deadline/sla.ts';
import type { ZoneName } from '../../domain/report/report.ts';

const TTL_MS = 30_000;
let holidayCache: { at: number; rows: Holiday[] } | null = null;
let ruleCache: { at: number; rows: SlaRule[] } | null = null;

/** Forgets cached holidays and rules (after an admin edits them, and in tests). */
export function invalidateCalendarCache(): void {
  holidayCache = null;
  ruleCache = null;
}

/** All holidays (national, cuti bersama, regional). */
export async function loadHolidays(db: AppDb | Tx): Promise<Holiday[]> {
  if (holidayCache && Date.now() - holidayCache.at < TTL_MS) return holidayCache.rows;
  const rows = await db.select().from(holidays);
  const list: Holiday[] = rows.map((r) => ({
    date: r.date,
    name: r.name,
    kind: r.kind as Holiday['kind'],
    regionCode: r.regionCode,
    ...(r.tentative ? { tentative: true } : {}),
  }));
  holidayCache = { at: Date.now(), rows: list };
  return list;
}

/** Calendars built from one cached holiday list, by zone and region (rebuilt when the list is reloaded). */
const calendars = new WeakMap<Holiday[], Map<string, WorkingCalendar>>();
const MAX_CALENDARS = 5000;

/** The calendar of a zone, with the regional holidays of `regionCode`. */
export async function loadCalendar(
  db: AppDb | Tx,
  zone: ZoneName,
  regionCode: string | null | undefined,
): Promise<WorkingCalendar> {
  const list = await loadHolidays(db);
  let built = calendars.get(list);
  if (!built) calendars.set(list, (built = new Map()));
  const key = `${zone}|${regionCode ?? ''}`;
  let cal = built.get(key);
  if (!cal) {
    cal = makeCalendar(zone, list, regionCode ?? undefined);
    if (built.size >= MAX_CALENDARS) built.clear();
    built.set(key, cal);
  }
  return cal;
}

/** A stored `sla_rules` row as the domain's rule. */
export function slaRuleOf(r: typeof slaRules.$inferSelect): SlaRule {
  return {
    id: r.id,
    version: r.version,
    clock: r.clock as SlaRule['clock'],
    classification: r.classification as SlaRule['classification'],
    supervisory: r.supervisory,
    workingDays: r.workingDays,
    dayUnit: r.dayUnit as SlaRule['dayUnit'],
    basis: r.basis,
    validFrom: r.validFrom,
    regionCode: r.regionCode,
  };
}

/** Every SLA rule version. */
export async function loadSlaRules(db: AppDb | Tx): Promise<SlaRule[]> {
  if (ruleCache && Date.now() - ruleCache.at < TTL_MS) return ruleCache.rows;
  const list: SlaRule[] = (await db.select().from(slaRules)).map(slaRuleOf);
  ruleCache = { at: Date.now(), rows: list };
  return list;
}
