/**
 * The question pages of the report journey (one topic per page, GOV.UK style). Every page is a plain form
 * that POSTs to itself; answers are kept server-side between steps, so nothing here needs JavaScript.
 */
import type { ComponentChildren, VNode } from 'preact';
import type { FormErrors, PageContext } from '../context.ts';
import { Layout } from '../layout.tsx';
import { Button } from '../components/button.tsx';
import { ErrorSummary } from '../components/error-summary.tsx';
import {
  Checkboxes,
  describedBy,
  FieldFrame,
  Radios,
  Select,
  TextInput,
  Textarea,
  type Option,
} from '../components/fields.tsx';
import type { DraftData, DraftFile } from '../../queries/draft.ts';
import type { PublicSimilarReport } from '../../queries/similar-reports.ts';
import { SimilarPublicNotice, SimilarPublicReports } from './similar-reports.tsx';

/** The choices a step page needs, loaded by the route. */
export interface StepOptions {
  regions?: { prov: Option[]; kab: Option[]; kec: Option[]; desa: Option[] };
  categories?: Option[];
  agencies?: Option[];
  files?: DraftFile[];
  limits?: { maxMb: number; maxFiles: number; types: string };
  /** Similar open public reports for the draft's text and region (category step). */
  similar?: PublicSimilarReport[];
}

/** Props of a step page. */
export interface StepPageProps {
  ctx: PageContext;
  step: string;
  index: number;
  total: number;
  back: string;
  values: DraftData;
  errors: FormErrors;
  fromCheck: boolean;
  options: StepOptions;
  /** A form-level message above the form (a stale form: web/stale-form.ts). */
  message?: string | undefined;
}

