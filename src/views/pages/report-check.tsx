/** The check-your-answers page (with change links and the personal-data warning) and the confirmation page. */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Layout } from '../layout.tsx';
import { Button, ButtonLink } from '../components/button.tsx';
import type { PiiKind } from '../../domain/report/pii-hints.ts';
import type { PublicSimilarReport } from '../../queries/similar-reports.ts';
import { SimilarPublicReports } from './similar-reports.tsx';

/** One answer row: label, value and the step to change it. */
export interface AnswerRow {
  label: string;
  value: string;
  step: string;
}

/**
 * Check your answers. `problems` lists submit-time errors, each linking to its step; `similar` lists open public
 * reports like this one, shown before the send button so the citizen can support one instead.
 */
export function CheckPage({
  ctx,
  rows,
  pii,
  problems,
  similar = [],
  message,
}: {
  ctx: PageContext;
  rows: AnswerRow[];
  pii: PiiKind[];
  problems: Array<{ text: string; href: string }>;
  similar?: PublicSimilarReport[];
  /** A form-level message (a stale form: web/stale-form.ts). */
  message?: string | undefined;
}): VNode {
  return (
    <Layout ctx={ctx} title={ctx.t('web.report.check_title')} hasErrors={!!message || problems.length > 0}>
      {problems.length || message ? (
        <div
          class="error-summary"
          data-module="error-summary"
          tabIndex={-1}
          aria-labelledby="error-summary-title"
        >
          <h2 id="error-summary-title" class="error-summary-title">
            {ctx.t('web.common.error_summary_title')}
          </h2>
          {message ? <p>{message}</p> : null}
          {problems.length ? (
            <ul class="error-summary-list">
              {problems.map((p) => (
                <li key={p.href + p.text}>
                  <a href={p.href}>{p.text}</a>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <h1>{ctx.t('web.report.check_title')}</h1>
      {pii.length ? (
        <div class="warning" role="note">
          <h2 class="warning-title">{ctx.t('web.report.pii_title')}</h2>
          <p>
            {ctx.t('web.report.pii_found', {
              kinds: pii.map((k) => ctx.t(`web.report.pii_${k}`)).join(', '),
            })}
          </p>
          <p>
            <a href="/lapor/kejadian?from=check">{ctx.t('web.report.pii_fix')}</a>
          </p>
        </div>
      ) : null}
      <dl class="summary-list">
        {rows.map((r) => (
          <div class="summary-row" key={r.label}>
            <dt>{r.label}</dt>
            <dd>{r.value || ctx.t('web.common.none')}</dd>
            <dd>
              <a href={`/lapor/${r.step}?from=check`}>
                {ctx.t('web.common.change')}
                <span class="visually-hidden"> {r.label}</span>
              </a>
            </dd>
          </div>
        ))}
      </dl>
      <SimilarPublicReports ctx={ctx} items={similar} step="periksa" />
      <h2>{ctx.t('web.report.send_heading')}</h2>
      <p>{ctx.t('web.report.send_text')}</p>
      <form method="post" action="/lapor/kirim" novalidate>
        {ctx.csrf ? <input type="hidden" name="_csrf" value={ctx.csrf} /> : null}
        <Button>{ctx.t('web.report.send')}</Button>
      </form>
    </Layout>
  );
}

/**
 * The confirmation: tracking number, private link, the access key on its own (what the tracking form asks for with
 * the number, easy to copy or write down) and the verification deadline.
 */
export function ConfirmationPage({
  ctx,
  trackingId,
  accessKey,
  link,
  verifyBy,
  explanation,
  files,
}: {
  ctx: PageContext;
  trackingId: string;
  accessKey: string;
  link: string;
  verifyBy: string;
  explanation: string;
  files: number;
}): VNode {
  return (
    <Layout ctx={ctx} title={ctx.t('web.report.done_title')}>
      <div class="panel panel-confirm">
        <h1>{ctx.t('web.report.done_title')}</h1>
        <p>
          {ctx.t('web.report.done_number')}
          <strong class="big-number" data-testid="tracking-number">
            {trackingId}
          </strong>
        </p>
      </div>
      <h2>{ctx.t('web.report.done_link_heading')}</h2>
      <p>{ctx.t('web.report.done_link_text')}</p>
      <p class="panel body-text">
        <a href={link} data-testid="private-link">
          {link}
        </a>
      </p>
      <dl class="summary-list">
        <div class="summary-row">
          <dt>{ctx.t('web.report.done_key_label')}</dt>
          <dd>
            <code data-testid="access-key">{accessKey}</code>
          </dd>
        </div>
      </dl>
      <p>{ctx.t('web.report.done_key_text')}</p>
      <p class="warning">{ctx.t('web.report.done_link_warning')}</p>
      {files ? <p>{ctx.t('web.report.done_files', { n: files })}</p> : null}
      <h2>{ctx.t('web.report.done_next')}</h2>
      <p>{ctx.t('web.report.done_verify_by', { date: verifyBy })}</p>
      <p class="muted">{explanation}</p>
      <ButtonLink href={link}>{ctx.t('web.report.done_track')}</ButtonLink>
      <ButtonLink href="/lapor/baru" variant="secondary">
        {ctx.t('web.report.done_another')}
      </ButtonLink>
    </Layout>
  );
}
