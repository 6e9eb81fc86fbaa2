/**
 * Auto-dispatch administration (`/kantor/admin/rute-otomatis`, issue 7): the instance rule (national admin),
 * the per-agency rules the caller may manage, the recent auto-dispatches with a link to reverse one, and the
 * confirmation page that pulls a report back to the verifier queue.
 *
 * Accessibility notes: the two rule forms use distinct field names (unique ids); thresholds are typed as whole
 * percentages with the range in the hint; every reverse link names its report; the reversal is a separate
 * confirmation page with a required reason, so nothing happens on a single click and no script is needed.
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Radios, Select, Textarea, TextInput, type Option } from '../components/fields.tsx';
import { Button } from '../components/button.tsx';
import { StatusTag } from '../components/status-tag.tsx';
import type { AutoDispatchRow } from '../../queries/auto-dispatches.ts';
import type { ThresholdEffect } from '../../queries/auto-dispatch-history.ts';
import { dateLabel, errs, val } from './common.tsx';
import { ROUTING_ACCURACY_PATH } from './stats-dashboard.tsx';
import {
  AdminLayout,
  adminBack,
  AdminTable,
  FormSection,
  PostForm,
  type AdminPageProps,
} from './admin-common.tsx';

/** One rule as the page shows it. */
export interface RuleView {
  enabled: boolean;
  threshold: number;
}

const PATH = '/kantor/admin/rute-otomatis';
const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);

/** What the rule's threshold would have sent over the last 12 months, in a sentence or in short. */
function historyText(ctx: PageContext, e: ThresholdEffect, threshold: number, short = false): string {
  if (e.decided === 0)
    return ctx.t(short ? 'admin.auto_dispatch.history_short_none' : 'admin.auto_dispatch.history_none');
  return ctx.t(short ? 'admin.auto_dispatch.history_short' : 'admin.auto_dispatch.history', {
    threshold: pct(threshold),
    sent: e.sent,
    decided: e.decided,
    share: pct(e.share),
    accuracy: pct(e.accuracy),
  });
}

function ruleText(ctx: PageContext, rule: RuleView | null | undefined): string {
  return rule?.enabled
    ? ctx.t('admin.auto_dispatch.rule_on', { threshold: pct(rule.threshold) })
    : ctx.t('admin.auto_dispatch.rule_off');
}

/** The on/off radios and the threshold input of one rule form (`prefix` keeps the ids unique). */
function RuleFields(p: {
  ctx: PageContext;
  form: AdminPageProps['form'];
  action: string;
  prefix: 'instance' | 'agency';
  current?: RuleView | null | undefined;
}): VNode {
  const { ctx, form, action, prefix } = p;
  const e = errs(form, action);
  const enabledName = `${prefix}Enabled`;
  const thresholdName = `${prefix}Threshold`;
  // An instance without a rule yet is off, and its radios say so. The agency form has no current rule until an agency
  // is chosen in it, so nothing is preselected there: an "off" saved by mistake would opt that agency out of an
  // instance-wide rule.
  const currentEnabled = p.current
    ? p.current.enabled
      ? 'on'
      : 'off'
    : prefix === 'instance'
      ? 'off'
      : undefined;
  return (
    <>
      <Radios
        ctx={ctx}
        name={enabledName}
        legend={ctx.t('admin.auto_dispatch.enabled')}
        inline
        value={val(form, action, enabledName) ?? currentEnabled}
        options={[
          { value: 'on', label: ctx.t('admin.auto_dispatch.on') },
          { value: 'off', label: ctx.t('admin.auto_dispatch.off') },
        ]}
        error={e[enabledName]}
      />
      <TextInput
        ctx={ctx}
        name={thresholdName}
        label={ctx.t('admin.auto_dispatch.threshold')}
        hint={ctx.t('admin.auto_dispatch.threshold_hint')}
        inputmode="numeric"
        width="short"
        value={
          val(form, action, thresholdName) ??
          (p.current ? String(Math.round(p.current.threshold * 100)) : undefined)
        }
        error={e[thresholdName]}
      />
    </>
  );
}

