/**
 * The back-office report page (verification screen and agency screen in one): details, the reporter's
 * identity when the role may see it, the deadline, similar earlier reports and routing suggestions (for
 * verifiers, `verification-aids.tsx`), the action forms
 * allowed by `permissionsFor`, attachments and the full staff timeline including internal notes.
 *
 * Privacy: the reporter block renders only `reporter`, which the route obtains from `revealReporter` (that
 * command refuses agency roles on anonymous reports and logs every reveal). Nothing else here reads identity.
 */
import { permissionsNow } from '../../policies/can.ts';
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Layout } from '../layout.tsx';
import { ErrorSummary } from '../components/error-summary.tsx';
import { StatusTag } from '../components/status-tag.tsx';
import { filesNote, Timeline, type TimelineItem } from '../components/timeline.tsx';
import type { StaffReportView } from '../../queries/back-office.ts';
import type { ReporterInput } from '../../commands/submit-report.ts';
import { formatIsoInZone } from '../../domain/deadline/calendar.ts';
import { audienceOf, eventContentFor } from '../../presenters/report.ts';
import type { ZoneName } from '../../domain/report/report.ts';
import {
  dateLabel,
  dateTimeLabel,
  privacyLabel,
  StaffDeadline,
  staffNav,
  type FormState,
  STAFF_STYLES,
} from './common.tsx';
import { ActionForms, type Reference } from './report-actions.tsx';
import { AssignForm, type AssignOptions } from './assign-form.tsx';
import { VerificationAids, type RoutingPick, type VerificationAidsProps } from './verification-aids.tsx';
import type { RoutingSuggestion } from '../../commands/suggest-routing.ts';

/** The notice after a successful action: the generic one, or the pull-back's (the report is back in verification). */
export type ReportDone = boolean | 'pull_back' | 'escalate' | 'release';

/** Props of the report page. */
export interface ReportPageProps {
  ctx: PageContext;
  view: StaffReportView;
  reporter: ReporterInput | null;
  reference: Reference;
  /** The report's region and the regions above it, most specific first (empty without a region). */
  regionNames?: string[] | undefined;
  zone: ZoneName;
  /** False before the hand-off to the Ombudsman opens: no escalate form yet (`escalationOffer`). */
  escalationOpen?: boolean | undefined;
  form?: FormState | undefined;
  /** Set after a successful action (PRG target `?selesai=1`; a pull-back `?selesai=tarik` has its own notice). */
  done?: ReportDone | undefined;
  /** Assignment (handling staff and current assignee); the form renders when `editable`. */
  assign?: AssignOptions | undefined;
  /** Similar reports and routing suggestions (only for callers who may verify). */
  aids?: Omit<VerificationAidsProps, 'ctx' | 'trackingId'> | undefined;
  /** Suggested units for the dispose form (only for callers who may dispose, with a trained unit model). */
  unitSuggestions?: RoutingSuggestion<string>[] | undefined;
  /** Suggestions picked through the page's query (pre-select the verify, archive and dispose forms). */
  pick?: RoutingPick | undefined;
}

