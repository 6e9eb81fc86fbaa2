/**
 * The action forms of the back-office report page: verify/dispatch (with the agency tree picker and privacy
 * flags), hold, archive, dispose, return (bukan wewenang), follow-up with attachments, and internal notes.
 * Each form is shown only when `permissions` (from `permissionsFor`) allows its action, and each posts with
 * the `_csrf` field to `/kantor/laporan/:id/<action>`. A verifier may also pull a dispatch back to verification
 * while the agency has not acted on it ("Tarik kembali ke verifikasi", `pullBack`).
 *
 * Accessibility notes:
 * - One `<section>` with an h3 per form; field ids are prefixed per form so labels and error links stay unique.
 * - Errors of the failed form are shown inline and in the page's error summary.
 */
import { SuggestionList, type RoutingPick } from './verification-aids.tsx';
import type { RoutingSuggestion } from '../../commands/suggest-routing.ts';
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Button } from '../components/button.tsx';
import {
  Checkboxes,
  describedBy,
  FieldFrame,
  Radios,
  Select,
  Textarea,
  TextInput,
} from '../components/fields.tsx';
import { TreeSelect, type TreeGroup } from '../components/tree-select.tsx';
import { handlesReports, ARCHIVE_REASONS, CLASSIFICATIONS } from '../../domain/report/report.ts';
import type { PolicyAction } from '../../policies/can.ts';
import type { UnitOption } from '../../queries/back-office.ts';
import { errs, val, type FormState } from './common.tsx';

/** Agencies and categories as flat lists ordered depth-first. */
export interface Reference {
  agencies: Array<{ id: string; name: string; parentId: string | null; kind: string }>;
  categories: Array<{ id: number; name: string; parentId: number | null }>;
}

/**
 * Builds optgroups from a depth-first list with parent ids: one group per root, or, with `groupOf`, one group per
 * label it gives (items of one label must be contiguous; an item whose parent is not listed is a root, depth 0).
 */
export function treeGroups<T extends string | number, I extends { id: T; name: string; parentId: T | null }>(
  items: readonly I[],
  groupOf?: (item: I) => string,
): TreeGroup[] {
  const depth = new Map<T, number>();
  const groups: TreeGroup[] = [];
  const rootOf = new Map<T, TreeGroup>();
  for (const i of items) {
    const d = i.parentId !== null && depth.has(i.parentId) ? depth.get(i.parentId)! + 1 : 0;
    depth.set(i.id, d);
    const label = groupOf ? groupOf(i) : i.name;
    let group = groupOf
      ? groups.at(-1)?.label === label
        ? groups.at(-1)
        : undefined
      : d === 0
        ? undefined
        : rootOf.get(i.parentId as T);
    if (!group) {
      group = { label, options: [] };
      groups.push(group);
    }
    rootOf.set(i.id, group);
    group.options.push({ value: String(i.id), label: i.name, depth: d });
  }
  return groups;
}

/** Categories ordered parent first, then its subcategories (the reference list is ordered by parent id). */
export function categoryTree(categories: Reference['categories']): Reference['categories'] {
  const tops = categories.filter((c) => c.parentId === null);
  return tops.flatMap((top) => [top, ...categories.filter((c) => c.parentId === top.id)]);
}

/**
 * The agencies a return may name as the right one: not the agency returning it. That is the handler, its units, and,
 * when a unit holds the report, the units above it and the agency they belong to.
 */
export function otherThanHandler<T extends { id: string; parentId: string | null; kind: string }>(
  agencies: readonly T[],
  handlerId: string | null,
): T[] {
  if (!handlerId) return [...agencies];
  const byId = new Map(agencies.map((a) => [a.id, a]));
  let top = byId.get(handlerId);
  while (top?.kind === 'unit' && top.parentId && byId.has(top.parentId)) top = byId.get(top.parentId);
  const root = top?.id ?? handlerId;
  const under = (a: T): boolean => {
    for (let x: T | undefined = a; x; x = x.parentId ? byId.get(x.parentId) : undefined)
      if (x.id === root) return true;
    return false;
  };
  return agencies.filter((a) => !under(a));
}