/** The settings and the recent auto-dispatches. */
export function AutoDispatchPage(
  p: AdminPageProps & {
    instance: RuleView | null;
    canEditInstance: boolean;
    agencyRules: Array<RuleView & { id: string; name: string }>;
    agencyOptions: Option[];
    rows: AutoDispatchRow[];
    days: number;
    /** Link to the routing accuracy page (callers who may see it). */
    canSeeAccuracy: boolean;
    /** What the instance rule's threshold (or the default) would have sent, and each agency rule's. */
    instanceHistory: { threshold: number; effect: ThresholdEffect } | null;
    agencyHistory: Map<string, ThresholdEffect>;
  },
): VNode {
  const { ctx, form } = p;
  return (
    <AdminLayout
      ctx={ctx}
      title={ctx.t('admin.auto_dispatch.title')}
      form={form}
      notice={p.notice}
      back={adminBack(ctx)}
      h1
    >
      <p class="lead">{ctx.t('admin.auto_dispatch.intro')}</p>
      {p.canSeeAccuracy ? (
        <p>
          <a href={ROUTING_ACCURACY_PATH}>{ctx.t('stats.routing.link')}</a>
        </p>
      ) : null}
      {p.canEditInstance ? (
        <FormSection
          ctx={ctx}
          id="h-instance"
          heading={ctx.t('admin.auto_dispatch.instance')}
          hint={`${ctx.t('admin.auto_dispatch.now', { rule: ruleText(ctx, p.instance) })} ${ctx.t('admin.auto_dispatch.instance_hint')}`}
          action={`${PATH}/instans`}
          submit={ctx.t('admin.save')}
        >
          {p.instanceHistory ? (
            <p data-history="instance">
              {historyText(ctx, p.instanceHistory.effect, p.instanceHistory.threshold)}
            </p>
          ) : null}
          <RuleFields ctx={ctx} form={form} action="instance" prefix="instance" current={p.instance} />
        </FormSection>
      ) : (
        <section class="admin-section" aria-labelledby="h-instance">
          <h2 id="h-instance">{ctx.t('admin.auto_dispatch.instance')}</h2>
          <p>{ctx.t('admin.auto_dispatch.now', { rule: ruleText(ctx, p.instance) })}</p>
          <p class="hint">{ctx.t('admin.auto_dispatch.instance_national_only')}</p>
        </section>
      )}

      <section class="admin-section" aria-labelledby="h-agency-rules">
        <h2 id="h-agency-rules">{ctx.t('admin.auto_dispatch.agency_rules')}</h2>
        <p class="hint">{ctx.t('admin.auto_dispatch.agency_rules_hint')}</p>
        {p.agencyRules.length ? (
          <AdminTable
            caption={ctx.t('admin.auto_dispatch.agency_rules')}
            columns={['col_agency', 'col_rule', 'col_history'].map((k) => ctx.t(`admin.auto_dispatch.${k}`))}
          >
            {p.agencyRules.map((r) => (
              <tr key={r.id}>
                <td>{r.name}</td>
                <td>{ruleText(ctx, r)}</td>
                <td data-history={r.id}>
                  {historyText(
                    ctx,
                    p.agencyHistory.get(r.id) ?? {
                      decided: 0,
                      sent: 0,
                      followed: 0,
                      share: null,
                      accuracy: null,
                    },
                    r.threshold,
                    true,
                  )}
                </td>
              </tr>
            ))}
          </AdminTable>
        ) : (
          <p>{ctx.t('admin.auto_dispatch.no_agency_rules')}</p>
        )}
      </section>
      {p.agencyOptions.length ? (
        <FormSection
          ctx={ctx}
          id="h-agency-set"
          heading={ctx.t('admin.auto_dispatch.agency_set')}
          action={`${PATH}/instansi`}
          submit={ctx.t('admin.save')}
        >
          <Select
            ctx={ctx}
            name="agencyId"
            label={ctx.t('admin.auto_dispatch.col_agency')}
            placeholder={ctx.t('admin.choose')}
            value={val(form, 'agency', 'agencyId')}
            options={p.agencyOptions}
            error={errs(form, 'agency').agencyId}
          />
          <RuleFields ctx={ctx} form={form} action="agency" prefix="agency" />
        </FormSection>
      ) : null}

      <section class="admin-section" aria-labelledby="h-recent">
        <h2 id="h-recent">{ctx.t('admin.auto_dispatch.recent', { days: p.days })}</h2>
        <p class="hint">{ctx.t('admin.auto_dispatch.recent_hint')}</p>
        {p.rows.length ? (
          <AdminTable
            caption={ctx.t('admin.auto_dispatch.recent', { days: p.days })}
            columns={[
              'col_date',
              'col_report',
              'col_agency',
              'col_confidence',
              'col_status',
              'col_action',
            ].map((k) => ctx.t(`admin.auto_dispatch.${k}`))}
          >
            {p.rows.map((r) => (
              <tr key={r.trackingId} data-auto-dispatch={r.trackingId}>
                <td>{dateLabel(ctx, r.dispatchedAt)}</td>
                <td>
                  <a href={`/kantor/laporan/${r.trackingId}`}>{r.trackingId}</a> {r.title}
                </td>
                <td>{r.agencyName}</td>
                <td>
                  {ctx.t('admin.auto_dispatch.confidence', {
                    confidence: pct(r.confidence),
                    threshold: pct(r.threshold),
                  })}
                </td>
                <td>
                  <StatusTag ctx={ctx} status={r.status} />
                  {r.reversed ? <span class="muted"> {ctx.t('admin.auto_dispatch.reversed')}</span> : null}
                </td>
                <td>
                  {r.canReverse ? (
                    <a href={`${PATH}/${r.trackingId}/tarik`}>
                      {ctx.t('admin.auto_dispatch.reverse')}
                      <span class="visually-hidden"> {r.trackingId}</span>
                    </a>
                  ) : (
                    '–'
                  )}
                </td>
              </tr>
            ))}
          </AdminTable>
        ) : (
          <p>{ctx.t('admin.auto_dispatch.none', { days: p.days })}</p>
        )}
      </section>
    </AdminLayout>
  );
}

