/**
 * "Assign to an officer" on the back-office report page: a select of the officers and agency admins of the
 * handling unit or agency (plus "nobody"), posted to `/kantor/laporan/:id/assign`. Shown only to callers who
 * may dispose the report (the handling agency's admin, the national admin).
 *
 * Accessibility notes: a labelled native select inside its own section with an h3, like the other actions.
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Button } from '../components/button.tsx';
import { Select } from '../components/fields.tsx';
import { errs, val, type FormState } from './common.tsx';

/** Who the report can be assigned to, and who has it now. */
export interface AssignOptions {
  /** `disabled`: a deactivated account, shown as the current assignee but never offered. */
  staff: Array<{ id: string; name: string; role: string; disabled?: boolean }>;
  currentId: string | null;
  /** The caller may change the assignment (otherwise only the current assignee is shown). */
  editable: boolean;
}

/** The assign form. */
export function AssignForm(p: {
  ctx: PageContext;
  trackingId: string;
  assign: AssignOptions;
  form?: FormState | undefined;
}): VNode {
  const { ctx } = p;
  const e = errs(p.form, 'assign');
  return (
    <section class="staff-action" aria-labelledby="h-assign">
      <h3 id="h-assign">{ctx.t('admin.assign.heading')}</h3>
      <form method="post" action={`/kantor/laporan/${p.trackingId}/assign?lang=${ctx.lang}`} novalidate>
        <input type="hidden" name="_csrf" value={ctx.csrf} />
        <Select
          ctx={ctx}
          name="assignee"
          label={ctx.t('admin.assign.label')}
          hint={ctx.t('admin.assign.hint')}
          value={val(p.form, 'assign', 'assignee') ?? p.assign.currentId ?? ''}
          placeholder={ctx.t('admin.assign.nobody')}
          options={p.assign.staff
            .filter((s) => !s.disabled)
            .map((s) => ({
              value: s.id,
              label: `${s.name} (${ctx.t(`admin.role.${s.role}`)})`,
            }))}
          error={e.assignee}
        />
        <Button>{ctx.t('admin.assign.submit')}</Button>
      </form>
    </section>
  );
}
