/**
 * Aids on the verification screen (issue 3 + routing): similar earlier reports the caller may see (confidential
 * ones included for staff in scope, marked as such) with a similarity score and a link, and the routing
 * suggestions (the report type, and the top 3 agencies and categories, with confidence and the words that drove them).
 *
 * Picking a suggestion works without JavaScript: each one is a link back to this page with `?instansi=` /
 * `?kategori=` / `?klasifikasi=` that pre-selects it in the verify form (the other pick is carried along). Verifying records the
 * verifier's choice against the suggestions shown (`recordRoutingOutcome` inside `verifyReport`).
 *
 * On a returned report the panel starts with the latest return (who sent it back, when, the note and the agency it
 * named as the right one, with a link that picks it). Agencies that already returned the report are marked in the
 * agency suggestions and get no pick link (dispatching there again needs a confirmation in the verify form), and
 * agencies nobody could handle a report in are marked too.
 *
 * Privacy: nothing here reads reporter data; the similar list has report fields only (`StaffSimilarReport`).
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { StatusTag } from '../components/status-tag.tsx';
import { OPEN_STATUSES, type ReportStatus, type ZoneName } from '../../domain/report/report.ts';
import { formatIsoInZone } from '../../domain/deadline/calendar.ts';
import type { StaffSimilarReport } from '../../queries/similar-reports.ts';
import type { PiiKind } from '../../domain/report/pii-hints.ts';
import type { RoutingSuggestions } from '../../commands/suggest-routing.ts';
import type { ReportReturn } from '../../queries/report-returns.ts';
import { dateLabel } from './common.tsx';
import { formatDate, formatDateTime, formatDistance } from '../format.ts';
import { formatNumber } from '../../presenters/number-format.ts';

/** What the verify form is pre-filled with from a picked suggestion (query `instansi`, `kategori`, `klasifikasi`). */
export interface RoutingPick {
  /** A suggested unit picked for the dispose form (`?unit=`). */
  unitId?: string | undefined;
  agencyId?: string | undefined;
  categoryId?: string | undefined;
  classification?: string | undefined;
  /** A similar report chosen as the one this report duplicates (pre-fills the archive form). */
  duplicateOf?: string | undefined;
}

/** Props of the verification aids. */
export interface VerificationAidsProps {
  ctx: PageContext;
  trackingId: string;
  /** null: the lookup failed (the page still works; the panel says so). */
  similar: StaffSimilarReport[] | null;
  suggestions: RoutingSuggestions | null;
  pick: RoutingPick;
  /** The caller may archive this report, so each similar report offers "mark as duplicate of this one". */
  canArchive?: boolean | undefined;
  /** Personal data the title or body seems to hold (a public report's text goes public once verified). */
  personalData?: readonly PiiKind[] | undefined;
  /** The latest return of a returned report, shown on top (none otherwise). */
  latestReturn?: ReportReturn | undefined;
  /** Agencies that returned this report themselves: marked, and not offered as a pick. */
  returnedBy?: readonly string[] | undefined;
  /** Agencies nobody could handle a report in: marked. */
  unstaffed?: readonly string[] | undefined;
  /** Display name of an agency id. */
  agencyName?: ((id: string) => string) | undefined;
  /** The report's zone (`reportZone`, as its timeline): times are shown in it, not in the UTC instant's. */
  zone?: ZoneName | undefined;
}

/** A share as a whole percent (`0.596` → `60%`), as the suggestions and scores are shown. */
export const percent = (x: number) => `${Math.round(x * 100)}%`;

/**
 * A model's confidence as a whole percent, never a certainty: one that rounds to 100 % reads "above 99%" and one
 * that rounds to 0 % "below 1%" (a calibrated 0.997 is still wrong now and then; docs/benchmarks.md, "Calibration").
 */
