/**
 * Open311 shapes of our data, as plain objects in the JSON (Spark) form; src/http/open311/format.ts turns
 * them into XML. Privacy lives here: a request item is built from an explicit list of public columns and
 * never carries any reporter field (name, email, phone, device, account), anonymous or not.
 */
import { ATTRIBUTES } from '../domain/open311/service-definition.ts';
import { baseStatus, extendedStatus } from '../domain/open311/statuses.ts';
import type { ReportStatus, ZoneName } from '../domain/report/report.ts';
import { zoneForRegion } from '../domain/deadline/calendar.ts';
import type { Open311Row, Open311Service, Open311UpdateRow } from '../queries/open311.ts';

const OFFSET: Record<ZoneName, number> = { WIB: 7, WITA: 8, WIT: 9 };

/** W3C datetime without fractional seconds, in the report's zone (§1, §13 item 8); '' for no value (D2). */
export function w3c(d: Date | null | undefined, zone: ZoneName = 'WIB'): string {
  if (!d) return '';
  const h = OFFSET[zone];
  const local = new Date(Math.floor(d.getTime() / 1000) * 1000 + h * 3_600_000).toISOString().slice(0, 19);
  return `${local}+0${h}:00`;
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

function zoneOf(r: { zone: string | null; region_code?: string | null }): ZoneName {
  if (r.zone === 'WIB' || r.zone === 'WITA' || r.zone === 'WIT') return r.zone;
  return r.region_code ? zoneForRegion(r.region_code) : 'WIB';
}

/** Extra data for `extensions=true`. */
export interface RequestExtras {
  notes?: Array<{ type: string; body: string | null; created_at: Date }>;
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
    description: r.body,
    agency_responsible: r.agency_name ?? '',
    service_notice: '',
    requested_datetime: w3c(r.created_at, zone),
    updated_datetime: w3c(updated < r.created_at ? r.created_at : updated, zone),
    expected_datetime: closed ? '' : w3c(r.due_at, zone),
    address: r.address ?? '',
    address_id: r.region_code ?? '',
    zipcode: '',
    lat: r.lat === null ? '' : String(r.lat),
    long: r.lon === null ? '' : String(r.lon),
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
      support_count: String(r.support_count),
      ...(r.own && r.own_attributes ? { attributes: r.own_attributes } : {}),
    };
    item.notes = (extras.notes ?? []).map((n) => ({
      datetime: w3c(n.created_at, zone),
      description: n.body ?? '',
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
    description: u.body ?? '',
    media_url: '',
    external_status_code: status,
    ...(u.update_id ? { customer_reference: u.update_id } : {}),
  };
}
