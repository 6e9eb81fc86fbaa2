/**
 * The evaluation period form (create and change): name, identifier, dates, minimum volume, weights per
 * indicator, predikat thresholds and participant groups (one participant per line: agency id, website URL,
 * social-media URL). A new period gets GROUP_SLOTS groups and THRESHOLD_SLOTS predikat rows; a period with
 * more shows every one of them, so saving never drops any. Works without JavaScript; errors are listed in
 * the summary and next to each field, with the typed values kept.
 */
import type { VNode } from 'preact';
import type { FormErrors, PageContext } from '../context.ts';
import { Layout } from '../layout.tsx';
import { Button } from '../components/button.tsx';
import { ErrorSummary } from '../components/error-summary.tsx';
import { Select, TextInput, Textarea } from '../components/fields.tsx';
import { StatsStyles } from '../pages/stats-page.tsx';
import { statsNav } from './stats-dashboard.tsx';
import { DATA_INDICATORS, RUBRIC_INDICATORS } from '../../domain/evaluation/scoring.ts';

/** Participant groups on a new period's form (empty ones are ignored). */
export const GROUP_SLOTS = 3;
/** Predikat rows on a new period's form (empty ones are ignored). */
export const THRESHOLD_SLOTS = 4;

/** The create / change form of an evaluation period. */
export function PeriodFormPage(p: {
  ctx: PageContext;
  mode: 'create' | 'edit';
  values: Record<string, string>;
  errors: FormErrors;
  /** Group fieldsets shown (default GROUP_SLOTS; more when the period has more groups). */
  groupSlots?: number;
  /** Predikat rows shown (default THRESHOLD_SLOTS; more when the period has more thresholds). */
  thresholdSlots?: number;
  /** A form-level message in the error summary (the form's token had expired: nothing was saved). */
  message?: string | undefined;
}): VNode {
  const { ctx, values: v, errors: e } = p;
  const title =
    p.mode === 'create'
      ? ctx.t('eval.form.title_create')
      : ctx.t('eval.form.title_edit', { name: v.name ?? '' });
  const action = p.mode === 'create' ? '/kantor/evaluasi/baru' : `/kantor/evaluasi/${v.id}/ubah`;
  return (
    <Layout
      ctx={ctx}
      title={title}
      nav={statsNav(ctx, 'evaluation')}
      hasErrors={Object.keys(e).length > 0 || !!p.message}
    >
      <StatsStyles ctx={ctx} />
      <ErrorSummary ctx={ctx} errors={e} message={p.message} />
      <h1>{title}</h1>
      <form method="post" action={action} novalidate>
        <input type="hidden" name="_csrf" value={ctx.csrf} />
        <fieldset class="fieldset">
          <legend class="legend">{ctx.t('eval.form.period')}</legend>
          {p.mode === 'create' ? (
            <TextInput
              ctx={ctx}
              name="id"
              label={ctx.t('eval.form.id')}
              hint={ctx.t('eval.form.id_hint')}
              value={v.id}
              error={e.id}
            />
          ) : (
            <p>
              {ctx.t('eval.form.id')}: <code>{v.id}</code>
            </p>
          )}
          <TextInput
            ctx={ctx}
            name="name"
            label={ctx.t('eval.form.name')}
            hint={ctx.t('eval.form.name_hint')}
            value={v.name}
            error={e.name}
          />
          <TextInput
            ctx={ctx}
            name="from"
            type="date"
            width="short"
            label={ctx.t('eval.form.from')}
            hint={ctx.t('eval.form.date_hint')}
            value={v.from}
            error={e.from}
          />
          <TextInput
            ctx={ctx}
            name="to"
            type="date"
            width="short"
            label={ctx.t('eval.form.to')}
            hint={ctx.t('eval.form.date_hint')}
            value={v.to}
            error={e.to}
          />
          <TextInput
            ctx={ctx}
            name="minVolume"
            inputmode="numeric"
            width="short"
            label={ctx.t('eval.form.min_volume')}
            hint={ctx.t('eval.form.min_volume_hint')}
            value={v.minVolume}
            error={e.minVolume}
          />
        </fieldset>
        <fieldset class="fieldset">
          <legend class="legend">{ctx.t('eval.form.weights')}</legend>
          <p class="hint">{ctx.t('eval.form.weights_hint')}</p>
          {[...DATA_INDICATORS, ...RUBRIC_INDICATORS].map((ind) => (
            <TextInput
              key={ind}
              ctx={ctx}
              name={`w_${ind}`}
              inputmode="decimal"
              width="short"
              label={ctx.t(`eval.indicator.${ind}`)}
              value={v[`w_${ind}`]}
              error={e[`w_${ind}`]}
            />
          ))}
        </fieldset>
        <fieldset class="fieldset">
          <legend class="legend">{ctx.t('eval.form.thresholds')}</legend>
          <p class="hint">{ctx.t('eval.form.thresholds_hint')}</p>
          {Array.from({ length: Math.max(THRESHOLD_SLOTS, p.thresholdSlots ?? 0) }, (_, k) => k + 1).map(
            (i) => (
              <div key={i}>
                <TextInput
                  ctx={ctx}
                  name={`t${i}_name`}
                  label={ctx.t('eval.form.predikat', { n: i })}
                  value={v[`t${i}_name`]}
                  error={e[`t${i}_name`]}
                />
                <TextInput
                  ctx={ctx}
                  name={`t${i}_min`}
                  inputmode="decimal"
                  width="short"
                  label={ctx.t('eval.form.predikat_min', { n: i })}
                  value={v[`t${i}_min`]}
                  error={e[`t${i}_min`]}
                />
              </div>
            ),
          )}
        </fieldset>
        {Array.from({ length: Math.max(GROUP_SLOTS, p.groupSlots ?? 0) }, (_, k) => k + 1).map((i) => (
          <fieldset class="fieldset" key={i}>
            <legend class="legend">{ctx.t('eval.form.group', { n: i })}</legend>
            <p class="hint">
              {i === 1 ? ctx.t('eval.form.group_hint_first') : ctx.t('eval.form.group_hint_more')}
            </p>
            <TextInput
              ctx={ctx}
              name={`g${i}_id`}
              label={ctx.t('eval.form.group_id')}
              hint={ctx.t('eval.form.id_hint')}
              value={v[`g${i}_id`]}
              error={e[`g${i}_id`]}
            />
            <TextInput
              ctx={ctx}
              name={`g${i}_name`}
              label={ctx.t('eval.form.group_name')}
              value={v[`g${i}_name`]}
              error={e[`g${i}_name`]}
            />
            <Select
              ctx={ctx}
              name={`g${i}_scope`}
              label={ctx.t('eval.form.scope')}
              hint={ctx.t('eval.form.scope_hint')}
              value={v[`g${i}_scope`] ?? 'agency'}
              error={e[`g${i}_scope`]}
              options={[
                { value: 'agency', label: ctx.t('eval.form.scope_agency') },
                { value: 'region', label: ctx.t('eval.form.scope_region') },
              ]}
            />
            <Select
              ctx={ctx}
              name={`g${i}_award`}
              label={ctx.t('eval.form.award')}
              value={v[`g${i}_award`] ?? 'complaint_handling'}
              error={e[`g${i}_award`]}
              options={(['complaint_handling', 'website', 'media_sosial'] as const).map((a) => ({
                value: a,
                label: ctx.t(`eval.award.${a}`),
              }))}
            />
            <Textarea
              ctx={ctx}
              name={`g${i}_participants`}
              label={ctx.t('eval.form.participants')}
              hint={ctx.t('eval.form.participants_hint')}
              value={v[`g${i}_participants`]}
              error={e[`g${i}_participants`]}
            />
          </fieldset>
        ))}
        <Button>{p.mode === 'create' ? ctx.t('eval.form.save_create') : ctx.t('eval.form.save_edit')}</Button>
      </form>
    </Layout>
  );
}
