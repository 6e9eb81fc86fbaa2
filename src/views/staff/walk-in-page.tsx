/**
 * Walk-in intake (lapor langsung): an officer records a complaint made in person, by phone or by letter,
 * and then hands the citizen the tracking number and private link (shown once, after a redirect).
 *
 * The two privacy questions (identity: named or anonymous; visibility: public or confidential) are radio groups with
 * nothing preselected: the officer reads each question and its hints to the citizen and records the answer.
 *
 * Accessibility notes: one form, grouped in fieldsets with legends; error summary first when invalid; the
 * confirmation panel has the tracking number as large text and the link as a real link.
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Layout } from '../layout.tsx';
import { Button, ButtonLink } from '../components/button.tsx';
import { ErrorSummary } from '../components/error-summary.tsx';
import { Radios, TextInput, Textarea } from '../components/fields.tsx';
import { TreeSelect, type TreeGroup } from '../components/tree-select.tsx';
import { STAFF_INTAKE_CHANNELS, STAFF_INTAKE_PRIVACY } from '../../domain/report/report.ts';
import { dateLabel, staffNav, STAFF_STYLES } from './common.tsx';
import { categoryTree, ClassificationRadios, treeGroups, type Reference } from './report-actions.tsx';

/** Props of the walk-in form. */
export interface WalkInPageProps {
  ctx: PageContext;
  regions: TreeGroup[];
  categories: Reference['categories'];
  values: Record<string, string | string[]>;
  errors: Record<string, string>;
  /** A form-level message above the form (a stale form token: what was typed is kept, send it again). */
  message?: string | undefined;
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** The citizen's identity fields (all optional except the name of a non-anonymous report). */
const REPORTER_FIELDS = [
  { name: 'reporter.name', key: 'name' },
  { name: 'reporter.email', key: 'email', type: 'email' },
  { name: 'reporter.phone', key: 'phone', type: 'tel' },
  { name: 'reporter.nik', key: 'nik', inputmode: 'numeric', width: 'short' },
] as const;

/** The form. */
export function WalkInPage({ ctx, regions, categories, values, errors, message }: WalkInPageProps): VNode {
  /** A field bound to the re-rendered input: name, typed value and inline error. */
  const bind = (name: string) => ({ ctx, name, value: one(values[name]), error: errors[name] });
  return (
    <Layout
      ctx={ctx}
      title={ctx.t('staff.walk_in.title')}
      nav={staffNav(ctx, 'walk_in')}
      stylesheets={STAFF_STYLES}
      hasErrors={Object.keys(errors).length > 0 || !!message}
    >
      <ErrorSummary ctx={ctx} errors={errors} message={message} />
      <h1>{ctx.t('staff.walk_in.title')}</h1>
      <p class="lead">{ctx.t('staff.walk_in.lead')}</p>
      <form method="post" action={`/kantor/lapor-langsung?lang=${ctx.lang}`} novalidate>
        <input type="hidden" name="_csrf" value={ctx.csrf} />
        <Radios
          {...bind('channel')}
          legend={ctx.t('staff.walk_in.channel')}
          hint={ctx.t('staff.walk_in.channel_hint')}
          value={one(values.channel) ?? 'walk_in'}
          options={STAFF_INTAKE_CHANNELS.map((c) => ({
            value: c,
            label: ctx.t(`staff.report.channel_name.${c}`),
          }))}
        />
        <h2>{ctx.t('staff.walk_in.what')}</h2>
        <ClassificationRadios
          ctx={ctx}
          legend={ctx.t('staff.walk_in.classification')}
          value={one(values.classification) ?? 'pengaduan'}
          error={errors.classification}
        />
        <TextInput {...bind('title')} label={ctx.t('staff.walk_in.title_label')} />
        <Textarea
          {...bind('body')}
          label={ctx.t('staff.walk_in.body')}
          hint={ctx.t('staff.walk_in.body_hint')}
        />
        <TextInput
          {...bind('occurredOn')}
          label={ctx.t('staff.walk_in.occurred_on')}
          hint={ctx.t('staff.walk_in.occurred_on_hint')}
          width="short"
        />
        <TreeSelect
          {...bind('regionCode')}
          label={ctx.t('staff.walk_in.region')}
          placeholder={ctx.t('staff.walk_in.region_placeholder')}
          groups={regions}
        />
        <TextInput {...bind('address')} label={ctx.t('staff.walk_in.address')} />
        <TreeSelect
          {...bind('categoryId')}
          label={ctx.t('staff.walk_in.category')}
          placeholder={ctx.t('staff.verify.category_placeholder')}
          groups={treeGroups(categoryTree(categories))}
        />
        <h2>{ctx.t('staff.walk_in.privacy')}</h2>
        <p class="hint">{ctx.t('staff.walk_in.privacy_hint')}</p>
        {Object.entries(STAFF_INTAKE_PRIVACY).map(([name, answers]) => (
          <Radios
            key={name}
            {...bind(name)}
            legend={ctx.t(`staff.walk_in.${name}.legend`)}
            options={answers.map((a) => ({
              value: a,
              label: ctx.t(`staff.walk_in.${name}.${a}`),
              hint: ctx.t(`staff.walk_in.${name}.${a}_hint`),
            }))}
          />
        ))}
        <h2>{ctx.t('staff.walk_in.reporter')}</h2>
        <p class="hint">{ctx.t('staff.walk_in.reporter_hint')}</p>
        {REPORTER_FIELDS.map((f) => (
          <TextInput
            key={f.name}
            {...bind(f.name)}
            type={'type' in f ? f.type : undefined}
            inputmode={'inputmode' in f ? f.inputmode : undefined}
            width={'width' in f ? f.width : undefined}
            label={ctx.t(`staff.walk_in.${f.key}`)}
            autocomplete="off"
          />
        ))}
        <Button>{ctx.t('staff.walk_in.submit')}</Button>
      </form>
    </Layout>
  );
}

/** The confirmation shown once after a walk-in report is saved. */
export function WalkInDonePage({
  ctx,
  trackingId,
  link,
  dueAt,
  sentBy = [],
}: {
  ctx: PageContext;
  trackingId: string;
  link: string;
  dueAt: string | null;
  /** How the citizen also receives the number and link (from the contact given). */
  sentBy?: Array<'email' | 'sms'>;
}): VNode {
  return (
    <Layout
      ctx={ctx}
      title={ctx.t('staff.walk_in.done_title')}
      nav={staffNav(ctx, 'walk_in')}
      stylesheets={STAFF_STYLES}
    >
      <div class="panel panel-confirm">
        <h1>{ctx.t('staff.walk_in.done_title')}</h1>
        <p>
          {ctx.t('staff.walk_in.done_tracking')}
          <strong class="big-number">{trackingId}</strong>
        </p>
      </div>
      <h2>{ctx.t('staff.walk_in.done_link')}</h2>
      <p>
        <a href={link} class="private-link">
          {link}
        </a>
      </p>
      <p class="hint">{ctx.t('staff.walk_in.done_link_hint')}</p>
      <p data-testid="walk-in-sent">
        {sentBy.length
          ? ctx.t('staff.walk_in.done_sent', {
              via: sentBy.map((s) => ctx.t(`staff.walk_in.sent_via.${s}`)).join(ctx.t('staff.walk_in.and')),
            })
          : ctx.t('staff.walk_in.done_not_sent')}
      </p>
      {dueAt ? <p>{ctx.t('staff.walk_in.done_due', { date: dateLabel(ctx, dueAt) })}</p> : null}
      <p>
        <ButtonLink href={`/kantor/laporan/${trackingId}`}>{ctx.t('staff.walk_in.done_open')}</ButtonLink>{' '}
        <ButtonLink href="/kantor/lapor-langsung" variant="secondary">
          {ctx.t('staff.walk_in.done_another')}
        </ButtonLink>
      </p>
    </Layout>
  );
}
