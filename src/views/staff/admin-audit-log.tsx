/**
 * The administration log (`/kantor/admin/log`): who changed what in the administration, newest first, each entry
 * in words in the page language (who, what, on what) with its time in the viewer's zone; filtered by action group
 * and agency, 50 a page. Read-only.
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Button } from '../components/button.tsx';
import { Select } from '../components/fields.tsx';
import { Pagination } from '../components/pagination.tsx';
import { formatDate, formatDateTime } from '../format.ts';
import { formatIsoInZone } from '../../domain/deadline/calendar.ts';
import type { ZoneName } from '../../domain/report/report.ts';
import { ADMIN_ACTION_GROUPS } from '../../domain/admin/audit-actions.ts';
import { has } from '../../locales/index.ts';
import { filterNameOf, queueFilterSummary } from '../../presenters/queue-export.ts';
import type { AuditLogFilter, AuditLogPage, AuditLogRow, AuditNames } from '../../queries/admin-audit-log.ts';
import { AdminLayout, adminBack, AdminTable } from './admin-common.tsx';

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Who did it: the person's name, else the operator's CLI or the system. */
function actorText(ctx: PageContext, r: AuditLogRow): string {
  if (r.actorUserId) return r.actorName ?? ctx.t('audit.actor_deleted');
  return r.actorLabel === 'cli' ? ctx.t('audit.actor_cli') : ctx.t('audit.actor_system');
}

/** An id or code that no longer resolves to a name: the id itself, with a note saying so. */
function unresolved(ctx: PageContext, id: string): string {
  return ctx.t('audit.unresolved', { id });
}

/** The current name of an agency, category or region an entry mentions, or its id with a note. */
function nameOf(ctx: PageContext, names: AuditNames, kind: keyof AuditNames, id: string): string {
  return names[kind][id] ?? unresolved(ctx, id);
}

/** A region and zone pair of `agency.region` as text ("Kota Balikpapan (WITA)", or "no region (WIB)"). */
function regionText(ctx: PageContext, names: AuditNames, v: unknown): string {
  const o = (v ?? {}) as { regionCode?: string | null; zone?: string };
  const region = o.regionCode ? nameOf(ctx, names, 'regions', o.regionCode) : ctx.t('audit.no_region');
  return `${region} (${o.zone ?? 'WIB'})`;
}

/**
 * The entry in words: the locale sentence of its action, with the names it mentions (agencies, categories and regions
 * by their current name from `names`; one that no longer resolves as its id with a note).
 */
