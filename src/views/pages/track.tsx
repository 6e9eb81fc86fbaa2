/**
 * Tracking: the form (tracking number + access key) and the reporter's page with the timeline, the agency's
 * follow-ups and the reporter's forms. The access key travels in a hidden field of every form.
 *
 * The accept and dispute texts are public on a public report, and no verifier reads them first: their fields say so,
 * and a text that seems to hold personal data comes back with a warning (associated with the field) and a
 * confirmation checkbox (`<field>PiiOk`, the error summary's target) before it is sent; see `PiiWarning`.
 *
 * The supplement and reply forms are multipart: photos or documents go with the text (`FilesInput`), without
 * JavaScript.
 */
import type { ComponentChildren, VNode } from 'preact';
import { fieldId, type FormErrors, type PageContext } from '../context.ts';
import { Layout } from '../layout.tsx';
import { Button } from '../components/button.tsx';
import { ErrorSummary, FieldError } from '../components/error-summary.tsx';
import type { PiiKind } from '../../domain/report/pii-hints.ts';
import { controlAria, FieldFrame, Radios, TextInput, Textarea } from '../components/fields.tsx';
import { Timeline } from '../components/timeline.tsx';
import type { ReportAttachment } from '../../queries/report-attachments.ts';
import { ReportSummary } from './report-parts.tsx';
import type { ReportModel } from '../../http/web/report-view.ts';

/** The lookup form. */
export function TrackFormPage({
  ctx,
  id,
  errors = {},
  message,
  notice,
}: {
  ctx: PageContext;
  id?: string;
  errors?: FormErrors;
  message?: string;
  /** A neutral note above the form (not an error), e.g. that the access key is needed. */
  notice?: string;
}): VNode {
  return (
    <Layout
      ctx={ctx}
      title={ctx.t('web.trackpage.title')}
      hasErrors={!!message || Object.keys(errors).length > 0}
    >
      <ErrorSummary ctx={ctx} errors={errors} message={message} />
      <h1>{ctx.t('web.trackpage.title')}</h1>
      <p>{ctx.t('web.trackpage.intro')}</p>
      {notice ? (
        <p class="notice" role="note">
          {notice}
        </p>
      ) : null}
      <form method="post" action="/lacak" novalidate>
        {ctx.csrf ? <input type="hidden" name="_csrf" value={ctx.csrf} /> : null}
        <TextInput
          ctx={ctx}
          name="id"
          inputmode="numeric"
          width="short"
          label={ctx.t('web.track.id_label')}
          hint={ctx.t('web.track.id_hint')}
          value={id}
          error={errors.id}
        />
        <TextInput
          ctx={ctx}
          name="k"
          autocomplete="off"
          label={ctx.t('web.trackpage.key_label')}
          hint={ctx.t('web.trackpage.key_hint')}
          error={errors.k}
        />
        <Button>{ctx.t('web.track.find')}</Button>
      </form>
      <p class="muted">{ctx.t('web.trackpage.public_hint')}</p>
    </Layout>
  );
}

/** Which reporter forms to show (decided by the route from status and permissions). */
export interface ReporterForms {
  supplement: boolean;
  comment: boolean;
  accept: boolean;
  dispute: boolean;
  escalate: boolean;
}

/** A reporter's public text that seems to hold personal data: which form's field, and what was found. */
export interface PiiCheck {
  /** The text field: `reason` (dispute) or `comment` (accept). */
  field: 'reason' | 'comment';
  kinds: PiiKind[];
}

/** The name of the confirmation checkbox of a text field (also its error-summary key). */
export function piiConfirmField(field: string): string {
  return `${field}PiiOk`;
}

/** The id of the personal-data notice of a text field (in the field's `aria-describedby`). */
export const piiNoticeId = (field: string) => `${fieldId(field)}-pii`;