/** Props of the action forms. */
export interface ActionFormsProps {
  ctx: PageContext;
  trackingId: string;
  permissions: Record<PolicyAction, boolean>;
  report: {
    status: string;
    classification: string;
    categoryId: number | null;
    agencyId: string | null;
    targetAgencyId: string | null;
    anonymous: boolean;
    confidential: boolean;
    supervisory: boolean;
  };
  units: UnitOption[];
  /** Suggested units for the dispose form (`suggestUnits`), best first; none without a trained unit model. */
  unitSuggestions?: RoutingSuggestion<string>[] | undefined;
  reference: Reference;
  form?: FormState | undefined;
  /** A routing suggestion the verifier picked (pre-selects the verify form's classification / agency / category). */
  prefill?: RoutingPick | undefined;
  /** Agencies that returned this report themselves (marked in the verify form; confirming is required). */
  returnedBy?: readonly string[] | undefined;
  /** Agencies nobody could handle a report in (marked in the verify form; confirming is required). */
  unstaffed?: readonly string[] | undefined;
  /** The caller may pull the current dispatch back to verification (the "Tarik kembali" form). */
  pullBack?: boolean | undefined;
}

function FormShell(p: {
  ctx: PageContext;
  trackingId: string;
  action: string;
  heading: string;
  multipart?: boolean;
  children: preact.ComponentChildren;
}): VNode {
  return (
    <section class="staff-action" aria-labelledby={`h-${p.action}`}>
      <h3 id={`h-${p.action}`}>{p.heading}</h3>
      <form
        method="post"
        action={`/kantor/laporan/${p.trackingId}/${p.action}?lang=${p.ctx.lang}`}
        enctype={p.multipart ? 'multipart/form-data' : undefined}
        novalidate
      >
        <input type="hidden" name="_csrf" value={p.ctx.csrf} />
        {p.children}
      </form>
    </section>
  );
}

/** The classification radio group (verify form, walk-in form). */
export function ClassificationRadios(p: {
  ctx: PageContext;
  legend: string;
  value: string;
  error?: string | undefined;
}): VNode {
  const { ctx } = p;
  return (
    <Radios
      ctx={ctx}
      name="classification"
      legend={p.legend}
      value={p.value}
      error={p.error}
      options={CLASSIFICATIONS.map((c) => ({
        value: c,
        label: ctx.t(`staff.report.classification_name.${c}`),
      }))}
    />
  );
}

/** A form of one text area and a submit button (hold, return, internal note). */
function TextareaForm(p: {
  ctx: PageContext;
  trackingId: string;
  form: FormState | undefined;
  action: string;
  field: string;
  /** Locale prefix with `heading`, the field's label key and `submit`. */
  keys: { prefix: string; label: string };
  variant: 'primary' | 'secondary' | 'warning';
}): VNode {
  const { ctx, form, action, field } = p;
  return (
    <FormShell
      ctx={ctx}
      trackingId={p.trackingId}
      action={action}
      heading={ctx.t(`${p.keys.prefix}.heading`)}
    >
      <Textarea
        ctx={ctx}
        name={field}
        label={ctx.t(`${p.keys.prefix}.${p.keys.label}`)}
        rows={3}
        value={val(form, action, field)}
        error={errs(form, action)[field]}
      />
      <Button variant={p.variant}>{ctx.t(`${p.keys.prefix}.submit`)}</Button>
    </FormShell>
  );
}

