/**
 * The report text of an Open311 request. GeoReport v2 makes `description` optional (§6) and our pins read it
 * back as sent (`""` when none, D2 and D13), while every report keeps the JSON API's limits (docs/api-v1.md:
 * title 5–150, body 20–10,000 characters), which the mobile app and agency systems rely on.
 * So a description shorter than the body minimum (or none) is stored followed by a fixed note that says so,
 * and the Open311 read takes that note off again: the partner reads back exactly what it sent, staff and JSON
 * API consumers read a body within the limits and see why it is short. Pure, so the command and the
 * presenter agree on one note.
 */

/** Fewest characters of a report title and body (docs/api-v1.md), counted as code points. */
export const MIN_TITLE = 5;
export const MIN_BODY = 20;
/** Most characters of a report title. */
export const MAX_TITLE = 150;

/** Appended to a description shorter than MIN_BODY (alone when there is none). */
export const SHORT_DESCRIPTION_NOTE =
  '[Dikirim melalui Open311 tanpa uraian lengkap / Sent through Open311 without a full description]';
const SEPARATOR = '\n\n';

const length = (s: string) => [...s].length;
const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * The title and body of the report an Open311 request files. The title is the `judul` attribute, else the
 * description's first line, else the whole description on one line, else the service name: the first of
 * them with at least MIN_TITLE characters, cut at 150.
 */
export function open311ReportText(
  description: string | undefined,
  judul: string | undefined,
  serviceName: string,
): { title: string; body: string } {
  const text = description?.trim() ?? '';
  const body =
    length(text) >= MIN_BODY
      ? text
      : text
        ? `${text}${SEPARATOR}${SHORT_DESCRIPTION_NOTE}`
        : SHORT_DESCRIPTION_NOTE;
  const candidates = [judul, text.split('\n')[0], text, serviceName, `Laporan ${serviceName}`];
  const title =
    candidates.map((c) => collapse(c ?? '')).find((c) => length(c) >= MIN_TITLE) ?? `Laporan ${serviceName}`;
  return { title: Array.from(title).slice(0, MAX_TITLE).join('').trim(), body };
}

/** The description an Open311 request was sent with, from its report body (the note taken off). */
export function sentDescription(body: string): string {
  if (body === SHORT_DESCRIPTION_NOTE) return '';
  const tail = `${SEPARATOR}${SHORT_DESCRIPTION_NOTE}`;
  return body.endsWith(tail) ? body.slice(0, -tail.length) : body;
}