export function confidencePercent(ctx: PageContext, x: number): string {
  const p = Math.round(x * 100);
  if (p >= 100) return ctx.t('staff.suggest.percent_above', { p: '99%' });
  if (p <= 0) return ctx.t('staff.suggest.percent_below', { p: '1%' });
  return `${p}%`;
}

const SIMILAR_COLUMNS = [
  'staff.queue.col_tracking',
  'staff.queue.col_title',
  'staff.queue.col_status',
  'staff.queue.col_agency',
  'staff.queue.col_received',
  'staff.similar.score',
  'staff.similar.distance',
];

/** The page URL that pre-selects `pick` in the verify form. */
export function pickHref(ctx: PageContext, trackingId: string, pick: RoutingPick): string {
  const q = new URLSearchParams();
  if (pick.agencyId) q.set('instansi', pick.agencyId);
  if (pick.categoryId) q.set('kategori', pick.categoryId);
  if (pick.classification) q.set('klasifikasi', pick.classification);
  q.set('lang', ctx.lang);
  return `/kantor/laporan/${trackingId}?${q.toString()}#h-verify`;
}

/** The page URL that pre-fills the archive form with "duplicate of `keep`". */
function duplicateHref(ctx: PageContext, trackingId: string, keep: string): string {
  return `/kantor/laporan/${trackingId}?duplikat=${keep}&lang=${ctx.lang}#h-archive`;
}

