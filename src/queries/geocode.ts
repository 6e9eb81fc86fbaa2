/**
 * Best-effort place lookup in free text: the most specific kabupaten/kota or kecamatan whose name appears
 * in an address or message. Why: Open311 `address_string` and SMS/email reports often name a place but
 * carry no region code, and every report needs a region to reach the right verifier queue.
 */
import { sql } from 'drizzle-orm';
import { query, type AppDb } from '../db/client.ts';

/**
 * The region code named in `text` (whole words; the longest name wins, then the wider region), or null.
 * Names shorter than 4 letters are ignored (too ambiguous).
 */
export async function regionFromText(db: AppDb, text: string): Promise<string | null> {
  if (!text.trim()) return null;
  const rows = await query<{ code: string }>(
    db,
    sql`select code from regions
        where level between 2 and 3 and length(name) > 3
          and lower(${text.slice(0, 2000)}) ~ ('\\m' || regexp_replace(lower(regexp_replace(name, '^(KABUPATEN|KOTA) ', '', 'i')), '([.()*+?^|])', '\\\\\\1', 'g') || '\\M')
        order by length(name) desc, level asc limit 1`,
  );
  return rows[0]?.code ?? null;
}
