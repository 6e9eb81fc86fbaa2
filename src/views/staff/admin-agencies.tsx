/**
 * Administration home and the agency tree: the admin menu (with the missing-year holiday warning), the tree
 * of agencies the caller may manage (with the national admin's "add an agency" form: top level or below any agency,
 * any kind, region code, time zone and coordinator flag), and one agency's page (its parent, region, zone,
 * coordinator flag and the people holding roles in it; rename, correct its region and time zone, add an agency below
 * it, mark it as coordinator, deactivate or reactivate). An Ombudsman branch shows no forms to anyone but the national
 * admin; a kementerian/lembaga branch none to the coordinator of its region (a read-only note says why).
 *
 * Accessibility notes: the tree is a table (name indented by depth, with the depth also in words for screen
 * readers via the kind column); every form has visible labels; action buttons name their target.
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Checkboxes, Radios, Select, TextInput } from '../components/fields.tsx';
import type { AdminAgency } from '../../queries/admin.ts';
import type { AgencyDetail } from '../../queries/agency-admin.ts';
import { AGENCY_KINDS } from '../../domain/report/report.ts';
import { zoneForRegion } from '../../domain/deadline/calendar.ts';
import { inCentralBranch } from '../../policies/agency-branch.ts';
import { errs, val } from './common.tsx';
import {
  ADMIN_SECTIONS,
  AdminLayout,
  adminBack,
  AdminTable,
  FormSection,
  RowActionForm,
  type AdminPageProps,
} from './admin-common.tsx';

/** The admin home: sections the caller may use and the calendar warning. */
export function AdminHomePage(p: {
  ctx: PageContext;
  sections: string[];
  calendarWarning?: string | null | undefined;
  /** The administration log is offered (national admin and coordinators). */
  auditLog?: boolean | undefined;
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
        {p.auditLog ? (
          <li>
            <a href="/kantor/admin/log">{ctx.t('audit.title')}</a>
            <p class="hint">{ctx.t('audit.intro')}</p>
          </li>
        ) : null}
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

const ZONES = ['WIB', 'WITA', 'WIT'] as const;

function kindOptions(ctx: PageContext, kinds: readonly string[]) {
  return kinds.map((k) => ({ value: k, label: ctx.t(`admin.kind.${k}`) }));
}

function zoneOptions() {
  return ZONES.map((z) => ({ value: z, label: z }));
}

/** The zone chosen for the agency when it differs from its region's own; '' (automatic) otherwise. */
function zoneOverride(d: AgencyDetail): string {
  const own = d.regionCode ? zoneForRegion(d.regionCode) : 'WIB';
  return d.zone === own ? '' : d.zone;
}

/** The national admin's "add an agency" form: top level or below any active agency. */
function CreateAgencyForm(p: AdminPageProps & { parents: AdminAgency[] }): VNode {
  const { ctx, form } = p;
  const e = errs(form, 'create');
  const v = (name: string) => val(form, 'create', name);
  const top = Math.min(...p.parents.map((a) => a.depth), 0);
  return (
    <FormSection
      ctx={ctx}
      id="h-create"
      heading={ctx.t('admin.agencies.create')}
      hint={ctx.t('admin.agencies.create_hint')}
      action="/kantor/admin/instansi"
      submit={ctx.t('admin.agencies.create_submit')}
    >
      <TextInput
        ctx={ctx}
        name="name"
        label={ctx.t('admin.agencies.name')}
        value={v('name')}
        error={e.name}
      />
      <TextInput
        ctx={ctx}
        name="shortName"
        label={ctx.t('admin.agencies.short_name')}
        hint={ctx.t('admin.optional')}
        value={v('shortName')}
        error={e.shortName}
      />
      <Select
        ctx={ctx}
        name="kind"
        label={ctx.t('admin.agencies.kind')}
        value={v('kind')}
        placeholder={ctx.t('admin.choose')}
        options={kindOptions(ctx, AGENCY_KINDS)}
        error={e.kind}
      />
      <Select
        ctx={ctx}
        name="parentId"
        label={ctx.t('admin.agencies.parent')}
        value={v('parentId') ?? ''}
        placeholder={ctx.t('admin.agencies.parent_top')}
        options={p.parents
          .filter((a) => a.active)
          .map((a) => ({ value: a.id, label: `${'\u2014 '.repeat(Math.max(0, a.depth - top))}${a.name}` }))}
        error={e.parentId}
      />
      <TextInput
        ctx={ctx}
        name="regionCode"
        label={ctx.t('admin.agencies.region_code')}
        hint={ctx.t('admin.agencies.region_hint')}
        value={v('regionCode')}
        error={e.regionCode}
      />
      <Select
        ctx={ctx}
        name="zone"
        label={ctx.t('admin.agencies.zone')}
        hint={ctx.t('admin.agencies.zone_hint')}
        value={v('zone') ?? ''}
        placeholder={ctx.t('admin.agencies.zone_auto')}
        options={zoneOptions()}
        error={e.zone}
      />
      <Checkboxes
        ctx={ctx}
        name="isCoordinator"
        legend={ctx.t('admin.agencies.coordinator')}
        hint={ctx.t('admin.agencies.coordinator_hint')}
        values={v('isCoordinator') === 'true' ? ['true'] : []}
        options={[{ value: 'true', label: ctx.t('admin.agencies.coordinator_option') }]}
        error={e.isCoordinator}
      />
    </FormSection>
  );
}

/** The agency tree the caller may manage; the national admin also gets the "add an agency" form. */
export function AgenciesPage(
  p: AdminPageProps & { agencies: AdminAgency[]; national?: boolean | undefined },
): VNode {
  const { ctx } = p;
  const top = Math.min(...p.agencies.map((a) => a.depth), 0);
  return (
    <AdminLayout
      ctx={ctx}
      title={ctx.t('admin.agencies.title')}
      form={p.form}
      notice={p.notice}
      back={adminBack(ctx)}
      h1
    >
      <p class="lead">{ctx.t('admin.agencies.intro')}</p>
      {p.national ? <p>{ctx.t('admin.agencies.intro_national')}</p> : null}
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
      {p.national ? <CreateAgencyForm ctx={ctx} form={p.form} parents={p.agencies} /> : null}
    </AdminLayout>
  );
}

/**
 * Parent, region, zone, coordinator flag and open reports of an agency. The parent is a link only when the viewer may
 * open its page (`parentLinked`: an agency admin's top agency has a parent outside its scope).
 */
function AgencyFacts({
  ctx,
  a,
  d,
  parentLinked,
}: {
  ctx: PageContext;
  a: AdminAgency;
  d: AgencyDetail;
  parentLinked: boolean;
}): VNode {
  const t = (k: string) => ctx.t(`admin.agencies.${k}`);
  return (
    <section class="admin-section" aria-labelledby="h-facts">
      <h2 id="h-facts">{t('facts')}</h2>
      <dl class="summary-list">
        <dt>{t('fact_kind')}</dt>
        <dd>{ctx.t(`admin.kind.${a.kind}`)}</dd>
        <dt>{t('fact_status')}</dt>
        <dd>{a.active ? ctx.t('admin.active') : ctx.t('admin.inactive')}</dd>
        <dt>{t('fact_parent')}</dt>
        <dd>
          {d.parent && parentLinked ? (
            <a href={`/kantor/admin/instansi/${d.parent.id}`}>{d.parent.name}</a>
          ) : d.parent ? (
            d.parent.name
          ) : (
            t('fact_parent_none')
          )}
        </dd>
        <dt>{t('fact_region')}</dt>
        <dd>{d.regionCode ?? t('fact_region_none')}</dd>
        <dt>{t('fact_zone')}</dt>
        <dd>{d.zone}</dd>
        <dt>{t('fact_coordinator')}</dt>
        <dd data-coordinator={d.isCoordinator ? 'true' : 'false'}>
          {d.isCoordinator ? t('coordinator_yes') : t('coordinator_no')}
        </dd>
        <dt>{t('fact_open_reports')}</dt>
        <dd>{d.openReports}</dd>
      </dl>
    </section>
  );
}

/** The people holding roles in the agency itself. */
function AgencyStaff({ ctx, d }: { ctx: PageContext; d: AgencyDetail }): VNode {
  const t = (k: string, params?: Record<string, string | number>) => ctx.t(`admin.agencies.${k}`, params);
  return (
    <section class="admin-section" aria-labelledby="h-staff">
      <h2 id="h-staff">{t('staff')}</h2>
      {d.staff.length === 0 ? (
        <p>{t('staff_none')}</p>
      ) : (
        <>
          <AdminTable
            caption={t('staff_caption', { count: d.staff.length })}
            columns={[t('col_person'), t('col_email'), t('col_role')]}
          >
            {d.staff.map((s) => (
              <tr key={`${s.userId}-${s.role}`} data-staff={s.email}>
                <td>
                  <a href={`/kantor/admin/pengguna/${s.userId}`}>{s.name}</a>
                </td>
                <td>{s.email}</td>
                <td>{ctx.t(`admin.role.${s.role}`)}</td>
              </tr>
            ))}
          </AdminTable>
          <p class="hint">{t('staff_manage')}</p>
        </>
      )}
    </section>
  );
}

/**
 * One agency: its facts and the people holding roles there; for those who may manage it, rename, add an agency
 * below it, (de)activate; for the national admin also the coordinator flag and any kind, region and zone for a child.
 */
export function AgencyPage(
  p: AdminPageProps & {
    agency: AdminAgency;
    children: AdminAgency[];
    detail: AgencyDetail;
    /** The caller may manage this agency (false for an Ombudsman branch unless national admin). */
    manageable: boolean;
    national: boolean;
    /** Whether the viewer may open the parent's page (it is in the viewer's scope). */
    parentLinked: boolean;
  },
): VNode {
  const { ctx, agency: a, form, detail: d } = p;
  const base = `/kantor/admin/instansi/${a.id}`;
  const re = errs(form, 'rename');
  const add = errs(form, 'add');
  const st = errs(form, 'status');
  const rg = errs(form, 'region');
  const staffCount = d.staff.length;
  return (
    <AdminLayout
      ctx={ctx}
      title={a.name}
      form={form}
      notice={p.notice}
      back={{ href: '/kantor/admin/instansi', label: ctx.t('admin.agencies.back') }}
      h1
    >
      <AgencyFacts ctx={ctx} a={a} d={d} parentLinked={p.parentLinked} />
      {p.manageable ? null : (
        <p
          class="warning"
          role="note"
          data-national-only={d.branchKinds.includes('ombudsman') ? 'ombudsman' : 'central'}
        >
          {ctx.t(
            d.branchKinds.includes('ombudsman') || !inCentralBranch(d.branchKinds)
              ? 'admin.agencies.national_only'
              : 'admin.agencies.central_only',
          )}
        </p>
      )}
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
      {p.manageable ? <AgencyStaff ctx={ctx} d={d} /> : null}

      {p.manageable ? (
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
      ) : null}

      {p.manageable ? (
        <FormSection
          ctx={ctx}
          id="h-region"
          heading={ctx.t('admin.agencies.region_edit')}
          hint={ctx.t(
            p.national ? 'admin.agencies.region_edit_hint' : 'admin.agencies.region_edit_hint_scoped',
          )}
          action={`${base}/wilayah`}
          submit={ctx.t('admin.save')}
        >
          <TextInput
            ctx={ctx}
            name="regionCode"
            label={ctx.t('admin.agencies.region_code')}
            hint={ctx.t('admin.agencies.region_edit_code_hint')}
            value={val(form, 'region', 'regionCode') ?? d.regionCode ?? ''}
            error={rg.regionCode}
          />
          <Select
            ctx={ctx}
            name="zone"
            label={ctx.t('admin.agencies.zone')}
            hint={ctx.t('admin.agencies.zone_hint')}
            value={val(form, 'region', 'zone') ?? zoneOverride(d)}
            placeholder={ctx.t('admin.agencies.zone_auto')}
            options={zoneOptions()}
            error={rg.zone}
          />
        </FormSection>
      ) : null}

      {p.manageable && p.national ? (
        <section class="admin-section" aria-labelledby="h-coordinator">
          <h2 id="h-coordinator">{ctx.t('admin.agencies.coordinator')}</h2>
          <p class="hint">{ctx.t('admin.agencies.coordinator_hint')}</p>
          <RowActionForm
            ctx={ctx}
            action={`${base}/koordinator`}
            fields={{ isCoordinator: d.isCoordinator ? 'false' : 'true' }}
            label={ctx.t(
              d.isCoordinator ? 'admin.agencies.coordinator_unset' : 'admin.agencies.coordinator_set',
            )}
            target={a.name}
            variant="secondary"
          />
        </section>
      ) : null}

      {p.manageable && a.active ? (
        <FormSection
          ctx={ctx}
          id="h-add"
          heading={ctx.t(p.national ? 'admin.agencies.add_any' : 'admin.agencies.add')}
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
          {p.national ? (
            <>
              <Select
                ctx={ctx}
                name="kind"
                label={ctx.t('admin.agencies.child_kind_any')}
                value={val(form, 'add', 'kind') ?? 'unit'}
                options={kindOptions(ctx, AGENCY_KINDS)}
                error={add.kind}
              />
              <TextInput
                ctx={ctx}
                name="childRegionCode"
                label={ctx.t('admin.agencies.child_region_code')}
                hint={ctx.t('admin.agencies.child_region_hint')}
                value={val(form, 'add', 'childRegionCode')}
                error={add.childRegionCode}
              />
              <Select
                ctx={ctx}
                name="childZone"
                label={ctx.t('admin.agencies.zone')}
                hint={ctx.t('admin.agencies.zone_hint')}
                value={val(form, 'add', 'childZone') ?? ''}
                placeholder={ctx.t('admin.agencies.zone_auto')}
                options={zoneOptions()}
                error={add.childZone}
              />
              <Checkboxes
                ctx={ctx}
                name="childIsCoordinator"
                legend={ctx.t('admin.agencies.coordinator')}
                values={val(form, 'add', 'childIsCoordinator') === 'true' ? ['true'] : []}
                options={[{ value: 'true', label: ctx.t('admin.agencies.coordinator_option') }]}
                error={add.childIsCoordinator}
              />
            </>
          ) : (
            <Radios
              ctx={ctx}
              name="kind"
              legend={ctx.t('admin.agencies.child_kind')}
              value={val(form, 'add', 'kind') ?? 'unit'}
              options={kindOptions(ctx, ['unit', 'perangkat_daerah'])}
              error={add.kind}
            />
          )}
        </FormSection>
      ) : null}

      {p.manageable ? (
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
          {a.active && staffCount > 0 ? (
            <>
              <p class="warning" data-staff-count={staffCount}>
                {ctx.t('admin.agencies.deactivate_staff_hint', { count: staffCount })}
              </p>
              <Checkboxes
                ctx={ctx}
                name="confirmStaff"
                legend={ctx.t('admin.agencies.confirm_staff')}
                values={[]}
                options={[
                  {
                    value: 'yes',
                    label: ctx.t('admin.agencies.confirm_staff_option', { count: staffCount }),
                  },
                ]}
                error={st.confirmStaff}
              />
            </>
          ) : null}
        </FormSection>
      ) : null}
    </AdminLayout>
  );
}