export function entryText(ctx: PageContext, r: AuditLogRow, names: AuditNames): string {
  const d = r.details;
  const agency =
    r.agencyName ??
    (r.agencyId ? (names.agencies[r.agencyId] ?? str(d.agencyName) ?? unresolved(ctx, r.agencyId)) : null) ??
    ctx.t('audit.national');
  const resolvable = r.targetType === 'agency' || r.targetType === 'category';
  const target = r.targetName ?? str(d.name) ?? (resolvable ? unresolved(ctx, r.targetId) : r.targetId);
  const region = (code: unknown) => (str(code) ? nameOf(ctx, names, 'regions', String(code)) : null);
  const role = str(d.role);
  const from = d.from as Record<string, unknown> | string | boolean | null | undefined;
  const to = d.to as Record<string, unknown> | string | boolean | null | undefined;
  const params: Record<string, string | number> = {
    target,
    agency,
    role: role ? ctx.t(`admin.role.${role}`) : '',
    name: str(d.name) ?? target,
  };
  let key = r.action.replace('.', '_');
  switch (r.action) {
    case 'agency.rename':
      params.from = str((from as Record<string, unknown>)?.name) ?? '';
      params.to = str((to as Record<string, unknown>)?.name) ?? '';
      break;
    case 'agency.create':
      if (str(d.parentId) || str(d.regionCode)) {
        key += '_placed';
        params.parent = str(d.parentId)
          ? nameOf(ctx, names, 'agencies', String(d.parentId))
          : ctx.t('audit.no_parent');
        params.region = region(d.regionCode) ?? ctx.t('audit.no_region');
      }
      break;
    case 'agency.region':
      params.from = regionText(ctx, names, from);
      params.to = regionText(ctx, names, to);
      break;
    case 'agency.status':
    case 'agency.coordinator':
    case 'category.status':
      key += to === true ? '_on' : '_off';
      break;
    case 'agency.update':
      params.fields = Object.keys((to as Record<string, unknown>) ?? {}).join(', ');
      break;
    case 'category.add':
      if (d.parentId !== null && d.parentId !== undefined) {
        key += '_sub';
        params.parent = nameOf(ctx, names, 'categories', String(d.parentId));
      }
      break;
    case 'category.rename':
      params.from = str(from) ?? '';
      params.to = str(to) ?? '';
      break;
    case 'sla.add':
      params.rule = str(d.ruleId) ?? r.targetId;
      params.version = Number(d.version ?? 0);
      params.days = Number(d.workingDays ?? 0);
      params.date = str(d.validFrom) ? formatDate(`${String(d.validFrom)}T12:00:00+07:00`, ctx.lang) : '';
      if (str(d.regionCode)) {
        key += '_regional';
        params.region = region(d.regionCode)!;
      }
      break;
    case 'holiday.add':
    case 'holiday.remove':
      params.date = str(d.date) ? formatDate(`${String(d.date)}T12:00:00+07:00`, ctx.lang) : r.targetId;
      params.name = str(d.name) ?? '';
      if (str(d.regionCode)) {
        key += '_regional';
        params.region = region(d.regionCode)!;
      }
      break;
    case 'holiday.load':
      params.year = Number(d.year ?? 0);
      params.n = Number(d.added ?? 0);
      params.tentative = Number(d.tentative ?? 0);
      break;
    case 'holiday.confirm':
      params.year = Number(d.year ?? 0);
      params.n = Number(d.confirmed ?? 0);
      break;
    case 'auto_dispatch.set': {
      const rule = (to ?? {}) as { enabled?: boolean; threshold?: number };
      key += rule.enabled ? '_on' : '_off';
      params.threshold = Math.round(Number(rule.threshold ?? 0) * 100);
      if (!r.agencyId) params.agency = ctx.t('audit.instance');
      break;
    }
    case 'webhook.add':
    case 'webhook.pause':
    case 'webhook.resume':
      params.host = str(d.host) ?? '';
      break;
    case 'sms_keyword.set':
    case 'sms_keyword.clear':
      params.from = str(from) ?? '';
      params.to = str(to) ?? '';
      if (r.action === 'sms_keyword.set' && str(from)) key += '_changed';
      break;
    case 'open311.service_type':
      params.from = str(from) ?? '';
      params.to = str(to) ?? '';
      break;
    case 'evaluation.period':
      key += d.created === true ? '_new' : '_change';
      params.period = str(d.name) ?? r.targetId;
      params.participants = Array.isArray(d.participants) ? d.participants.length : 0;
      params.version = Number(d.weightsVersion ?? 1);
      break;
    case 'evaluation.publish':
    case 'evaluation.score':
      params.period = r.targetId;
      params.indicator = str(d.indicator) ?? '';
      params.score = Number(d.score ?? 0);
      break;
    case 'federation.instance':
      params.to = str(to) ?? '';
      break;
    case 'federation.peer_add':
    case 'federation.peer_remove':
      params.peer = r.targetId;
      params.host = str(d.host) ?? '';
      if (d.replaced === true) key += '_replaced';
      break;
    case 'keys.reseal':
      params.count = Number(d.resealed ?? 0);
      params.key = str(d.keyId) ?? r.targetId;
      break;
    case 'export.queue':
      params.format = (str(d.format) ?? r.targetId).toUpperCase();
      params.rows = Number(d.rows ?? 0);
      params.total = Number(d.total ?? 0);
      params.filters = queueFilterSummary(
        ctx.lang,
        (d.filters ?? {}) as Record<string, unknown>,
        d.textSearch === true,
        filterNameOf(names, (id) => unresolved(ctx, id)),
      );
      if (Array.isArray(d.grantAgencies) && d.grantAgencies.length > 1) {
        const spans = d.grantAgencies.map((a) => nameOf(ctx, names, 'agencies', String(a))).join(', ');
        params.filters += `; ${ctx.t('audit.export_grants', { agencies: spans })}`;
      }
      if (d.truncated === true) key += '_cut';
      break;
    case 'export.stats': {
      key += d.table === 'routing_accuracy' ? '_routing' : '';
      params.format = (str(d.format) ?? 'csv').toUpperCase();
      params.rows = Number(d.rows ?? 0);
      params.months = Number(d.months ?? 0);
      params.group = str(d.groupBy) ? ctx.t(`stats.dim.${String(d.groupBy)}`).toLowerCase() : '';
      params.from = str(d.from) ? formatDate(`${String(d.from)}T12:00:00+07:00`, ctx.lang) : '';
      params.to = str(d.to) ? formatDate(`${String(d.to)}T12:00:00+07:00`, ctx.lang) : '';
      params.scope =
        d.scope === 'region' && str(d.regionCode)
          ? region(d.regionCode)!
          : d.scope === 'agency' && str(d.agencyId)
            ? nameOf(ctx, names, 'agencies', String(d.agencyId))
            : ctx.t('audit.national');
      break;
    }
    default:
      break;
  }
  const full = `audit.action.${key}`;
  return has(ctx.lang, full) ? ctx.t(full, params) : r.action;
}

