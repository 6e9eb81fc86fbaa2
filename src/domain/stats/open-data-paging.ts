/**
 * Paging of the open-data rows (`GET /api/v1/open-data/reports.json|csv`): a page size with a default and a
 * maximum, and an opaque keyset cursor naming the last row of the previous page. Rows are ordered by local date of
 * receipt, then tracking number (unique), so the cursor stays valid while reports are added or leave the public:
 * a page never repeats or skips a row that was public on both requests.
 * Why a cursor, not an offset: an offset shifts when a report of an earlier day is verified or made rahasia between
 * two requests of a harvester walking the pages.
 */

/** Rows per page when the request names no `limit`. */
export const OPEN_DATA_DEFAULT_LIMIT = 1000;
/** The most rows one page holds. */
export const OPEN_DATA_MAX_LIMIT = 10_000;

/** The position after which a page starts: the sort key of the previous page's last row. */
export interface OpenDataCursor {
  createdDate: string;
  trackingId: string;
}

const CURSOR_TEXT = /^(\d{4}-\d{2}-\d{2})_(\d{10})$/;

/** The opaque cursor of a position (base64url of `<createdDate>_<trackingId>`). */
export function encodeOpenDataCursor(c: OpenDataCursor): string {
  return Buffer.from(`${c.createdDate}_${c.trackingId}`, 'utf8').toString('base64url');
}

/** The position of a cursor, or null when it is not one this API wrote. */
export function decodeOpenDataCursor(cursor: string): OpenDataCursor | null {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) return null;
  const m = CURSOR_TEXT.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) return null;
  const createdDate = m[1]!;
  // A real calendar day (the query compares it as a date).
  const d = new Date(`${createdDate}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== createdDate) return null;
  return { createdDate, trackingId: m[2]! };
}