function SimilarReports({
  ctx,
  items,
  trackingId,
  canArchive,
}: {
  ctx: PageContext;
  items: StaffSimilarReport[] | null;
  trackingId: string;
  canArchive: boolean;
}): VNode {
  if (items === null) return <p class="hint">{ctx.t('staff.similar.unavailable')}</p>;
  if (items.length === 0) return <p>{ctx.t('staff.similar.none')}</p>;
  // Below 40rem the rows stack (`table-stack`), each cell under its column name, so the score, the distance and
  // "Duplikat dari ini" stay on a phone's screen instead of off to the right of the table.
  const [tracking, title, status, agency, received, score, distance] = SIMILAR_COLUMNS.map((k) => ctx.t(k));
  return (
    <div class="table-scroll">
      <table class="queue-table similar-table table-stack">
        <caption class="visually-hidden">{ctx.t('staff.similar.caption', { n: items.length })}</caption>
        <thead>
          <tr>
            {SIMILAR_COLUMNS.map((k) => (
              <th key={k} scope="col">
                {ctx.t(k)}
              </th>
            ))}
            {canArchive ? <th scope="col">{ctx.t('staff.similar.action')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {items.map((s) => (
            <tr key={s.trackingId}>
              <td data-label={tracking}>
                <a href={`/kantor/laporan/${s.trackingId}`}>{s.trackingId}</a>
              </td>
              <td data-label={title} class="similar-title">
                {s.title}
                {s.confidential ? (
                  <>
                    {' '}
                    <span class="tag tag-purple">{ctx.t('staff.report.confidential')}</span>
                  </>
                ) : null}
              </td>
              <td data-label={status}>
                <StatusTag ctx={ctx} status={s.status} />
              </td>
              <td data-label={agency}>{s.agencyName ?? ctx.t('staff.queue.unassigned')}</td>
              <td data-label={received}>{dateLabel(ctx, s.createdAt)}</td>
              <td data-label={score} data-score={s.score}>
                {percent(s.score)}
              </td>
              <td data-label={distance} data-distance={s.distanceM ?? undefined}>
                {s.distanceM === null
                  ? ctx.t('staff.similar.distance_none')
                  : formatDistance(s.distanceM, ctx.lang)}
              </td>
              {canArchive ? (
                <td>
                  {/* Only an open report can be kept: a duplicate merged into a closed one would go unhandled. */}
                  {OPEN_STATUSES.includes(s.status as ReportStatus) ? (
                    <a href={duplicateHref(ctx, trackingId, s.trackingId)} data-duplicate-of={s.trackingId}>
                      {ctx.t('staff.similar.mark_duplicate')}
                      <span class="visually-hidden">
                        {' '}
                        {ctx.t('staff.similar.mark_duplicate_of', { id: s.trackingId })}
                      </span>
                    </a>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One list of suggestions (label, confidence, the words that drove it) with a link that picks one in a form. */
export function SuggestionList(p: {
  ctx: PageContext;
  heading: string;
  items: Array<{ id: string | number; name: string; confidence: number; words: string[] }>;
  chosen: string | undefined;
  href: (id: string) => string;
  kind: 'agency' | 'category' | 'classification' | 'unit';
  /** Heading level: 3 on the verification screen, 4 inside an action form. */
  level?: 3 | 4;
  /** Leave the confidence out (a single candidate, whose conditional confidence is always 100 %). */
  hideConfidence?: boolean | undefined;
  /** Agencies that returned the report: marked "already returned this report" and offered without a pick link. */
  returned?: ReadonlySet<string> | undefined;
  /** Agencies without anyone to handle the report: marked. */
  unstaffed?: ReadonlySet<string> | undefined;
  /** The model's cross-validated macro-F1 when it is weak (below 0.5): the list says so. */
  weakF1?: number | undefined;
}): VNode {
  const { ctx } = p;
  const Heading = p.level === 4 ? 'h4' : 'h3';
  return (
    <div class="suggestion-group">
      <Heading>{p.heading}</Heading>
      {p.weakF1 !== undefined && p.items.length ? (
        <p class="hint" data-weak-model={p.kind}>
          {ctx.t('staff.suggest.weak_model', { f1: formatNumber(p.weakF1, ctx.lang, { min: 2, max: 2 }) })}
        </p>
      ) : null}
      {!p.hideConfidence && p.items[0] && isUnsure(p.items[0].confidence) ? (
        <p class="hint" data-unsure={p.kind}>
          {ctx.t('staff.suggest.unsure', { p: confidencePercent(ctx, p.items[0].confidence) })}
        </p>
      ) : null}
      {p.items.length === 0 ? (
        <p class="hint">{ctx.t('staff.suggest.no_model')}</p>
      ) : (
        <ol class="suggestion-list">
          {p.items.map((s) => {
            const picked = p.chosen === String(s.id);
            const returned = !!p.returned?.has(String(s.id));
            return (
              <li
                key={String(s.id)}
                data-suggestion={`${p.kind}:${s.id}`}
                data-returned={returned ? 'true' : undefined}
              >
                <strong>{s.name}</strong>
                {p.hideConfidence
                  ? null
                  : ` ${ctx.t('staff.suggest.confidence', { p: confidencePercent(ctx, s.confidence) })}`}
                {returned ? (
                  <>
                    {' '}
                    <span class="tag tag-yellow">{ctx.t('staff.suggest.returned')}</span>
                  </>
                ) : null}
                {p.unstaffed?.has(String(s.id)) ? (
                  <>
                    {' '}
                    <span class="tag tag-grey">{ctx.t('staff.suggest.unstaffed')}</span>
                  </>
                ) : null}
                {s.words.length ? (
                  <span class="hint suggestion-words">
                    {' '}
                    {ctx.t('staff.suggest.words', { words: s.words.join(', ') })}
                  </span>
                ) : null}{' '}
                {picked ? (
                  <span class="tag tag-green">{ctx.t('staff.suggest.picked')}</span>
                ) : returned ? null : (
                  <a href={p.href(String(s.id))}>
                    {ctx.t('staff.suggest.use')}
                    <span class="visually-hidden"> {s.name}</span>
                  </a>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}

/**
 * Below this confidence the top suggestion of a list carries a warning: the confidences are calibrated, and under
 * 0.6 the top suggestion was right only about half the time in cross-validation on LAPOR! reports (report type
 * 52–56 %, agencies about half or less; docs/benchmarks.md, "Calibration").
 */
export const UNSURE_CONFIDENCE = 0.6;

/** Whether a confidence is below UNSURE_CONFIDENCE as shown (whole percent: 59.6 % reads 60 %, not unsure). */
export const isUnsure = (confidence: number) => Math.round(confidence * 100) < UNSURE_CONFIDENCE * 100;

/** Below this cross-validated macro-F1 a model's suggestions carry a warning (worse than a coin toss per label). */
const WEAK_MODEL_F1 = 0.5;

/** The model's stored macro-F1 when it is below `WEAK_MODEL_F1`, else undefined. */
function weakF1(model: { cvMacroF1: number | null } | null): number | undefined {
  return model?.cvMacroF1 != null && model.cvMacroF1 < WEAK_MODEL_F1 ? model.cvMacroF1 : undefined;
}

/** The suggestion lists, in order: each with its heading and the verify-form field a pick pre-selects. */
const LISTS = [
  { kind: 'classification', heading: 'staff.suggest.classifications', field: 'classification' },
  { kind: 'agency', heading: 'staff.suggest.agencies', field: 'agencyId' },
  { kind: 'category', heading: 'staff.suggest.categories', field: 'categoryId' },
] as const;

/** The latest return of a returned report: who sent it back, when, why, and the agency it named. */
function LatestReturn(p: {
  ctx: PageContext;
  trackingId: string;
  pick: RoutingPick;
  latest: ReportReturn;
  agencyName: (id: string) => string;
  returned: ReadonlySet<string>;
  zone: ZoneName | undefined;
}): VNode {
  const { ctx, latest } = p;
  // `at` is a UTC instant: read in the report's zone (WITA for a Kalimantan Timur report), like the timeline below.
  const at = p.zone ? formatIsoInZone(new Date(latest.at), p.zone) : latest.at;
  const suggested = latest.suggestedAgencyId;
  const pulled = !!latest.pullBack;
  return (
    <section class="panel latest-return" data-slot="latest-return" aria-labelledby="h-latest-return">
      <h2 id="h-latest-return">
        {ctx.t(pulled ? 'staff.returned_panel.title_pulled' : 'staff.returned_panel.title')}
      </h2>
      <dl class="summary-list">
        <div class="summary-row">
          <dt>{ctx.t(pulled ? 'staff.returned_panel.from_pulled' : 'staff.returned_panel.agency')}</dt>
          <dd data-returned-by={latest.agencyId ?? undefined}>
            {latest.agencyId ? p.agencyName(latest.agencyId) : ctx.t('staff.report.none')}
          </dd>
        </div>
        <div class="summary-row">
          <dt>{ctx.t('staff.returned_panel.at')}</dt>
          <dd>{formatDateTime(at, ctx.lang)}</dd>
        </div>
        <div class="summary-row">
          <dt>{ctx.t('staff.returned_panel.note')}</dt>
          <dd>{latest.note ?? ctx.t('staff.report.none')}</dd>
        </div>
        {pulled ? null : (
          <div class="summary-row">
            <dt>{ctx.t('staff.returned_panel.suggested')}</dt>
            <dd data-suggested-agency={suggested ?? undefined}>
              {suggested ? (
                <>
                  <strong>{p.agencyName(suggested)}</strong>{' '}
                  {p.pick.agencyId === suggested ? (
                    <span class="tag tag-green">{ctx.t('staff.suggest.picked')}</span>
                  ) : p.returned.has(suggested) ? (
                    <span class="tag tag-yellow">{ctx.t('staff.suggest.returned')}</span>
                  ) : (
                    <a href={pickHref(ctx, p.trackingId, { ...p.pick, agencyId: suggested })}>
                      {ctx.t('staff.suggest.use')}
                      <span class="visually-hidden"> {p.agencyName(suggested)}</span>
                    </a>
                  )}
                </>
              ) : (
                ctx.t('staff.returned_panel.suggested_none')
              )}
            </dd>
          </div>
        )}
      </dl>
    </section>
  );
}

/**
 * One link that pre-selects the first suggestion of every list in the verify form (one page load, then the verifier
 * reads the form and sends it): an agency that already returned the report is never picked. Nothing when every
 * first suggestion is already picked, or there is none.
 */
function TopPicks(p: {
  ctx: PageContext;
  trackingId: string;
  s: RoutingSuggestions;
  returned: ReadonlySet<string>;
}): VNode | null {
  const agency = p.s.agencies.find((a) => !p.returned.has(String(a.id)));
  const top: RoutingPick = {
    agencyId: agency ? String(agency.id) : undefined,
    categoryId: p.s.categories[0] ? String(p.s.categories[0].id) : undefined,
    classification: p.s.classifications[0] ? String(p.s.classifications[0].id) : undefined,
  };
  if (!top.agencyId && !top.categoryId && !top.classification) return null;
  return (
    <p>
      <a href={pickHref(p.ctx, p.trackingId, top)} data-slot="use-top-suggestions">
        {p.ctx.t('staff.suggest.use_all')}
      </a>
    </p>
  );
}

/** The similar-reports slot and the routing suggestions of the verification screen. */
export function VerificationAids(p: VerificationAidsProps): VNode {
  const { ctx, trackingId, pick } = p;
  const s = p.suggestions;
  const pii = p.personalData ?? [];
  const returned = new Set(p.returnedBy ?? []);
  const unstaffed = new Set(p.unstaffed ?? []);
  const agencyName = p.agencyName ?? ((id: string) => id);
  return (
    <>
      {p.latestReturn ? (
        <LatestReturn
          ctx={ctx}
          trackingId={trackingId}
          pick={pick}
          latest={p.latestReturn}
          agencyName={agencyName}
          returned={returned}
          zone={p.zone}
        />
      ) : null}
      {pii.length ? (
        <div class="warning" role="note" data-slot="personal-data">
          <p>
            {ctx.t('staff.report.pii_notice', {
              kinds: pii.map((k) => ctx.t(`web.report.pii_${k}`)).join(', '),
            })}
          </p>
        </div>
      ) : null}
      <section class="similar-reports" data-slot="similar-reports" aria-labelledby="h-similar">
        <h2 id="h-similar">{ctx.t('staff.report.similar_title')}</h2>
        <p class="hint">{ctx.t('staff.similar.hint')}</p>
        <SimilarReports ctx={ctx} items={p.similar} trackingId={trackingId} canArchive={!!p.canArchive} />
      </section>
      <section class="routing-suggestions" aria-labelledby="h-suggest">
        <h2 id="h-suggest">{ctx.t('staff.suggest.title')}</h2>
        {s === null ? (
          <p class="hint">{ctx.t('staff.suggest.unavailable')}</p>
        ) : (
          <>
            <p class="hint">{ctx.t('staff.suggest.hint')}</p>
            <TopPicks ctx={ctx} trackingId={trackingId} s={s} returned={returned} />
            {s.models.agency ? (
              <p class="hint" data-model-version={s.models.agency.version}>
                {ctx.t('staff.suggest.model', {
                  version: s.models.agency.version,
                  date: formatDate(s.models.agency.trainedAt, ctx.lang),
                })}
              </p>
            ) : null}
            {LISTS.map(({ kind, heading, field }) => (
              <SuggestionList
                key={kind}
                ctx={ctx}
                kind={kind}
                heading={ctx.t(heading)}
                items={
                  kind === 'agency'
                    ? s.agencies
                    : kind === 'category'
                      ? s.categories
                      : s.classifications.map((c) => ({
                          ...c,
                          name: ctx.t(`staff.report.classification_name.${c.id}`),
                        }))
                }
                chosen={pick[field]}
                href={(id) => pickHref(ctx, trackingId, { ...pick, [field]: id })}
                returned={kind === 'agency' ? returned : undefined}
                unstaffed={kind === 'agency' ? unstaffed : undefined}
                weakF1={weakF1(s.models[kind])}
              />
            ))}
          </>
        )}
      </section>
    </>
  );
}