function Row({ label, children }: { label: string; children: preact.ComponentChildren }) {
  return (
    <div class="summary-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Events the deadline sweeper writes; their data names the clock, its due time and the ladder rung. */
const SWEEP_EVENTS = new Set(['reminder', 'overdue', 'escalate_ladder']);

/** The staff timeline: every event the caller may see, internal notes marked as such. */
function timelineItems(p: ReportPageProps, agencyName: (id: unknown) => string): TimelineItem[] {
  const { ctx, view, zone } = p;
  // Staff out of the report's scope read it as the public does (the JSON timeline alike): masked reporter texts, no
  // internal notes or data, no names of those who acted.
  const { viewInternal, viewReporter } = view.visible.permissions;
  const audience = audienceOf(view.visible);
  return view.timeline.map((e) => {
    const { body, data } = eventContentFor(e, audience, viewReporter);
    const who =
      e.actorRole === 'reporter'
        ? ctx.t('staff.report.actor_reporter')
        : e.actorRole?.startsWith('system:')
          ? ctx.t('staff.report.actor_system')
          : [
              e.actorUserId && viewInternal ? view.actorNames[e.actorUserId] : undefined,
              e.actorAgencyId ? agencyName(e.actorAgencyId) : undefined,
            ]
              .filter(Boolean)
              .join(', ') || undefined;
    const facts: string[] = [];
    if (data.agencyId) facts.push(agencyName(data.agencyId));
    if (data.toAgencyId) facts.push(`→ ${agencyName(data.toAgencyId)}`);
    if (data.reason) facts.push(ctx.t(`staff.archive.reasons.${String(data.reason)}`));
    if (data.duplicateOf ?? data.keptTrackingId) facts.push(String(data.duplicateOf ?? data.keptTrackingId));
    // A merge on the kept report: which duplicate was merged in, and how many supporters came with it.
    if (e.type === 'merge' && typeof data.mergedFrom === 'string')
      facts.push(
        ctx.t('staff.report.merged_from', {
          id: data.mergedFrom,
          n: typeof data.supportersMoved === 'number' ? data.supportersMoved : 0,
        }),
      );
    if (data.note) facts.push(String(data.note));
    // Staff intake: the anonim/rahasia flags are the citizen's answer to the recording officer's questions.
    if (e.type === 'submit' && data.privacyChoice === 'asked')
      facts.push(ctx.t('staff.report.privacy_asked'));
    // How the reporter consented to a hand-off staff recorded: it may name the reporter, so eventContentFor keeps it
    // only for those who may see the reporter (never an agency role on an anonim report).
    if (e.type === 'escalate' && typeof data.consentNote === 'string') facts.push(data.consentNote);
    // An auto-dispatch: how sure the model was, against the threshold it had to pass.
    const auto = data.autoDispatch as { confidence?: unknown; threshold?: unknown } | undefined;
    if (e.type === 'verify' && typeof auto?.confidence === 'number' && typeof auto.threshold === 'number')
      facts.push(
        ctx.t('staff.report.auto_dispatch_fact', {
          confidence: Math.round(auto.confidence * 1000) / 10,
          threshold: Math.round(auto.threshold * 1000) / 10,
        }),
      );
    if (data.final !== undefined)
      facts.push(ctx.t(data.final ? 'staff.respond.final' : 'staff.respond.interim'));
    // Deadline steps of the sweeper (reminder, overdue, escalation ladder): which clock, its due time, which rung.
    if (typeof data.clock === 'string' && SWEEP_EVENTS.has(e.type)) {
      facts.push(ctx.t(`staff.deadline.clock.${data.clock}`));
      if (typeof data.dueAt === 'string')
        facts.push(
          ctx.t('staff.report.sweep_due', {
            at: dateTimeLabel(ctx, formatIsoInZone(new Date(data.dueAt), zone), zone),
          }),
        );
      if (typeof data.level === 'number') facts.push(ctx.t('staff.report.sweep_level', { n: data.level }));
    }
    const internal = e.visibility === 'internal' ? `[${ctx.t('staff.report.internal')}] ` : '';
    return {
      key: String(e.seq),
      at: formatIsoInZone(e.createdAt, zone),
      atLabel: dateTimeLabel(ctx, formatIsoInZone(e.createdAt, zone), zone),
      label: `${internal}${ctx.t(`event.${e.type}`)}`,
      actor: who,
      body,
      explanation: facts.length ? facts.join(' · ') : undefined,
      files: filesNote(ctx, e),
      tone: e.actorRole === 'reporter' ? 'reporter' : 'agency',
    };
  });
}

/**
 * The text field of each form whose text would be lost when the whole action is refused, under the form's own field
 * name (`archiveNote`, `disposeNote`, `pullBackNote`: the names the forms post), and the permission that shows the
 * form again (`pullBack`: the pull-back form's own flag, not a policy action).
 */
const TEXT_FIELDS: Partial<
  Record<string, { field: string; form: keyof ReturnType<typeof permissionsNow> | 'pullBack' }>
> = {
  respond: { field: 'body', form: 'respond' },
  note: { field: 'noteBody', form: 'note' },
  hold: { field: 'question', form: 'hold' },
  return: { field: 'returnNote', form: 'return' },
  archive: { field: 'archiveNote', form: 'archive' },
  dispose: { field: 'disposeNote', form: 'dispose' },
  'pull-back': { field: 'pullBackNote', form: 'pullBack' },
  escalate: { field: 'note', form: 'escalate' },
};

/**
 * A refused action (409: the report changed meanwhile) whose form is no longer offered: the text the officer typed,
 * read-only, so it can be copied and is not lost with the form.
 */
function UnsentText(p: {
  ctx: PageContext;
  form: FormState;
  shown: ReturnType<typeof permissionsNow> & { pullBack: boolean };
}): VNode | null {
  const spec = TEXT_FIELDS[p.form.action];
  const raw = spec ? p.form.values[spec.field] : undefined;
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!spec || !p.form.message || !text || p.shown[spec.form]) return null;
  return (
    <section class="unsent-text" aria-labelledby="unsent-h">
      <h2 id="unsent-h">{p.ctx.t('staff.report.unsent_title')}</h2>
      <label class="label" for="f-unsent">
        {p.ctx.t('staff.report.unsent_label')}
      </label>
      <textarea class="textarea" id="f-unsent" rows={6} readonly>
        {text}
      </textarea>
    </section>
  );
}

/** Who the report is assigned to; a deactivated account says so (it cannot sign in to work on it). */
function assigneeLabel(ctx: PageContext, assign: AssignOptions): string {
  const current = assign.staff.find((s) => s.id === assign.currentId);
  if (!current) return ctx.t('admin.assign.nobody');
  return current.disabled ? `${current.name} (${ctx.t('admin.users.disabled')})` : current.name;
}

/** The page. */
export function ReportPage(p: ReportPageProps): VNode {
  const { ctx, view, reporter, form } = p;
  const { report } = view.visible;
  // Forms appear only for what the caller may do and the status allows (nothing that would only answer 409).
  const now = permissionsNow(view.visible.permissions, report.row.status);
  // The escalate form only once the hand-off is open, as the API's `allowedActions` offers it.
  const permissions = { ...now, escalate: now.escalate && p.escalationOpen !== false };
  const row = report.row;
  const names = new Map(p.reference.agencies.map((a) => [a.id, a.name]));
  const agencyName = (id: unknown) => names.get(String(id)) ?? String(id);
  const category = p.reference.categories.find((c) => c.id === row.categoryId)?.name;
  const hasErrors = !!form && (Object.keys(form.errors).length > 0 || !!form.message);
  // A file sent with a step (a follow-up, the reporter's supplement or reply) names that step and its time.
  const sentWith = (seq: number | null) => {
    const e = seq === null ? undefined : view.timeline.find((x) => x.seq === seq);
    if (!e || e.type === 'attachment') return null;
    const at = dateTimeLabel(ctx, formatIsoInZone(e.createdAt, p.zone), p.zone);
    return ` · ${ctx.t('staff.report.attachment_with', { event: `${ctx.t(`event.${e.type}`)}, ${at}` })}`;
  };
  return (
    <Layout
      ctx={ctx}
      title={ctx.t('staff.report.title', { id: row.trackingId })}
      nav={staffNav(ctx, null)}
      stylesheets={STAFF_STYLES}
      hasErrors={hasErrors}
    >
      <a class="back-link" href="/kantor">
        {ctx.t('staff.report.back')}
      </a>
      {form ? <ErrorSummary ctx={ctx} errors={form.errors} message={form.message} /> : null}
      {form ? (
        <UnsentText
          ctx={ctx}
          form={form}
          shown={{
            ...permissions,
            // The dispose form shows only with units to pick; the pull-back form only while it applies.
            dispose: permissions.dispose && view.units.length > 0,
            pullBack: view.pullBack,
          }}
        />
      ) : null}
      {p.done && !form ? (
        <p class="notice-ok" role="status">
          {ctx.t(
            p.done === 'pull_back'
              ? 'staff.report.done_pull_back'
              : p.done === 'escalate'
                ? 'staff.report.done_escalate'
                : p.done === 'release'
                  ? 'staff.report.inline_released'
                  : 'staff.report.done',
          )}
        </p>
      ) : null}
      <h1>
        {ctx.t('staff.report.title', { id: row.trackingId })}: {row.title}
      </h1>
      <p>
        <StatusTag ctx={ctx} status={row.status} />
      </p>

      <h2>{ctx.t('staff.report.details')}</h2>
      <dl class="summary-list">
        <Row label={ctx.t('staff.report.classification')}>
          {ctx.t(`staff.report.classification_name.${row.classification}`)}
        </Row>
        <Row label={ctx.t('staff.report.category')}>{category ?? ctx.t('staff.report.none')}</Row>
        <Row label={ctx.t('staff.report.region')}>
          {row.regionCode
            ? p.regionNames?.length
              ? `${p.regionNames.join(', ')} (${row.regionCode})`
              : row.regionCode
            : ctx.t('staff.report.none')}
        </Row>
        {row.address ? <Row label={ctx.t('staff.report.address')}>{row.address}</Row> : null}
        <Row label={ctx.t('staff.report.occurred_on')}>
          {row.occurredOn ? dateLabel(ctx, row.occurredOn) : ctx.t('staff.report.none')}
        </Row>
        <Row label={ctx.t('staff.report.channel')}>{ctx.t(`staff.report.channel_name.${row.channel}`)}</Row>
        <Row label={ctx.t('staff.report.received')}>
          {dateTimeLabel(ctx, formatIsoInZone(row.createdAt, p.zone), p.zone)}
        </Row>
        <Row label={ctx.t('staff.report.target_agency')}>
          {report.target?.name ?? ctx.t('staff.report.none')}
        </Row>
        <Row label={ctx.t('staff.report.agency')}>
          {report.agency?.name ?? ctx.t('staff.queue.unassigned')}
        </Row>
        {p.assign ? <Row label={ctx.t('admin.assign.current')}>{assigneeLabel(ctx, p.assign)}</Row> : null}
        <Row label={ctx.t('staff.report.privacy')}>{privacyLabel(ctx, row)}</Row>
        <Row label={ctx.t('staff.report.deadline')}>
          <StaffDeadline ctx={ctx} badge={view.badge} />
          {permissions.viewInternal && row.misroutedWorkingDays > 0 ? (
            <p class="hint">{ctx.t('staff.report.misrouted', { n: row.misroutedWorkingDays })}</p>
          ) : null}
        </Row>
        <Row label={ctx.t('staff.report.body')}>
          <span class="body-text">{row.body}</span>
        </Row>
      </dl>

      <h2>{ctx.t('staff.report.reporter')}</h2>
      {reporter ? (
        <div class="panel reporter-identity">
          <dl class="summary-list">
            {reporter.name ? <Row label={ctx.t('staff.report.name')}>{reporter.name}</Row> : null}
            {reporter.email ? <Row label={ctx.t('staff.report.email')}>{reporter.email}</Row> : null}
            {reporter.phone ? <Row label={ctx.t('staff.report.phone')}>{reporter.phone}</Row> : null}
            {reporter.nik ? <Row label={ctx.t('staff.report.nik')}>{reporter.nik}</Row> : null}
          </dl>
          <p class="hint">{ctx.t('staff.report.reporter_logged')}</p>
        </div>
      ) : (
        <p>
          {!permissions.viewReporter
            ? ctx.t(row.anonymous ? 'staff.report.reporter_hidden' : 'staff.report.reporter_not_yours')
            : ctx.t('staff.report.reporter_none')}
        </p>
      )}

      {permissions.verify && p.aids ? (
        <VerificationAids
          ctx={ctx}
          trackingId={row.trackingId}
          canArchive={permissions.archive}
          latestReturn={row.status === 'returned' ? view.returns.at(-1) : undefined}
          returnedBy={view.returnedBy}
          unstaffed={view.unstaffed}
          agencyName={(id) => agencyName(id)}
          zone={p.zone}
          {...p.aids}
        />
      ) : null}

      <h2>{ctx.t('staff.report.actions')}</h2>
      <ActionForms
        ctx={ctx}
        trackingId={row.trackingId}
        permissions={permissions}
        report={{
          status: row.status,
          classification: row.classification,
          categoryId: row.categoryId,
          agencyId: row.agencyId,
          targetAgencyId: row.targetAgencyId,
          anonymous: row.anonymous,
          confidential: row.confidential,
          supervisory: row.supervisory,
        }}
        units={view.units}
        unitSuggestions={p.unitSuggestions}
        reference={p.reference}
        form={form}
        prefill={p.pick ?? p.aids?.pick}
        returnedBy={view.returnedBy}
        unstaffed={view.unstaffed}
        pullBack={view.pullBack}
      />
      {p.assign?.editable ? (
        <AssignForm ctx={ctx} trackingId={row.trackingId} assign={p.assign} form={form} />
      ) : null}

      <h2>{ctx.t('staff.report.attachments')}</h2>
      {view.attachments.length === 0 ? (
        <p>{ctx.t('staff.report.attachments_none')}</p>
      ) : (
        <ul>
          {view.attachments.map((a) => (
            <li key={a.id}>
              <a href={`/api/v1/reports/${row.trackingId}/attachments/${a.id}`}>{a.filename}</a> ({a.mime},{' '}
              {Math.ceil(a.size / 1024)} KB){sentWith(a.eventSeq)}
              {a.emailInline ? (
                // An image from the email body (a signature logo, the sender's photo): on an anonim report withheld
                // from the agency until a verifier who may see the reporter releases it (docs/security.md).
                <>
                  {' '}
                  <strong>
                    {ctx.t(a.withheld ? 'staff.report.inline_withheld' : 'staff.report.inline_image')}
                  </strong>
                </>
              ) : null}
              {a.releasable ? (
                <form
                  method="post"
                  action={`/kantor/laporan/${row.trackingId}/lampiran/${a.id}/teruskan?lang=${ctx.lang}`}
                  class="inline-form"
                >
                  <input type="hidden" name="_csrf" value={ctx.csrf} />
                  <button type="submit" class="button button-secondary">
                    {ctx.t('staff.report.inline_release', { name: a.filename })}
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      )}

      {/* "Including internal notes" only for a viewer the timeline shows internal notes to (`timelineFor`): an agency
          that returned a report may still open it, without them. */}
      <h2>
        {ctx.t(
          view.visible.permissions.viewInternal ? 'staff.report.timeline' : 'staff.report.timeline_public',
        )}
      </h2>
      <Timeline ctx={ctx} items={timelineItems(p, agencyName)} />
      {/* The messages sent about the report (`/pengiriman`), for the staff the log is open to (those who may note). */}
      {view.visible.permissions.note ? (
        <p>
          <a href={`/kantor/laporan/${row.trackingId}/pengiriman?lang=${ctx.lang}`}>
            {ctx.t('staff.report.delivery_log')}
          </a>
        </p>
      ) : null}
    </Layout>
  );
}
