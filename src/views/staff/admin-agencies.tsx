/**
 * Administration home and the agency tree: the admin menu (with the missing-year holiday warning), the tree
 * of agencies the caller may manage, and one agency's page (rename, add a perangkat daerah or unit below it,
 * deactivate or reactivate).
 *
 * Accessibility notes: the tree is a table (name indented by depth, with the depth also in words for screen
 * readers via the kind column); every form has visible labels; action buttons name their target.
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Radios, TextInput } from '../components/fields.tsx';
import type { AdminAgency } from '../../queries/admin.ts';
import { errs, val } from './common.tsx';
import {
  ADMIN_SECTIONS,
  AdminLayout,
  adminBack,
  AdminTable,
  FormSection,
  type AdminPageProps,
} from './admin-common.tsx';

/** The admin home: sections the caller may use and the calendar warning. */
export function AdminHomePage(p: {
  ctx: PageContext;
  sections: string[];
  calendarWarning?: string | null | undefined;
}): VNode {
  const { ctx } = p;
  return (
    <AdminLayout ctx={ctx} title={ctx.t('admin.home.title')} h1>
      {p.calendarWarning ? (
        <div class="warning" role="note">
          <p>{p.calendarWarning}</p>
          <p>
            <a href="/kantor/admin/kalender">{ctx.t('admin.calendar.fix_link')}</a>
          </p>
        </div>
      ) : null}
      <ul class="admin-menu">
        {ADMIN_SECTIONS.filter(([path]) => p.sections.includes(path)).map(([path, key]) => (
          <li key={path}>
            <a href={`/kantor/admin/${path}`}>{ctx.t(`admin.${key}.title`)}</a>
            <p class="hint">{ctx.t(`admin.${key}.intro`)}</p>
          </li>
        ))}
      </ul>
    </AdminLayout>
  );
}

function AgencyName({ ctx, a }: { ctx: PageContext; a: AdminAgency }) {
  return (
    <>
      <a href={`/kantor/admin/instansi/${a.id}`}>{a.name}</a>
      {a.active ? null : <span class="state-inactive"> ({ctx.t('admin.inactive')})</span>}
    </>
  );
}

/** The agency tree the caller may manage. */
export function AgenciesPage(p: { ctx: PageContext; agencies: AdminAgency[] }): VNode {
  const { ctx } = p;
  const top = Math.min(...p.agencies.map((a) => a.depth), 0);
  return (
    <AdminLayout ctx={ctx} title={ctx.t('admin.agencies.title')} back={adminBack(ctx)} h1>
      <p class="lead">{ctx.t('admin.agencies.intro')}</p>
      <AdminTable
        caption={ctx.t('admin.agencies.caption', { count: p.agencies.length })}
        columns={['col_name', 'col_kind', 'col_region'].map((k) => ctx.t(`admin.agencies.${k}`))}
      >
        {p.agencies.map((a) => (
          <tr key={a.id}>
            <td class={`indent-${Math.min(3, Math.max(0, a.depth - top))}`}>
              <AgencyName ctx={ctx} a={a} />
            </td>
            <td>{ctx.t(`admin.kind.${a.kind}`)}</td>
            <td>{a.regionCode ?? '–'}</td>
          </tr>
        ))}
      </AdminTable>
    </AdminLayout>
  );
}

/** One agency: rename, add a child, (de)activate. */
export function AgencyPage(
  p: AdminPageProps & {
    agency: AdminAgency;
    children: AdminAgency[];
  },
): VNode {
  const { ctx, agency: a, form } = p;
  const base = `/kantor/admin/instansi/${a.id}`;
  const re = errs(form, 'rename');
  const add = errs(form, 'add');
  return (
    <AdminLayout
      ctx={ctx}
      title={a.name}
      form={form}
      notice={p.notice}
      back={{ href: '/kantor/admin/instansi', label: ctx.t('admin.agencies.back') }}
      h1
    >
      <p>
        {ctx.t(`admin.kind.${a.kind}`)} · {a.active ? ctx.t('admin.active') : ctx.t('admin.inactive')}
      </p>
      {p.children.length ? (
        <>
          <h2>{ctx.t('admin.agencies.children')}</h2>
          <ul>
            {p.children.map((c) => (
              <li key={c.id}>
                <AgencyName ctx={ctx} a={c} />
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <FormSection
        ctx={ctx}
        id="h-rename"
        heading={ctx.t('admin.agencies.rename')}
        action={`${base}/ubah`}
        submit={ctx.t('admin.save')}
      >
        <TextInput
          ctx={ctx}
          name="name"
          label={ctx.t('admin.agencies.name')}
          value={val(form, 'rename', 'name') ?? a.name}
          error={re.name}
        />
        <TextInput
          ctx={ctx}
          name="shortName"
          label={ctx.t('admin.agencies.short_name')}
          hint={ctx.t('admin.optional')}
          value={val(form, 'rename', 'shortName') ?? a.shortName ?? ''}
          error={re.shortName}
        />
      </FormSection>

      {a.active ? (
        <FormSection
          ctx={ctx}
          id="h-add"
          heading={ctx.t('admin.agencies.add')}
          action={`${base}/tambah`}
          submit={ctx.t('admin.agencies.add_submit')}
        >
          <TextInput
            ctx={ctx}
            name="childName"
            label={ctx.t('admin.agencies.child_name')}
            value={val(form, 'add', 'childName')}
            error={add.childName}
          />
          <TextInput
            ctx={ctx}
            name="childShortName"
            label={ctx.t('admin.agencies.short_name')}
            hint={ctx.t('admin.optional')}
            value={val(form, 'add', 'childShortName')}
            error={add.childShortName}
          />
          <Radios
            ctx={ctx}
            name="kind"
            legend={ctx.t('admin.agencies.child_kind')}
            value={val(form, 'add', 'kind') ?? 'unit'}
            options={['unit', 'perangkat_daerah'].map((k) => ({
              value: k,
              label: ctx.t(`admin.kind.${k}`),
            }))}
            error={add.kind}
          />
        </FormSection>
      ) : null}

      <FormSection
        ctx={ctx}
        id="h-status"
        heading={ctx.t('admin.agencies.status')}
        hint={ctx.t(a.active ? 'admin.agencies.deactivate_hint' : 'admin.agencies.activate_hint')}
        action={`${base}/status`}
        submit={ctx.t(a.active ? 'admin.deactivate' : 'admin.activate')}
        variant={a.active ? 'warning' : 'secondary'}
      >
        <input type="hidden" name="active" value={a.active ? 'false' : 'true'} />
      </FormSection>
    </AdminLayout>
  );
}
