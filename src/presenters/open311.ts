/**
 * Open311 shapes of our data, as plain objects in the JSON (Spark) form; src/http/open311/format.ts turns
 * them into XML. Privacy lives here: a request item is built from an explicit list of public columns and
 * never carries any reporter field (name, email, phone, device, account), anonymous or not; a reporter's or
 * citizen's text in `notes[]` and request updates has its personal data masked (`publicEventBody`), except for
 * the partner that submitted the request, which reads it as its reporter wrote it (D13).
 */
import { ATTRIBUTES } from '../domain/open311/service-definition.ts';
import { baseStatus, extendedStatus } from '../domain/open311/statuses.ts';
import type { ReportStatus, ZoneName } from '../domain/report/report.ts';
import { zoneForRegion } from '../domain/deadline/calendar.ts';
import type { Open311Note, Open311Row, Open311Service, Open311UpdateRow } from '../queries/open311.ts';
import { publicEventBody } from './report.ts';
import { sentDescription } from '../domain/open311/description.ts';

const OFFSET: Record<ZoneName, number> = { WIB: 7, WITA: 8, WIT: 9 };

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * W3C datetime without fractional seconds, in the report's zone (§1, §13 item 8); '' for no value (D2).
 * Computed arithmetically (civil date from day number, H. Hinnant's algorithm) rather than through a Date
 * and toISOString: a 1000-item list formats 3000 of these.
 */
export function w3c(d: Date | null | undefined, zone: ZoneName = 'WIB'): string {
  if (!d) return '';
  const h = OFFSET[zone];
  const secs = Math.floor(d.getTime() / 1000) + h * 3600;
  const days = Math.floor(secs / 86_400);
  const sod = secs - days * 86_400;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 1000 || year > 9999) {
    // Outside the four-digit years the arithmetic form above pads for; never for real reports.
    const local = new Date(secs * 1000).toISOString().slice(0, 19);
    return `${local}+0${h}:00`;
  }
  const hh = Math.floor(sod / 3600);
  const mm = Math.floor((sod % 3600) / 60);
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(hh)}:${pad2(mm)}:${pad2(sod % 60)}+0${h}:00`;
}

/** A `services` item (§4). */
export function presentService(s: Open311Service) {
  return {
    service_code: s.code,
    service_name: s.name,
    description: s.group === s.name ? s.name : `${s.group} — ${s.name}`,
    metadata: true,
    type: s.type,
    keywords: '',
    group: s.group,
  };
}

/** The shared service definition (§5) for one service code. */
export function presentServiceDefinition(code: string) {
  return {
    service_code: code,
    attributes: ATTRIBUTES.map((a) => ({
      variable: a.variable,
      code: a.code,
      datatype: a.datatype,
      required: a.required,
      datatype_description: a.datatypeDescription,
      order: a.order,
      description: a.description,
      values: a.values ?? [],
    })),
  };
}

/**
 * The zone a request's times are written in: its handling (or addressed) agency's, else its region's, else WIB.
 * Every answer about one request (items, notes, updates, the sandbox) uses this, so one request has one offset.
 */
export function zoneOf(r: { zone: string | null; region_code?: string | null }): ZoneName {
  if (r.zone === 'WIB' || r.zone === 'WITA' || r.zone === 'WIT') return r.zone;
  return r.region_code ? zoneForRegion(r.region_code) : 'WIB';
}

/**
 * A coordinate as text: at most 7 decimals (about 1 cm), trailing zeros dropped, so float noise
 * (`-0.5265249999999999`) never shows; '' for none (D2).
 */
export function coordinate(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '';
  const s = v.toFixed(7).replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
}

/** Extra data for `extensions=true`. */
export interface RequestExtras {
  notes?: Open311Note[];
  mediaUrls?: string[];
}

/** A `request` item (§8) — public columns only; the partner's own media_url and attributes when `own`. */
export function presentRequest(r: Open311Row, extensions: boolean, extras: RequestExtras = {}) {
  const zone = zoneOf(r);
  const status = r.status as ReportStatus;
  const closed = baseStatus(status) === 'closed';
  const updated = closed && r.closed_at ? r.closed_at : r.updated_at;
  const mediaUrls = extras.mediaUrls ?? [];
  const item: Record<string, unknown> = {
    service_request_id: r.tracking_id,
    status: baseStatus(status),
    status_notes: '',
    service_name: r.service_name ?? '',
    service_code: r.category_id === null ? '' : String(r.category_id),
    // As the partner sent it: '' when it sent none (D2), without the note a short one is stored with.
    description: r.channel === 'open311' ? sentDescription(r.body) : r.body,
    agency_responsible: r.agency_name ?? '',
    service_notice: '',
    requested_datetime: w3c(r.created_at, zone),
    updated_datetime: w3c(updated < r.created_at ? r.created_at : updated, zone),
    expected_datetime: closed ? '' : w3c(r.due_at, zone),
    address: r.address ?? '',
    address_id: r.region_code ?? '',
    zipcode: '',
    lat: coordinate(r.lat),
    long: coordinate(r.lon),
    media_url: mediaUrls[0] ?? (r.own ? (r.own_media_url ?? '') : ''),
  };
  if (extensions) {
    item.media_urls = mediaUrls;
    item.extended_attributes = {
      title: r.title,
      channel: r.channel,
      classification: r.classification,
      status_detail: status,
      extended_status: extendedStatus(status, r.archive_reason),
      // A count, so a number as in the JSON API (text in XML); ids and codes stay strings (D1).
      support_count: Number(r.support_count),
      ...(r.own && r.own_attributes ? { attributes: r.own_attributes } : {}),
    };
    item.notes = (extras.notes ?? []).map((n) => ({
      datetime: w3c(n.created_at, zone),
      description: (r.own ? n.body : publicEventBody(n.body, n.actor_role)) ?? '',
      type: n.type,
    }));
  }
  return item;
}

/** A `request_update` item (GET servicerequestupdates). */
export function presentUpdate(u: Open311UpdateRow) {
  const status = (u.to_status ?? u.report_status) as ReportStatus;
  const zone = zoneOf(u);
  return {
    update_id: String(u.event_id),
    service_request_id: u.tracking_id,
    status: extendedStatus(status, (u.data?.reason as string | undefined) ?? null),
    updated_datetime: w3c(u.created_at, zone),
    description: (u.own ? u.body : publicEventBody(u.body, u.actor_role)) ?? '',
    media_url: '',
    external_status_code: status,
    ...(u.update_id ? { customer_reference: u.update_id } : {}),
  };
}