/** Every form the caller may use on this report. */
export function ActionForms(p: ActionFormsProps): VNode {
  const { ctx, permissions: can, form, report } = p;
  const shell = { ctx, trackingId: p.trackingId };
  // Dispatch targets: every agency that handles reports (not the Ombudsman, reached by escalation only). The same
  // list is what a return may name as the right agency (`requireHandlingAgency`).
  const targets = p.reference.agencies.filter((a) => handlesReports(a.kind));
  const returnedBy = new Set(p.returnedBy ?? []);
  const unstaffed = new Set(p.unstaffed ?? []);
  // In the verify form, agencies that returned the report or have nobody to handle it say so in their option.
  const agencyGroups = treeGroups(
    targets.map((a) => {
      const notes = [
        ...(returnedBy.has(a.id) ? [ctx.t('staff.suggest.returned')] : []),
        ...(unstaffed.has(a.id) ? [ctx.t('staff.suggest.unstaffed')] : []),
      ];
      return notes.length ? { ...a, name: `${a.name} (${notes.join('; ')})` } : a;
    }),
  );
  const categoryGroups = treeGroups(categoryTree(p.reference.categories));
  const sentFlags = (): string[] => {
    const v = form?.values.flags;
    return Array.isArray(v) ? v : v ? [v] : [];
  };
  const checked = (action: string, name: string, current: boolean) =>
    form && form.action === action ? sentFlags().includes(name) : current;
  const out: VNode[] = [];

  if (can.verify) {
    const e = errs(form, 'verify');
    const agencyValue =
      val(form, 'verify', 'agencyId') ?? p.prefill?.agencyId ?? report.targetAgencyId ?? undefined;
    const named = (ids: Iterable<string>) =>
      [...ids].map((id) => p.reference.agencies.find((a) => a.id === id)?.name ?? id).join(', ');
    const confirmed = (name: string) => (val(form, 'verify', name) === '1' ? ['1'] : []);
    // The confirmations show when they may be needed: the report came back from an agency, or the chosen agency (or
    // the one the last attempt was refused for) has nobody to handle it.
    const askRedispatch = returnedBy.size > 0 || !!e.confirmRedispatch;
    const askUnstaffed = (!!agencyValue && unstaffed.has(agencyValue)) || !!e.confirmUnstaffed;
    const privacy = [
      ...(checked('verify', 'anonymous', report.anonymous) ? ['anonymous'] : []),
      ...(checked('verify', 'confidential', report.confidential) ? ['confidential'] : []),
      ...(checked('verify', 'supervisory', report.supervisory) ? ['supervisory'] : []),
    ];
    out.push(
      <FormShell {...shell} action="verify" heading={ctx.t('staff.verify.heading')}>
        <ClassificationRadios
          ctx={ctx}
          legend={ctx.t('staff.verify.classification')}
          value={val(form, 'verify', 'classification') ?? p.prefill?.classification ?? report.classification}
          error={e.classification}
        />
        <TreeSelect
          ctx={ctx}
          name="categoryId"
          label={ctx.t('staff.verify.category')}
          placeholder={ctx.t('staff.verify.category_placeholder')}
          value={
            val(form, 'verify', 'categoryId') ??
            p.prefill?.categoryId ??
            (report.categoryId ? String(report.categoryId) : undefined)
          }
          error={e.categoryId}
          groups={categoryGroups}
        />
        <TreeSelect
          ctx={ctx}
          name="agencyId"
          label={ctx.t('staff.verify.agency')}
          hint={ctx.t('staff.verify.agency_hint')}
          placeholder={ctx.t('staff.verify.agency_placeholder')}
          filterLabel={ctx.t('staff.verify.agency_filter')}
          value={agencyValue}
          error={e.agencyId}
          groups={agencyGroups}
        />
        {askRedispatch ? (
          <Checkboxes
            ctx={ctx}
            name="confirmRedispatch"
            legend={ctx.t('staff.verify.confirm_redispatch_legend')}
            hint={ctx.t('staff.verify.confirm_redispatch_hint', { agencies: named(returnedBy) })}
            error={e.confirmRedispatch}
            values={confirmed('confirmRedispatch')}
            options={[{ value: '1', label: ctx.t('staff.verify.confirm_redispatch') }]}
          />
        ) : null}
        {askUnstaffed ? (
          <div class="warning" role="note" data-slot="unstaffed-warning">
            <Checkboxes
              ctx={ctx}
              name="confirmUnstaffed"
              legend={ctx.t('staff.verify.confirm_unstaffed_legend')}
              hint={ctx.t('staff.verify.confirm_unstaffed_hint')}
              error={e.confirmUnstaffed}
              values={confirmed('confirmUnstaffed')}
              options={[{ value: '1', label: ctx.t('staff.verify.confirm_unstaffed') }]}
            />
          </div>
        ) : null}
        <Checkboxes
          ctx={ctx}
          name="flags"
          legend={ctx.t('staff.verify.privacy')}
          hint={can.setPrivacy ? ctx.t('staff.verify.privacy_hint') : undefined}
          error={e.flags}
          values={privacy}
          options={[
            ...(can.setPrivacy
              ? [
                  { value: 'anonymous', label: ctx.t('staff.verify.anonymous') },
                  { value: 'confidential', label: ctx.t('staff.verify.confidential') },
                ]
              : []),
            { value: 'supervisory', label: ctx.t('staff.verify.supervisory') },
          ]}
        />
        <Button>{ctx.t('staff.verify.submit')}</Button>
      </FormShell>,
    );
  }
  if (can.hold) {
    out.push(
      <TextareaForm
        {...shell}
        form={form}
        action="hold"
        field="question"
        keys={{ prefix: 'staff.hold', label: 'question' }}
        variant="secondary"
      />,
    );
  }
  if (can.archive) {
    const e = errs(form, 'archive');
    out.push(
      <FormShell {...shell} action="archive" heading={ctx.t('staff.archive.heading')}>
        <Select
          ctx={ctx}
          name="reason"
          label={ctx.t('staff.archive.reason')}
          placeholder={ctx.t('staff.archive.reason_placeholder')}
          value={val(form, 'archive', 'reason') ?? (p.prefill?.duplicateOf ? 'duplicate' : undefined)}
          error={e.reason}
          options={ARCHIVE_REASONS.map((r) => ({ value: r, label: ctx.t(`staff.archive.reasons.${r}`) }))}
        />
        <TextInput
          ctx={ctx}
          name="duplicateOf"
          label={ctx.t('staff.archive.duplicate_of')}
          hint={ctx.t('staff.archive.duplicate_of_hint')}
          inputmode="numeric"
          width="short"
          value={val(form, 'archive', 'duplicateOf') ?? p.prefill?.duplicateOf}
          error={e.duplicateOf}
        />
        <Textarea
          ctx={ctx}
          name="archiveNote"
          label={ctx.t('staff.archive.note')}
          rows={2}
          value={val(form, 'archive', 'archiveNote')}
          error={e.archiveNote}
        />
        <Button variant="warning">{ctx.t('staff.archive.submit')}</Button>
      </FormShell>,
    );
  }
  if (can.dispose && p.units.length > 0) {
    const e = errs(form, 'dispose');
    out.push(
      <FormShell {...shell} action="dispose" heading={ctx.t('staff.dispose.heading')}>
        {p.unitSuggestions?.length ? (
          <div class="routing-suggestions" data-slot="unit-suggestions">
            {/* One candidate left (the model knows only one of the offered units) is 100 % by construction: the
                confidence is conditional on the offered units, so it compares nothing and is not shown. */}
            <p class="hint">
              {ctx.t(
                p.unitSuggestions.length === 1
                  ? 'staff.dispose.suggested_single_hint'
                  : 'staff.dispose.suggested_hint',
              )}
            </p>
            <SuggestionList
              ctx={ctx}
              kind="unit"
              level={4}
              heading={ctx.t('staff.dispose.suggested')}
              items={p.unitSuggestions}
              hideConfidence={p.unitSuggestions.length === 1}
              chosen={p.prefill?.unitId}
              href={(id) =>
                `/kantor/laporan/${p.trackingId}?unit=${encodeURIComponent(id)}&lang=${ctx.lang}#h-dispose`
              }
            />
          </div>
        ) : null}
        <TreeSelect
          ctx={ctx}
          name="unitId"
          label={ctx.t('staff.dispose.unit')}
          placeholder={ctx.t('staff.dispose.unit_placeholder')}
          value={val(form, 'dispose', 'unitId') ?? p.prefill?.unitId}
          error={e.unitId}
          groups={[
            {
              label: ctx.t('staff.dispose.unit'),
              options: p.units.map((u) => ({ value: u.id, label: u.name, depth: u.depth })),
            },
          ]}
        />
        <Textarea
          ctx={ctx}
          name="disposeNote"
          label={ctx.t('staff.dispose.note')}
          rows={2}
          value={val(form, 'dispose', 'disposeNote')}
          error={e.disposeNote}
        />
        <Button>{ctx.t('staff.dispose.submit')}</Button>
      </FormShell>,
    );
  }
  if (can.respond) {
    const e = errs(form, 'respond');
    // While the reporter reviews a final follow-up, only a corrected final may be posted (lifecycle.ts).
    const finalOnly = report.status === 'responded';
    out.push(
      <FormShell {...shell} action="respond" heading={ctx.t('staff.respond.heading')} multipart>
        <Textarea
          ctx={ctx}
          name="body"
          label={ctx.t('staff.respond.body')}
          value={val(form, 'respond', 'body')}
          error={e.body}
        />
        <Radios
          ctx={ctx}
          name="kind"
          legend={ctx.t('staff.respond.kind')}
          value={val(form, 'respond', 'kind') ?? (finalOnly ? 'final' : 'interim')}
          error={e.kind}
          hint={finalOnly ? ctx.t('staff.respond.final_only_hint') : undefined}
          options={[
            ...(finalOnly ? [] : [{ value: 'interim', label: ctx.t('staff.respond.interim') }]),
            { value: 'final', label: ctx.t('staff.respond.final') },
          ]}
        />
        <FieldFrame
          ctx={ctx}
          id="f-file"
          label={ctx.t('staff.respond.files')}
          hint={ctx.t('staff.respond.files_hint')}
          error={e.file}
        >
          <input
            class="file-input"
            id="f-file"
            name="file"
            type="file"
            multiple
            accept="image/jpeg,image/png,image/webp,application/pdf"
            aria-describedby={describedBy('f-file', 'hint', e.file)}
          />
        </FieldFrame>
        <Button>{ctx.t('staff.respond.submit')}</Button>
      </FormShell>,
    );
  }
  if (can.return) {
    const e = errs(form, 'return');
    out.push(
      <FormShell {...shell} action="return" heading={ctx.t('staff.return.heading')}>
        <Textarea
          ctx={ctx}
          name="returnNote"
          label={ctx.t('staff.return.note')}
          rows={3}
          value={val(form, 'return', 'returnNote')}
          error={e.returnNote}
        />
        <TreeSelect
          ctx={ctx}
          name="suggestedAgencyId"
          label={ctx.t('staff.return.suggested_agency')}
          hint={ctx.t('staff.return.suggested_hint')}
          placeholder={ctx.t('staff.return.suggested_none')}
          value={val(form, 'return', 'suggestedAgencyId')}
          error={e.suggestedAgencyId}
          groups={treeGroups(otherThanHandler(targets, report.agencyId))}
        />
        <Button variant="warning">{ctx.t('staff.return.submit')}</Button>
      </FormShell>,
    );
  }
  if (p.pullBack) {
    const e = errs(form, 'pull-back');
    out.push(
      <FormShell {...shell} action="pull-back" heading={ctx.t('staff.pull_back.heading')}>
        <p class="hint">{ctx.t('staff.pull_back.hint')}</p>
        <Textarea
          ctx={ctx}
          name="pullBackNote"
          label={ctx.t('staff.pull_back.note')}
          rows={3}
          value={val(form, 'pull-back', 'pullBackNote')}
          error={e.pullBackNote}
        />
        <Button variant="warning">{ctx.t('staff.pull_back.submit')}</Button>
      </FormShell>,
    );
  }
  // Hand-off to the Ombudsman on the reporter's consent given outside the system (phone, letter): the note records how.
  if (can.escalate) {
    const e = errs(form, 'escalate');
    const ticked = (name: string) => (val(form, 'escalate', name) === '1' ? ['1'] : []);
    out.push(
      <FormShell {...shell} action="escalate" heading={ctx.t('staff.escalate.heading')}>
        <p class="hint">{ctx.t('staff.escalate.hint')}</p>
        <Checkboxes
          ctx={ctx}
          name="consent"
          legend={ctx.t('staff.escalate.consent_legend')}
          error={e.consent}
          values={ticked('consent')}
          options={[{ value: '1', label: ctx.t('staff.escalate.consent') }]}
        />
        <Textarea
          ctx={ctx}
          name="note"
          label={ctx.t('staff.escalate.note')}
          hint={ctx.t('staff.escalate.note_hint')}
          rows={3}
          value={val(form, 'escalate', 'note')}
          error={e.note}
        />
        {report.anonymous ? (
          <p class="hint">{ctx.t('staff.escalate.anonymous')}</p>
        ) : (
          <Checkboxes
            ctx={ctx}
            name="shareIdentity"
            legend={ctx.t('staff.escalate.share_legend')}
            error={e.shareIdentity}
            values={ticked('shareIdentity')}
            options={[{ value: '1', label: ctx.t('staff.escalate.share') }]}
          />
        )}
        <Button variant="warning">{ctx.t('staff.escalate.submit')}</Button>
      </FormShell>,
    );
  }
  if (can.note) {
    out.push(
      <TextareaForm
        {...shell}
        form={form}
        action="note"
        field="noteBody"
        keys={{ prefix: 'staff.note', label: 'body' }}
        variant="secondary"
      />,
    );
  }
  if (out.length === 0) return <p>{ctx.t('staff.report.no_actions')}</p>;
  return <>{out}</>;
}
