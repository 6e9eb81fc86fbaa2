/**
 * Walk-in intake (lapor langsung): an officer records a complaint made in person, by phone or by letter,
 * and then hands the citizen the tracking number and private link (shown once, after a redirect).
 *
 * Accessibility notes: one form, grouped in fieldsets with legends; error summary first when invalid; the
 * confirmation panel has the tracking number as large text and the link as a real link.
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Layout } from '../layout.tsx';
import { Button, ButtonLink } from '../components/button.tsx';
import { ErrorSummary } from '../components/error-summary.tsx';
import { Checkboxes, Radios, TextInput, Textarea } from '../components/fields.tsx';
import { TreeSelect, type TreeGroup } from '../components/tree-select.tsx';
import { CLASSIFICATIONS } from '../../domain/report/report.ts';
import { dateLabel, staffNav, STAFF_STYLES } from './common.tsx';
import { treeGroups, type Reference } from './report-actions.tsx';

/** Props of the walk-in form. */
export interface WalkInPageProps {
  ctx: PageContext;
  regions: TreeGroup[];
  categories: Reference['categories'];
  values: Record<string, string | string[]>;
  errors: Record<string, string>;
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** The form. */
export function WalkInPage({ ctx, regions, categories, values, errors }: WalkInPageProps): VNode {
  const flags = ([] as string[]).concat(values.flags ?? []);
  const tops = categories.filter((c) => c.parentId === null);
  const ordered = tops.flatMap((top) => [top, ...categories.filter((c) => c.parentId === top.id)]);
  return (
    <Layout
      ctx={ctx}
      title={ctx.t('staff.walk_in.title')}
      nav={staffNav(ctx, 'walk_in')}
      stylesheets={STAFF_STYLES}
      hasErrors={Object.keys(errors).length > 0}
    >
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{ctx.t('staff.walk_in.title')}</h1>
      <p class="lead">{ctx.t('staff.walk_in.lead')}</p>
      <form method="post" action={`/kantor/lapor-langsung?lang=${ctx.lang}`} novalidate>
        <input type="hidden" name="_csrf" value={ctx.csrf} />
        <h2>{ctx.t('staff.walk_in.what')}</h2>
        <Radios
          ctx={ctx}
          name="classification"
          legend={ctx.t('staff.walk_in.classification')}
          value={one(values.classification) ?? 'pengaduan'}
          error={errors.classification}
          options={CLASSIFICATIONS.map((c) => ({
            value: c,
            label: ctx.t(`staff.report.classification_name.${c}`),
          }))}
        />
        <TextInput
          ctx={ctx}
          name="title"
          label={ctx.t('staff.walk_in.title_label')}
          value={one(values.title)}
          error={errors.title}
        />
        <Textarea
          ctx={ctx}
          name="body"
          label={ctx.t('staff.walk_in.body')}
          hint={ctx.t('staff.walk_in.body_hint')}
          value={one(values.body)}
          error={errors.body}
        />
        <TextInput
          ctx={ctx}
          name="occurredOn"
          label={ctx.t('staff.walk_in.occurred_on')}
          hint={ctx.t('staff.walk_in.occurred_on_hint')}
          width="short"
          value={one(values.occurredOn)}
          error={errors.occurredOn}
        />
        <TreeSelect
          ctx={ctx}
          name="regionCode"
          label={ctx.t('staff.walk_in.region')}
          placeholder={ctx.t('staff.walk_in.region_placeholder')}
          value={one(values.regionCode)}
          error={errors.regionCode}
          groups={regions}
        />
        <TextInput
          ctx={ctx}
          name="address"
          label={ctx.t('staff.walk_in.address')}
          value={one(values.address)}
          error={errors.address}
        />
        <TreeSelect
          ctx={ctx}
          name="categoryId"
          label={ctx.t('staff.walk_in.category')}
          placeholder={ctx.t('staff.verify.category_placeholder')}
          value={one(values.categoryId)}
          error={errors.categoryId}
          groups={treeGroups(ordered)}
        />
        <Checkboxes
          ctx={ctx}
          name="flags"
          legend={ctx.t('staff.walk_in.privacy')}
          values={flags}
          options={[
            { value: 'anonymous', label: ctx.t('staff.walk_in.anonymous') },
            { value: 'confidential', label: ctx.t('staff.walk_in.confidential') },
          ]}
        />
        <h2>{ctx.t('staff.walk_in.reporter')}</h2>
        <p class="hint">{ctx.t('staff.walk_in.reporter_hint')}</p>
        <TextInput
          ctx={ctx}
          name="reporter.name"
          label={ctx.t('staff.walk_in.name')}
          autocomplete="off"
          value={one(values['reporter.name'])}
          error={errors['reporter.name']}
        />
        <TextInput
          ctx={ctx}
          name="reporter.email"
          type="email"
          label={ctx.t('staff.walk_in.email')}
          autocomplete="off"
          value={one(values['reporter.email'])}
          error={errors['reporter.email']}
        />
        <TextInput
          ctx={ctx}
          name="reporter.phone"
          type="tel"
          label={ctx.t('staff.walk_in.phone')}
          autocomplete="off"
          value={one(values['reporter.phone'])}
          error={errors['reporter.phone']}
        />
        <TextInput
          ctx={ctx}
          name="reporter.nik"
          inputmode="numeric"
          width="short"
          label={ctx.t('staff.walk_in.nik')}
          autocomplete="off"
          value={one(values['reporter.nik'])}
          error={errors['reporter.nik']}
        />
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
}: {
  ctx: PageContext;
  trackingId: string;
  link: string;
  dueAt: string | null;
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
