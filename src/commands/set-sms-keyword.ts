/**
 * SMS keywords (docs/channels.md): `<KEYWORD> <text>` sent to the gateway files a report targeted to the
 * agency (or regional government) that owns the keyword. One keyword per agency, unique across agencies
 * (`agencies_sms_keyword_idx`); the reporter's command words (STATUS, INFO, TERIMA, …) are never keywords.
 */
import { and, eq, isNotNull, ne } from 'drizzle-orm';
import { agencies } from '../db/schema.ts';
import { recordAdminAction } from '../db/repositories/admin-audit.ts';
import type { Caller, Services } from '../app/context.ts';
import { invalid } from '../app/errors.ts';
import { requireAgency } from './lookups.ts';
import { SMS_COMMAND_WORDS } from './receive-sms.ts';

/** Normalises and checks a keyword: 2–20 letters or digits, upper case, not a command word. */
export function checkSmsKeyword(raw: string): string {
  const word = raw.trim().toUpperCase();
  if (!/^[A-Z0-9]{2,20}$/.test(word)) throw invalid({ keyword: { key: 'invalid_format' } });
  if (SMS_COMMAND_WORDS.includes(word)) throw invalid({ keyword: { key: 'sms_keyword_reserved' } });
  return word;
}

/**
 * Sets (or with `null` clears) the SMS keyword of an agency; returns the stored keyword. A change is recorded in
 * the administration log (`sms_keyword.set` / `sms_keyword.clear`, actor `caller`, default the operator's CLI).
 */
export async function setSmsKeyword(
  svc: Services,
  agencyId: string,
  keyword: string | null,
  caller: Caller | null = null,
): Promise<string | null> {
  const agency = await requireAgency(svc.db, agencyId, 'agency');
  const word = keyword === null ? null : checkSmsKeyword(keyword);
  if (word) {
    const [other] = await svc.db
      .select({ id: agencies.id })
      .from(agencies)
      .where(and(eq(agencies.smsKeyword, word), ne(agencies.id, agencyId)))
      .limit(1);
    if (other) throw invalid({ keyword: { key: 'sms_keyword_taken', params: { agency: other.id } } });
  }
  if ((agency.smsKeyword ?? null) === word) return word; // nothing changes, nothing to record
  try {
    await svc.db.transaction(async (tx) => {
      await tx.update(agencies).set({ smsKeyword: word }).where(eq(agencies.id, agencyId));
      await recordAdminAction(tx, caller, {
        action: word ? 'sms_keyword.set' : 'sms_keyword.clear',
        targetType: 'agency',
        targetId: agencyId,
        agencyId,
        details: { agencyId, agencyName: agency.name, from: agency.smsKeyword ?? null, to: word },
        at: svc.now(),
      });
    });
  } catch (e) {
    // A concurrent claim of the same keyword trips the unique index.
    const err = e as { code?: string; cause?: { code?: string } };
    if (err.code === '23505' || err.cause?.code === '23505')
      throw invalid({ keyword: { key: 'sms_keyword_taken', params: { agency: '?' } } });
    throw e;
  }
  return word;
}

/** Every configured keyword with its agency, alphabetically. */
export async function listSmsKeywords(
  svc: Services,
): Promise<Array<{ keyword: string; agencyId: string; agencyName: string; active: boolean }>> {
  const rows = await svc.db
    .select({
      keyword: agencies.smsKeyword,
      agencyId: agencies.id,
      agencyName: agencies.name,
      active: agencies.active,
    })
    .from(agencies)
    .where(isNotNull(agencies.smsKeyword))
    .orderBy(agencies.smsKeyword);
  return rows.map((r) => ({ ...r, keyword: r.keyword! }));
}