const v = (d: DraftData, k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');

/** A field bound to the step: its name, the kept answer and the inline error. */
const bind = (p: StepPageProps, name: string) => ({
  ctx: p.ctx,
  name,
  value: v(p.values, name),
  error: p.errors[name],
});

function Frame(
  p: StepPageProps & {
    title: string;
    children: ComponentChildren;
    multipart?: boolean;
    h1?: boolean;
    /** Shown between the heading and the step's form. */
    before?: ComponentChildren;
    /** Shown after the step's form (content with forms of its own). */
    after?: ComponentChildren;
  },
) {
  const { ctx } = p;
  return (
    <Layout ctx={ctx} title={p.title} hasErrors={!!p.message || Object.keys(p.errors).length > 0}>
      <a class="back-link" href={p.back}>
        {ctx.t('web.common.back')}
      </a>
      <ErrorSummary ctx={ctx} errors={p.errors} message={p.message} />
      <p class="step-count">{ctx.t('web.report.step_of', { n: p.index, total: p.total })}</p>
      {p.h1 === false ? null : <h1>{p.title}</h1>}
      {p.before}
      <form
        method="post"
        action={`/lapor/${p.step}`}
        novalidate
        enctype={p.multipart ? 'multipart/form-data' : undefined}
      >
        {ctx.csrf ? <input type="hidden" name="_csrf" value={ctx.csrf} /> : null}
        {p.fromCheck ? <input type="hidden" name="from" value="check" /> : null}
        {p.children}
        <Button>{p.fromCheck ? ctx.t('web.report.save_back') : ctx.t('web.common.continue')}</Button>
      </form>
      {p.after}
    </Layout>
  );
}

/** Step 1: classification, the legend is the page heading. */
export function ClassificationStep(p: StepPageProps): VNode {
  const { ctx } = p;
  const options = ['pengaduan', 'aspirasi', 'permintaan_informasi'].map((c) => ({
    value: c,
    label: ctx.t(`web.classification.${c}`),
    hint: ctx.t(`web.classification.${c}_hint`),
  }));
  return (
    <Frame {...p} title={ctx.t('web.report.classification_title')} h1={false}>
      <Radios
        {...bind(p, 'classification')}
        legend={ctx.t('web.report.classification_title')}
        legendAsHeading
        options={options}
      />
    </Frame>
  );
}

/** Step 2: what happened. The chronology warns early (script) about personal data. */
export function WhatStep(p: StepPageProps): VNode {
  const { ctx } = p;
  return (
    <Frame {...p} title={ctx.t('web.report.what_title')}>
      <TextInput
        {...bind(p, 'title')}
        label={ctx.t('web.report.title_label')}
        hint={ctx.t('web.report.title_hint')}
      />
      <Textarea
        {...bind(p, 'body')}
        rows={8}
        label={ctx.t('web.report.body_label')}
        hint={ctx.t('web.report.body_hint')}
        piiWarning="pii-live"
      />
      <p class="warning" id="pii-live" hidden>
        {ctx.t('web.report.pii_live')}
      </p>
      <TextInput
        {...bind(p, 'occurredOn')}
        type="date"
        width="short"
        label={`${ctx.t('web.report.date_label')} ${ctx.t('web.common.optional')}`}
        hint={ctx.t('web.report.date_hint')}
      />
    </Frame>
  );
}

/** Step 3: where. A region picker that narrows level by level; "Show …" reloads the page without JS. */
export function WhereStep(p: StepPageProps): VNode {
  const { ctx } = p;
  const r = p.options.regions ?? { prov: [], kab: [], kec: [], desa: [] };
  const any = ctx.t('web.report.region_choose');
  return (
    <Frame {...p} title={ctx.t('web.report.where_title')}>
      <p class="hint">{ctx.t('web.report.where_hint')}</p>
      <div class="region-grid">
        <Select {...bind(p, 'prov')} label={ctx.t('web.report.prov')} options={r.prov} placeholder={any} />
        {r.kab.length ? (
          <Select {...bind(p, 'kab')} label={ctx.t('web.report.kab')} options={r.kab} placeholder={any} />
        ) : null}
        {r.kec.length ? (
          <Select {...bind(p, 'kec')} label={ctx.t('web.report.kec')} options={r.kec} placeholder={any} />
        ) : null}
        {r.desa.length ? (
          <Select {...bind(p, 'desa')} label={ctx.t('web.report.desa')} options={r.desa} placeholder={any} />
        ) : null}
      </div>
      <Button variant="secondary" name="_refresh" value="1">
        {ctx.t('web.report.region_refresh')}
      </Button>
      <TextInput
        {...bind(p, 'address')}
        label={`${ctx.t('web.report.address_label')} ${ctx.t('web.common.optional')}`}
        hint={ctx.t('web.report.address_hint')}
      />
      <details class="field" data-point>
        <summary>{ctx.t('web.report.point_summary')}</summary>
        <p class="hint">{ctx.t('web.report.point_hint')}</p>
        {/* Filled by map.js (JavaScript only): an outline map of the chosen region to click a point on. */}
        <div class="region-map" data-region-map data-need={ctx.t('web.report.map_need_region')} hidden>
          <p class="hint">{ctx.t('web.report.map_hint')}</p>
          <p class="hint" role="status" data-map-status data-filled={ctx.t('web.report.map_filled')} />
        </div>
        <TextInput {...bind(p, 'lat')} width="short" inputmode="decimal" label={ctx.t('web.report.lat')} />
        <TextInput {...bind(p, 'lon')} width="short" inputmode="decimal" label={ctx.t('web.report.lon')} />
      </details>
      <script src={`/static/map.js?v=${ctx.assetVersion}`} defer />
    </Frame>
  );
}

/** Step 4: category and (optionally) the agency, then similar open public reports the citizen may support. */
export function CategoryStep(p: StepPageProps): VNode {
  const { ctx } = p;
  return (
    <Frame
      {...p}
      title={ctx.t('web.report.category_title')}
      before={<SimilarPublicNotice ctx={ctx} count={p.options.similar?.length ?? 0} />}
      after={<SimilarPublicReports ctx={ctx} items={p.options.similar ?? []} step="kategori" />}
    >
      <Select
        {...bind(p, 'categoryId')}
        label={`${ctx.t('web.report.category_label')} ${ctx.t('web.common.optional')}`}
        hint={ctx.t('web.report.category_hint')}
        options={p.options.categories ?? []}
        placeholder={ctx.t('web.report.dont_know')}
      />
      <Select
        {...bind(p, 'agencyId')}
        label={`${ctx.t('web.report.agency_label')} ${ctx.t('web.common.optional')}`}
        hint={ctx.t('web.report.agency_hint')}
        options={p.options.agencies ?? []}
        placeholder={ctx.t('web.report.dont_know')}
      />
    </Frame>
  );
}

/** Step 5: attachments (multipart), with the limits stated and the files kept so far. */
export function FilesStep(p: StepPageProps): VNode {
  const { ctx } = p;
  const l = p.options.limits ?? { maxMb: 10, maxFiles: 5, types: 'JPEG, PNG, WebP, PDF' };
  const files = p.options.files ?? [];
  return (
    <Frame {...p} title={ctx.t('web.report.files_title')} multipart>
      <p>{ctx.t('web.report.files_intro')}</p>
      <p class="hint">{ctx.t('web.report.files_limits', { mb: l.maxMb, n: l.maxFiles, types: l.types })}</p>
      {files.length ? (
        <>
          <h2>{ctx.t('web.report.files_kept')}</h2>
          <ul>
            {files.map((f, i) => (
              <li key={f.key}>
                {f.filename} ({Math.ceil(f.size / 1024)} KB){' '}
                <button type="submit" class="link-button-dark" name="remove" value={String(i)}>
                  {ctx.t('web.report.files_remove')}
                  <span class="visually-hidden"> {f.filename}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <FieldFrame
        ctx={ctx}
        id="f-file"
        label={`${ctx.t('web.report.files_label')} ${ctx.t('web.common.optional')}`}
        error={p.errors.file}
      >
        <input
          class="input"
          type="file"
          id="f-file"
          name="file"
          multiple
          accept="image/jpeg,image/png,image/webp,application/pdf"
          aria-describedby={describedBy('f-file', undefined, p.errors.file)}
        />
      </FieldFrame>
    </Frame>
  );
}

/** Step 6: privacy, each option with one honest sentence about who sees what. */
export function PrivacyStep(p: StepPageProps): VNode {
  const { ctx } = p;
  const values = ['anonymous', 'confidential'].filter((k) => v(p.values, k) === '1');
  return (
    <Frame {...p} title={ctx.t('web.report.privacy_title')} h1={false}>
      <Checkboxes
        ctx={ctx}
        name="privacy"
        legend={ctx.t('web.report.privacy_title')}
        hint={ctx.t('web.report.privacy_hint')}
        options={[
          {
            value: 'anonymous',
            label: ctx.t('web.report.anonymous'),
            hint: ctx.t('web.report.anonymous_hint'),
          },
          {
            value: 'confidential',
            label: ctx.t('web.report.confidential'),
            hint: ctx.t('web.report.confidential_hint'),
          },
        ]}
        values={values}
        legendAsHeading
      />
    </Frame>
  );
}

/** Step 7: contact details (name required unless anonymous). */
export function ContactStep(p: StepPageProps): VNode {
  const { ctx } = p;
  const anon = v(p.values, 'anonymous') === '1';
  const opt = ` ${ctx.t('web.common.optional')}`;
  return (
    <Frame {...p} title={ctx.t('web.report.contact_title')}>
      <p>{anon ? ctx.t('web.report.contact_intro_anon') : ctx.t('web.report.contact_intro')}</p>
      <TextInput
        {...bind(p, 'name')}
        autocomplete="name"
        label={ctx.t('web.report.name') + (anon ? opt : '')}
      />
      <TextInput
        {...bind(p, 'email')}
        type="email"
        autocomplete="email"
        label={ctx.t('web.report.email') + opt}
        hint={ctx.t('web.report.email_hint')}
      />
      <TextInput
        {...bind(p, 'phone')}
        type="tel"
        autocomplete="tel"
        width="short"
        label={ctx.t('web.report.phone') + opt}
        hint={ctx.t('web.report.phone_hint')}
      />
      <TextInput
        {...bind(p, 'nik')}
        inputmode="numeric"
        width="short"
        label={ctx.t('web.report.nik') + opt}
        hint={ctx.t('web.report.nik_hint')}
      />
    </Frame>
  );
}