/**
 * The warning under a public text that seems to hold personal data, and the checkbox to send it anyway. The notice is
 * part of the text field's description; the checkbox is described by the notice and its error, which the error
 * summary links to. Also under the public report page's comment form (feed.tsx), with that page's copy: `copy` is the
 * locale namespace holding `pii_title`, `pii_found` ({kinds}), `pii_fix` and `pii_confirm`; `level` the heading level
 * that follows the page's outline.
 */
export function PiiWarning({
  ctx,
  pii,
  error,
  copy = 'web.trackpage',
  level = 4,
}: {
  ctx: PageContext;
  pii: { field: string; kinds: readonly PiiKind[] };
  error?: string | undefined;
  copy?: 'web.trackpage' | 'web.feed';
  level?: 3 | 4;
}) {
  const name = piiConfirmField(pii.field);
  const id = fieldId(name);
  const notice = piiNoticeId(pii.field);
  const kinds = pii.kinds.map((k) => ctx.t(`web.report.pii_${k}`)).join(', ');
  const Heading = level === 3 ? 'h3' : 'h4';
  return (
    <>
      <div class="warning" id={notice}>
        <Heading class="warning-title">{ctx.t(`${copy}.pii_title`)}</Heading>
        <p>{ctx.t(`${copy}.pii_found`, { kinds })}</p>
        <p>{ctx.t(`${copy}.pii_fix`)}</p>
      </div>
      <div class={error ? 'field field-invalid' : 'field'}>
        <FieldError ctx={ctx} id={`${id}-error`} text={error} />
        <div class="choice">
          <input
            class="choice-input"
            type="checkbox"
            id={id}
            name={name}
            value="1"
            aria-describedby={[notice, error ? `${id}-error` : ''].filter(Boolean).join(' ')}
            aria-invalid={error ? 'true' : undefined}
          />
          <label class="choice-label" for={id}>
            {ctx.t(`${copy}.pii_confirm`)}
          </label>
        </div>
      </div>
    </>
  );
}

/** Props of the reporter's page. */
export interface TrackPageProps {
  ctx: PageContext;
  m: ReportModel;
  accessKey: string;
  /** The report's files (the reporter's own and the agency's), linked through the private-link key. */
  attachments?: ReportAttachment[];
  forms: ReporterForms;
  errors: FormErrors;
  message?: string | undefined;
  /** The action that just succeeded (shown as a notice after the redirect). */
  done?: string | undefined;
  values?: Record<string, string>;
  /** A public text sent with personal data and no confirmation: the warning to show in its form. */
  pii?: PiiCheck | undefined;
  /** The date (formatted) the hand-off to Ombudsman opens, on an open report before it does; no form until then. */
  escalationOpensOn?: string | undefined;
  /** The limits stated by the file inputs of the supplement and reply forms. */
  fileLimits?: FileLimits | undefined;
}

/** Files per post and megabytes per file. */
export interface FileLimits {
  maxFiles: number;
  maxMb: number;
}

/** An optional file input (several files) with the accepted types and limits as its hint. */
function FilesInput(p: { ctx: PageContext; name: string; limits: FileLimits; error?: string | undefined }) {
  const id = fieldId(p.name);
  const hint = p.ctx.t('web.trackpage.files_hint', { n: p.limits.maxFiles, mb: p.limits.maxMb });
  return (
    <FieldFrame
      ctx={p.ctx}
      id={id}
      label={`${p.ctx.t('web.trackpage.files_label')} ${p.ctx.t('web.common.optional')}`}
      hint={hint}
      error={p.error}
    >
      <input
        class="input"
        type="file"
        id={id}
        name={p.name}
        multiple
        accept="image/jpeg,image/png,image/webp,application/pdf"
        {...controlAria(id, hint, p.error)}
      />
    </FieldFrame>
  );
}