/** Confirmation: pull one auto-dispatched report back to the verifier queue, with a reason. */
export function ReverseAutoDispatchPage(p: AdminPageProps & { row: AutoDispatchRow }): VNode {
  const { ctx, form, row } = p;
  const title = ctx.t('admin.auto_dispatch.reverse_title', { id: row.trackingId });
  return (
    <AdminLayout
      ctx={ctx}
      title={title}
      form={form}
      back={{ href: PATH, label: ctx.t('admin.auto_dispatch.back') }}
      h1
    >
      <dl class="summary-list">
        <dt>{ctx.t('admin.auto_dispatch.col_report')}</dt>
        <dd>
          <a href={`/kantor/laporan/${row.trackingId}`}>{row.trackingId}</a> {row.title}
        </dd>
        <dt>{ctx.t('admin.auto_dispatch.col_agency')}</dt>
        <dd>{row.agencyName}</dd>
        <dt>{ctx.t('admin.auto_dispatch.col_confidence')}</dt>
        <dd>
          {ctx.t('admin.auto_dispatch.confidence', {
            confidence: pct(row.confidence),
            threshold: pct(row.threshold),
          })}
        </dd>
      </dl>
      <p>{ctx.t('admin.auto_dispatch.reverse_explain')}</p>
      <PostForm ctx={ctx} action={`${PATH}/${row.trackingId}/tarik`}>
        <Textarea
          ctx={ctx}
          name="note"
          rows={3}
          label={ctx.t('admin.auto_dispatch.note')}
          hint={ctx.t('admin.auto_dispatch.note_hint')}
          value={val(form, 'reverse', 'note')}
          error={errs(form, 'reverse').note}
        />
        <Button variant="warning">{ctx.t('admin.auto_dispatch.reverse_submit')}</Button>
      </PostForm>
    </AdminLayout>
  );
}