/** The log page. */
export function AdminAuditLogPage(p: {
  ctx: PageContext;
  log: AuditLogPage;
  filter: AuditLogFilter;
  zone: ZoneName;
}): VNode {
  const { ctx, log, filter } = p;
  const from = log.total === 0 ? 0 : (log.page - 1) * log.pageSize + 1;
  const to = Math.min(log.total, log.page * log.pageSize);
  const range = { from, to, total: log.total };
  const columns = [ctx.t('audit.col.when'), ctx.t('audit.col.who'), ctx.t('audit.col.what')];
  const filtering = filter.group !== '' || filter.agencyId !== '';
  return (
    <AdminLayout ctx={ctx} title={ctx.t('audit.title')} back={adminBack(ctx)} h1>
      <p class="lead">{ctx.t('audit.lead')}</p>
      <form
        method="get"
        action="/kantor/admin/log"
        class="sort-form"
        role="search"
        aria-label={ctx.t('audit.filter_form')}
      >
        <input type="hidden" name="lang" value={ctx.lang} />
        <Select
          ctx={ctx}
          name="kelompok"
          label={ctx.t('audit.filter_group')}
          value={filter.group}
          options={[
            { value: '', label: ctx.t('audit.group_all') },
            ...ADMIN_ACTION_GROUPS.map((g) => ({ value: g, label: ctx.t(`audit.group.${g}`) })),
          ]}
        />
        <Select
          ctx={ctx}
          name="instansi"
          label={ctx.t('audit.filter_agency')}
          value={filter.agencyId}
          options={[
            { value: '', label: ctx.t('audit.agency_all') },
            ...log.agencies.map((a) => ({ value: a.id, label: a.name })),
          ]}
        />
        <Button variant="secondary">{ctx.t('audit.filter_submit')}</Button>
      </form>
      {filtering ? (
        <p>
          <a href={`/kantor/admin/log?lang=${ctx.lang}`}>{ctx.t('audit.clear')}</a>
        </p>
      ) : null}
      {log.total === 0 ? (
        <p data-empty>
          <strong>{ctx.t(filtering ? 'audit.empty_filtered' : 'audit.empty')}</strong>
        </p>
      ) : (
        <>
          <p data-showing>{ctx.t('audit.showing', range)}</p>
          <AdminTable caption={ctx.t('audit.caption', range)} columns={columns} stack>
            {log.items.map((r) => (
              <tr key={r.id} data-entry={r.id} data-action={r.action}>
                <td data-label={columns[0]}>
                  <time dateTime={r.at.toISOString()}>
                    {formatDateTime(formatIsoInZone(r.at, p.zone), ctx.lang)}
                  </time>
                </td>
                <td data-label={columns[1]}>{actorText(ctx, r)}</td>
                <td data-label={columns[2]}>{entryText(ctx, r, log.names)}</td>
              </tr>
            ))}
          </AdminTable>
          <Pagination
            ctx={ctx}
            page={log.page}
            pageSize={log.pageSize}
            total={log.total}
            base="/kantor/admin/log"
            params={{ kelompok: filter.group || undefined, instansi: filter.agencyId || undefined }}
          />
        </>
      )}
    </AdminLayout>
  );
}