function ActionForm(p: {
  ctx: PageContext;
  action: string;
  id: string;
  accessKey: string;
  title: string;
  children: ComponentChildren;
  submit: string;
  variant?: 'primary' | 'secondary' | 'warning';
  multipart?: boolean;
}) {
  return (
    <section aria-labelledby={`h-${p.action}`}>
      <h3 id={`h-${p.action}`}>{p.title}</h3>
      <form
        method="post"
        action={`/lacak/${p.id}/${p.action}`}
        enctype={p.multipart ? 'multipart/form-data' : undefined}
        novalidate
      >
        {p.ctx.csrf ? <input type="hidden" name="_csrf" value={p.ctx.csrf} /> : null}
        <input type="hidden" name="k" value={p.accessKey} />
        {p.children}
        <Button variant={p.variant}>{p.submit}</Button>
      </form>
    </section>
  );
}

/** The reporter's view of their report. */
export function TrackPage({
  ctx,
  m,
  accessKey,
  attachments = [],
  forms,
  errors,
  message,
  done,
  values = {},
  pii,
  escalationOpensOn,
  fileLimits = { maxFiles: 5, maxMb: 10 },
}: TrackPageProps): VNode {
  const id = m.report.trackingId;
  // Accept and dispute texts are public on a public report: the fields say so, and warn about personal data.
  const publicHint = m.report.confidential ? undefined : ctx.t('web.trackpage.public_text_hint');
  const piiOf = (field: PiiCheck['field']) => (pii?.field === field ? pii : undefined);
  const textNotice = (field: PiiCheck['field']) => (piiOf(field) ? piiNoticeId(field) : undefined);
  const piiWarning = (field: PiiCheck['field']) => {
    const found = piiOf(field);
    return found ? <PiiWarning ctx={ctx} pii={found} error={errors[piiConfirmField(field)]} /> : null;
  };
  const f = { ctx, id, accessKey };
  const stars = ['1', '2', '3', '4', '5'].map((n) => ({
    value: n,
    label: ctx.t(`web.trackpage.rating_${n}`),
  }));
  const any =
    forms.supplement ||
    forms.comment ||
    forms.accept ||
    forms.dispute ||
    forms.escalate ||
    !!escalationOpensOn;
  return (
    <Layout
      ctx={ctx}
      title={`${ctx.t('web.trackpage.report')} ${id}`}
      hasErrors={!!message || Object.keys(errors).length > 0}
    >
      <ErrorSummary ctx={ctx} errors={errors} message={message} />
      {done ? (
        <p class="notice-ok" role="status">
          {ctx.t(`web.trackpage.done_${done}`)}
        </p>
      ) : null}
      <p class="step-count">
        {ctx.t('web.trackpage.report')} {id}
      </p>
      <h1>{m.report.title}</h1>
      <ReportSummary ctx={ctx} m={m} />
      {m.followUps.length ? (
        <>
          <h2>{ctx.t('web.trackpage.follow_ups')}</h2>
          <Timeline ctx={ctx} items={m.followUps} />
        </>
      ) : null}
      {attachments.length ? (
        <>
          <h2>{ctx.t('web.trackpage.attachments')}</h2>
          <ul>
            {attachments.map((a) => (
              <li key={a.id}>
                <a
                  href={`/lacak/${id}/lampiran/${a.id}${accessKey ? `?k=${encodeURIComponent(accessKey)}` : ''}`}
                >
                  {a.filename}
                </a>{' '}
                {ctx.t(
                  a.uploadedBy === 'reporter'
                    ? 'web.trackpage.attachment_yours'
                    : 'web.trackpage.attachment_agency',
                  {
                    kb: Math.max(1, Math.ceil(a.size / 1024)),
                  },
                )}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>{ctx.t('web.trackpage.timeline')}</h2>
      <Timeline ctx={ctx} items={m.timeline} />
      {any ? <h2>{ctx.t('web.trackpage.your_actions')}</h2> : null}
      {forms.supplement ? (
        <ActionForm
          {...f}
          action="supplement"
          multipart
          title={ctx.t('web.trackpage.supplement_title')}
          submit={ctx.t('web.trackpage.supplement_submit')}
        >
          <Textarea
            ctx={ctx}
            name="body"
            label={ctx.t('web.trackpage.supplement_label')}
            hint={ctx.t('web.trackpage.supplement_hint')}
            value={values.supplement}
            error={errors.body}
          />
          <FilesInput ctx={ctx} name="supplementFiles" limits={fileLimits} error={errors.supplementFiles} />
        </ActionForm>
      ) : null}
      {forms.accept ? (
        <ActionForm
          {...f}
          action="accept"
          title={ctx.t('web.trackpage.accept_title')}
          submit={ctx.t('web.trackpage.accept_submit')}
        >
          <Radios
            ctx={ctx}
            name="rating"
            legend={ctx.t('web.trackpage.rating_legend')}
            options={stars}
            value={values.rating}
            error={errors.rating}
          />
          <Textarea
            ctx={ctx}
            name="comment"
            rows={3}
            label={`${ctx.t('web.trackpage.accept_comment')} ${ctx.t('web.common.optional')}`}
            hint={publicHint}
            value={values.acceptComment}
            error={errors.comment}
            describedBy={textNotice('comment')}
          />
          {piiWarning('comment')}
        </ActionForm>
      ) : null}
      {forms.dispute ? (
        <ActionForm
          {...f}
          action="dispute"
          variant="secondary"
          title={ctx.t('web.trackpage.dispute_title')}
          submit={ctx.t('web.trackpage.dispute_submit')}
        >
          <Textarea
            ctx={ctx}
            name="reason"
            rows={4}
            label={ctx.t('web.trackpage.dispute_label')}
            hint={publicHint}
            value={values.reason}
            error={errors.reason}
            describedBy={textNotice('reason')}
          />
          {piiWarning('reason')}
        </ActionForm>
      ) : null}
      {forms.comment ? (
        <ActionForm
          {...f}
          action="comment"
          variant="secondary"
          multipart
          title={ctx.t('web.trackpage.comment_title')}
          submit={ctx.t('web.trackpage.comment_submit')}
        >
          <Textarea
            ctx={ctx}
            name="commentBody"
            rows={3}
            label={ctx.t('web.trackpage.comment_label')}
            hint={ctx.t('web.trackpage.comment_hint')}
            value={values.comment}
            error={errors.commentBody}
          />
          <FilesInput ctx={ctx} name="commentFiles" limits={fileLimits} error={errors.commentFiles} />
        </ActionForm>
      ) : null}
      {forms.escalate ? (
        <ActionForm
          {...f}
          action="escalate"
          variant="secondary"
          title={ctx.t('web.trackpage.escalate_title')}
          submit={ctx.t('web.trackpage.escalate_submit')}
        >
          <p>{ctx.t('web.trackpage.escalate_text')}</p>
          <div class="choice">
            <input class="choice-input" type="checkbox" id="f-consent" name="consent" value="1" />
            <label class="choice-label" for="f-consent">
              {ctx.t('web.trackpage.escalate_consent')}
            </label>
          </div>
          {m.report.anonymous ? (
            // Anonim hides the identity from the Ombudsman too: nothing to choose (escalate-report.ts).
            <p>{ctx.t('web.trackpage.escalate_anonymous_note')}</p>
          ) : (
            <div class="choice">
              <input
                class="choice-input"
                type="checkbox"
                id="f-shareIdentity"
                name="shareIdentity"
                value="1"
                aria-describedby="f-shareIdentity-hint"
              />
              <label class="choice-label" for="f-shareIdentity">
                {ctx.t('web.trackpage.escalate_share_identity')}
              </label>
              <p class="hint choice-hint" id="f-shareIdentity-hint">
                {ctx.t('web.trackpage.escalate_share_identity_hint')}
              </p>
            </div>
          )}
          <p />
        </ActionForm>
      ) : null}
      {!forms.escalate && escalationOpensOn ? (
        <section aria-labelledby="h-escalate">
          <h3 id="h-escalate">{ctx.t('web.trackpage.escalate_title')}</h3>
          <p>{ctx.t('web.trackpage.escalation_opens', { date: escalationOpensOn })}</p>
        </section>
      ) : null}
    </Layout>
  );
}
