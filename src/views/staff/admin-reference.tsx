/**
 * Administration of reference data: categories (searched and paged; the national admin adds, renames and
 * deactivates, everyone else with admin screens reads), the holiday calendar of a year
 * (national entries listed, regional holidays added or removed by coordinators for their region) and the SLA
 * rules (every version with its regulation reference and validity date; a new version is added, never edited).
 *
 * Accessibility notes: tables with captions; toggle/remove buttons carry the row's name in visually-hidden
 * text so every button has a distinct accessible name; the year switch is a plain GET form.
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Button } from '../components/button.tsx';
import { Checkboxes, Radios, Select, TextInput } from '../components/fields.tsx';
import { Pagination } from '../components/pagination.tsx';
import type { CategoryListRow } from '../../queries/category-search.ts';
import { CLASSIFICATIONS } from '../../domain/report/report.ts';
import { DAY_UNITS, SLA_CLOCKS, type SlaRule } from '../../domain/deadline/sla.ts';
import { dateLabel, errs, val, type FormState } from './common.tsx';
import {
  AdminLayout,
  adminBack,
  AdminTable,
  FormSection,
  PostForm,
  RowActionForm,
  type AdminPageProps,
} from './admin-common.tsx';

/** A category row: the list's rows come from `searchCategories` (src/queries/category-search.ts). */
export type CategoryRow = CategoryListRow;

/** The list's search as the URL carries it (`?q=&status=aktif|nonaktif&page=`). */
export interface CategoryFilters {
  q: string;
  status: '' | 'aktif' | 'nonaktif';
  page: number;
}

/** The URL values of the status filter, "all" first. */
export const CATEGORY_STATUS_FILTERS = ['', 'aktif', 'nonaktif'] as const;

/** The list's query parameters (empty ones and page 1 left out). */
function categoryParams(f: CategoryFilters, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  if (f.q) q.set('q', f.q);
  if (f.status) q.set('status', f.status);
  if (f.page > 1) q.set('page', String(f.page));
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * A path below the category list keeping its search: the list itself (`''`), a category's rename page
 * (`/12`) or a form action (`/12/status`), so that after a change the admin is back on the same search page.
 */
export function categoriesHref(f: CategoryFilters, sub = '', extra: Record<string, string> = {}): string {
  return `/kantor/admin/kategori${sub}${categoryParams(f, extra)}`;
}

/** "PEKERJAAN UMUM DAN PENATAAN RUANG › INFRASTRUKTUR JALAN": the ancestors' names, top first. */
function pathOf(ancestors: string[]): string {
  return ancestors.join(' › ');
}

/**
 * The category list: a GET search form (name words, case and accents ignored; status), "showing X–Y of Z", one
 * page of rows with their parent path and pagination. The national admin also gets the per-row rename link and
 * toggle and the add form, each keeping the search; everyone else with admin screens reads the list only.
 */
export function CategoriesPage(
  p: AdminPageProps & {
    categories: CategoryRow[];
    total: number;
    pageSize: number;
    filters: CategoryFilters;
    /** The national admin: forms and row actions; otherwise a read-only list with a note. */
    canEdit: boolean;
    /** Top-level categories offered as the parent of a new one (national admin only). */
    parents?: Array<{ id: number; name: string }>;
  },
): VNode {
  const { ctx, form, filters } = p;
  const e = errs(form, 'add');
  const searching = filters.q !== '' || filters.status !== '';
  const from = p.total === 0 ? 0 : (filters.page - 1) * p.pageSize + 1;
  const to = Math.min(p.total, filters.page * p.pageSize);
  const range = { from, to, total: p.total };
  const columns = [
    ctx.t('admin.categories.name'),
    ctx.t('admin.categories.parent'),
    ctx.t('admin.status'),
    ...(p.canEdit ? [ctx.t('admin.actions')] : []),
  ];
  return (
    <AdminLayout
      ctx={ctx}
      title={ctx.t('admin.categories.title')}
      form={form}
      notice={p.notice}
      back={adminBack(ctx)}
      h1
    >
      {p.canEdit ? null : (
        <p class="lead" data-read-only>
          {ctx.t('admin.categories.national_only')}
        </p>
      )}
      <form
        method="get"
        action="/kantor/admin/kategori"
        class="sort-form"
        role="search"
        aria-label={ctx.t('admin.categories.search_form')}
      >
        <input type="hidden" name="lang" value={ctx.lang} />
        <TextInput
          ctx={ctx}
          name="q"
          type="search"
          label={ctx.t('admin.categories.search_label')}
          hint={ctx.t('admin.categories.search_hint')}
          value={filters.q}
        />
        <Select
          ctx={ctx}
          name="status"
          label={ctx.t('admin.status')}
          value={filters.status}
          options={CATEGORY_STATUS_FILTERS.map((s) => ({
            value: s,
            label: ctx.t(
              s === '' ? 'admin.categories.status_all' : s === 'aktif' ? 'admin.active' : 'admin.inactive',
            ),
          }))}
        />
        <Button variant="secondary">{ctx.t('admin.categories.search_submit')}</Button>
      </form>
      {searching ? (
        <p>
          <a href="/kantor/admin/kategori">{ctx.t('admin.categories.clear')}</a>
        </p>
      ) : null}
      {p.total === 0 ? (
        <div data-empty>
          <p>
            <strong>{ctx.t('admin.categories.empty')}</strong>
          </p>
          <p class="hint">{ctx.t('admin.categories.empty_hint')}</p>
        </div>
      ) : (
        <>
          <p data-showing>
            {filters.q
              ? ctx.t('admin.categories.showing_search', { ...range, q: filters.q })
              : ctx.t('admin.categories.showing', range)}
          </p>
          <AdminTable caption={ctx.t('admin.categories.caption', range)} columns={columns} stack>
            {p.categories.map((c) => (
              <tr key={c.id} data-category={c.id}>
                <td data-label={columns[0]} class={filters.q ? undefined : `indent-${c.depth}`}>
                  {c.name}
                </td>
                <td data-label={columns[1]}>
                  {c.ancestors.length ? pathOf(c.ancestors) : ctx.t('admin.categories.top_level')}
                </td>
                <td data-label={columns[2]}>{c.active ? ctx.t('admin.active') : ctx.t('admin.inactive')}</td>
                {p.canEdit ? (
                  <td data-label={columns[3]} class="row-actions">
                    <a href={categoriesHref(filters, `/${c.id}`)}>
                      {ctx.t('admin.rename')}
                      <span class="visually-hidden"> {c.name}</span>
                    </a>{' '}
                    <RowActionForm
                      ctx={ctx}
                      action={categoriesHref(filters, `/${c.id}/status`)}
                      fields={{ active: c.active ? 'false' : 'true' }}
                      label={ctx.t(c.active ? 'admin.deactivate' : 'admin.activate')}
                      target={c.name}
                      variant="secondary"
                    />
                  </td>
                ) : null}
              </tr>
            ))}
          </AdminTable>
          <Pagination
            ctx={ctx}
            page={filters.page}
            pageSize={p.pageSize}
            total={p.total}
            base="/kantor/admin/kategori"
            params={{ q: filters.q || undefined, status: filters.status || undefined }}
          />
        </>
      )}
      {p.canEdit ? (
        <FormSection
          ctx={ctx}
          id="h-add-category"
          heading={ctx.t('admin.categories.add')}
          action={categoriesHref(filters)}
          submit={ctx.t('admin.categories.add_submit')}
        >
          <TextInput
            ctx={ctx}
            name="categoryName"
            label={ctx.t('admin.categories.name')}
            value={val(form, 'add', 'categoryName')}
            error={e.categoryName}
          />
          <Select
            ctx={ctx}
            name="parentId"
            label={ctx.t('admin.categories.parent')}
            hint={ctx.t('admin.optional')}
            value={val(form, 'add', 'parentId')}
            placeholder={ctx.t('admin.categories.no_parent')}
            options={(p.parents ?? []).map((c) => ({ value: String(c.id), label: c.name }))}
            error={e.parentId}
          />
        </FormSection>
      ) : null}
    </AdminLayout>
  );
}

/** Rename one category (the national admin); the form and the back link keep the list's search. */
export function CategoryPage(p: {
  ctx: PageContext;
  category: CategoryRow;
  filters: CategoryFilters;
  form?: FormState | undefined;
}): VNode {
  const { ctx, form, category, filters } = p;
  return (
    <AdminLayout
      ctx={ctx}
      title={category.name}
      form={form}
      back={{ href: categoriesHref(filters), label: ctx.t('admin.categories.back') }}
      h1
    >
      <p class="hint">
        {category.ancestors.length
          ? ctx.t('admin.categories.under', { path: pathOf(category.ancestors) })
          : ctx.t('admin.categories.top_level')}
      </p>
      <PostForm ctx={ctx} action={categoriesHref(filters, `/${category.id}/ubah`)}>
        <TextInput
          ctx={ctx}
          name="categoryName"
          label={ctx.t('admin.categories.name')}
          value={val(form, 'rename', 'categoryName') ?? category.name}
          error={errs(form, 'rename').categoryName}
        />
        <Button>{ctx.t('admin.save')}</Button>
      </PostForm>
    </AdminLayout>
  );
}

/** A holiday row. */
export interface HolidayRow {
  date: string;
  name: string;
  kind: string;
  regionCode: string | null;
  /** A prediction not yet set by the SKB 3 Menteri (shown as "perkiraan", with a confirm action). */
  tentative?: boolean | undefined;
  /** The region's name, when known (shown with the code). */
  regionName?: string | null | undefined;
}

/** The holiday calendar of a year. */
export function CalendarPage(
  p: AdminPageProps & {
    year: number;
    holidays: HolidayRow[];
    /** Regions (code, name) the caller may add regional holidays for. */
    regions: Array<{ code: string; name: string }>;
    /** Holiday kinds the caller may add (national admin: every kind; coordinators: regional only). */
    kinds: readonly string[];
    /** The caller may change this row (national entries: national admin; regional: coordinator in region). */
    canRemove: (h: HolidayRow) => boolean;
    warning?: string | null | undefined;
    /**
     * The caller may load the year's certain dates and bundled predictions (national admin, and the year holds
     * fewer than MIN_NATIONAL_HOLIDAYS_PER_YEAR national holidays).
     */
    canLoad?: boolean | undefined;
    /** The caller may confirm predictions (national admin). */
    canConfirm?: boolean | undefined;
  },
): VNode {
  const { ctx, form, year } = p;
  const tentativeCount = p.holidays.filter((h) => h.tentative && !h.regionCode).length;
  const e = errs(form, 'add');
  const columns = [
    ctx.t('admin.calendar.date'),
    ctx.t('admin.calendar.name'),
    ctx.t('admin.calendar.kind'),
    ctx.t('admin.calendar.region'),
    ctx.t('admin.actions'),
  ];
  return (
    <AdminLayout
      ctx={ctx}
      title={ctx.t('admin.calendar.title_year', { year })}
      form={form}
      notice={p.notice}
      back={adminBack(ctx)}
      h1
    >
      {p.warning ? (
        <div class="warning" role="note">
          <p>{p.warning}</p>
        </div>
      ) : null}
      <form method="get" action="/kantor/admin/kalender" class="sort-form">
        <TextInput
          ctx={ctx}
          name="tahun"
          label={ctx.t('admin.calendar.year')}
          value={String(year)}
          width="short"
          inputmode="numeric"
        />
        <Button variant="secondary">{ctx.t('admin.calendar.show')}</Button>
      </form>
      {p.canLoad ? (
        <section class="admin-section" aria-labelledby="h-load-year">
          <h2 id="h-load-year">{ctx.t('admin.calendar.load_heading', { year })}</h2>
          <p class="hint">{ctx.t('admin.calendar.load_hint', { year })}</p>
          <PostForm ctx={ctx} action="/kantor/admin/kalender/muat">
            <input type="hidden" name="year" value={String(year)} />
            <Button>{ctx.t('admin.calendar.load_submit', { year })}</Button>
          </PostForm>
        </section>
      ) : null}
      {p.canConfirm && tentativeCount > 0 ? (
        <section class="admin-section" aria-labelledby="h-confirm-year">
          <h2 id="h-confirm-year">{ctx.t('admin.calendar.confirm_heading', { year })}</h2>
          <p class="hint">{ctx.t('admin.calendar.confirm_hint', { year, n: tentativeCount })}</p>
          <PostForm ctx={ctx} action="/kantor/admin/kalender/konfirmasi">
            <input type="hidden" name="year" value={String(year)} />
            <Button variant="secondary">{ctx.t('admin.calendar.confirm_all', { year })}</Button>
          </PostForm>
        </section>
      ) : null}
      {p.holidays.length === 0 ? (
        <p>{ctx.t('admin.calendar.empty', { year })}</p>
      ) : (
        <AdminTable caption={ctx.t('admin.calendar.title_year', { year })} columns={columns} stack>
          {p.holidays.map((h) => (
            <tr key={`${h.date}-${h.regionCode ?? ''}`}>
              <td data-label={columns[0]}>{dateLabel(ctx, h.date)}</td>
              <td data-label={columns[1]}>
                {h.name}
                {h.tentative ? (
                  <>
                    {' '}
                    <span class="tag tag-yellow" title={ctx.t('admin.calendar.tentative_title')}>
                      {ctx.t('admin.calendar.tentative')}
                    </span>
                  </>
                ) : null}
              </td>
              <td data-label={columns[2]}>{ctx.t(`admin.holiday_kind.${h.kind}`)}</td>
              <td data-label={columns[3]} data-region={h.regionCode ?? undefined}>
                {h.regionCode
                  ? h.regionName
                    ? `${h.regionName} (${h.regionCode})`
                    : h.regionCode
                  : ctx.t('admin.calendar.national')}
              </td>
              <td data-label={columns[4]} class="row-actions">
                {p.canRemove(h) ? (
                  <>
                    {h.tentative && !h.regionCode && p.canConfirm ? (
                      <RowActionForm
                        ctx={ctx}
                        action="/kantor/admin/kalender/konfirmasi"
                        fields={{ year: String(year), date: h.date }}
                        label={ctx.t('admin.calendar.confirm')}
                        target={`${h.name} ${h.date}`}
                        variant="secondary"
                      />
                    ) : null}
                    <RowActionForm
                      ctx={ctx}
                      action="/kantor/admin/kalender/hapus"
                      fields={{ date: h.date, regionCode: h.regionCode ?? undefined }}
                      label={ctx.t('admin.remove')}
                      target={`${h.name} ${h.date}`}
                      variant="warning"
                    />
                  </>
                ) : (
                  '–'
                )}
              </td>
            </tr>
          ))}
        </AdminTable>
      )}
      {p.regions.length ? (
        <FormSection
          ctx={ctx}
          id="h-add-holiday"
          heading={ctx.t(p.kinds.length > 1 ? 'admin.calendar.add_any' : 'admin.calendar.add')}
          hint={ctx.t('admin.calendar.add_hint')}
          action="/kantor/admin/kalender"
          submit={ctx.t('admin.calendar.add_submit')}
        >
          <TextInput
            ctx={ctx}
            name="date"
            type="date"
            label={ctx.t('admin.calendar.date')}
            hint={ctx.t('admin.calendar.date_hint')}
            value={val(form, 'add', 'date')}
            error={e.date}
          />
          <TextInput
            ctx={ctx}
            name="name"
            label={ctx.t('admin.calendar.name')}
            value={val(form, 'add', 'name')}
            error={e.name}
          />
          {p.kinds.length > 1 ? (
            <Select
              ctx={ctx}
              name="kind"
              label={ctx.t('admin.calendar.kind')}
              hint={ctx.t('admin.calendar.kind_hint')}
              value={val(form, 'add', 'kind') || 'regional'}
              options={p.kinds.map((k) => ({ value: k, label: ctx.t(`admin.holiday_kind.${k}`) }))}
              error={e.kind}
            />
          ) : null}
          <Select
            ctx={ctx}
            name="regionCode"
            label={ctx.t('admin.calendar.region')}
            {...(p.kinds.length > 1 ? { hint: ctx.t('admin.calendar.region_hint') } : {})}
            value={val(form, 'add', 'regionCode')}
            placeholder={ctx.t('admin.choose')}
            options={p.regions.map((r) => ({ value: r.code, label: `${r.name} (${r.code})` }))}
            error={e.regionCode}
          />
        </FormSection>
      ) : null}
    </AdminLayout>
  );
}

/** An SLA rule version row. */
export interface SlaRow {
  id: string;
  version: number;
  clock: string;
  classification: string | null;
  supervisory: boolean | null;
  /** The limit's length, in `dayUnit` days. */
  workingDays: number;
  /** `working` or `calendar`. */
  dayUnit: string;
  basis: string;
  validFrom: string;
  /** The region whose Pergub/Perwali set it (`64`, `64.71`); null: national. */
  regionCode: string | null;
  /**
   * On a regional version now longer than a wider rule in force (a later, shorter national version, say): that rule,
   * which reports get instead (`widerRuleInForce`). The page warns so the coordinator updates its rule.
   */
  overriddenBy?: Pick<SlaRule, 'workingDays' | 'dayUnit' | 'basis' | 'regionCode'> | null;
}

/** The rules of one region (null: national), as the page groups them, with the region's name. */
export interface SlaGroup {
  regionCode: string | null;
  regionName: string | null;
  rules: SlaRow[];
  /** The caller may add versions here (national admin; a coordinator in its region). */
  canEdit: boolean;
}

/** A regional rule version that a rule just saved now caps (the confirmation lists them). */
export interface SlaCap {
  /** The region as the page names it ({@link slaRegionLabel}). */
  regionLabel: string;
  id: string;
  workingDays: number;
  dayUnit: string;
  basis: string;
}

/** "Provinsi Kalimantan Timur (64)", "Kota Balikpapan (64.71)": a region as the SLA page names it. */
export function slaRegionLabel(ctx: PageContext, code: string, name: string | null): string {
  if (!name) return code;
  return code.includes('.') ? `${name} (${code})` : ctx.t('admin.sla.region_province', { name, code });
}

/**
 * SLA rules with their legal basis and validity, grouped by region (national first): the national admin adds
 * versions for the nation or any province or kab/kota; a coordinator for its region and below, and reads the
 * national rules and those of wider regions.
 */
export function SlaPage(
  p: AdminPageProps & {
    groups: SlaGroup[];
    /** After a save: the regional rules the saved version now caps. */
    caps?: SlaCap[] | undefined;
    /** Where the caller may add a rule: '' is national (national admin only). Empty: read-only. */
    regions: Array<{ code: string; name: string }>;
  },
): VNode {
  const { ctx, form } = p;
  const e = errs(form, 'add');
  const rules = p.groups.flatMap((g) => g.rules);
  // On a given day the highest version of a rule that has started applies (sla.ts `findRule`), so a version is in
  // force until the day before the earliest start of any later version, and never when a later version starts on or
  // before its own start (a correction entered afterwards).
  const validTo = (r: SlaRow) => {
    const later = rules.filter((o) => o.id === r.id && o.version > r.version);
    if (!later.length) return ctx.t('admin.sla.valid_open');
    const first = later.reduce((a, b) => (b.validFrom < a.validFrom ? b : a));
    if (first.validFrom <= r.validFrom) return ctx.t('admin.sla.valid_never', { version: first.version });
    const from = first.validFrom;
    return dateLabel(ctx, new Date(Date.parse(`${from.slice(0, 10)}T00:00:00Z`) - 86_400_000).toISOString());
  };
  const national = p.regions.some((r) => r.code === '');
  const columns = ['rule', 'version', 'clock', 'limit', 'basis', 'valid_from', 'valid_to'].map((k) =>
    ctx.t(`admin.sla.${k}`),
  );
  return (
    <AdminLayout
      ctx={ctx}
      title={ctx.t('admin.sla.title')}
      form={form}
      notice={p.notice}
      back={adminBack(ctx)}
      h1
    >
      {p.caps?.length ? (
        <div class="warning" role="status">
          <p>{ctx.t('admin.sla.caps_intro')}</p>
          <ul>
            {p.caps.map((c) => (
              <li key={c.id}>
                {c.regionLabel}: <code>{c.id}</code>,{' '}
                {ctx.t(c.dayUnit === 'calendar' ? 'admin.sla.n_calendar' : 'admin.sla.n_working', {
                  n: c.workingDays,
                })}{' '}
                ({c.basis})
              </li>
            ))}
          </ul>
          <p>{ctx.t('admin.sla.caps_tell')}</p>
        </div>
      ) : null}
      <p class="lead">{ctx.t('admin.sla.intro')}</p>
      <p>{ctx.t('admin.sla.regional_intro')}</p>
      {p.groups.map((g) => {
        const id = `h-sla-${g.regionCode ? g.regionCode.replace(/\./g, '-') : 'national'}`;
        const heading = g.regionCode
          ? slaRegionLabel(ctx, g.regionCode, g.regionName)
          : ctx.t('admin.sla.national');
        return (
          <section class="admin-section" aria-labelledby={id} key={id}>
            <h2 id={id}>{heading}</h2>
            {!g.canEdit && p.regions.length ? <p class="hint">{ctx.t('admin.sla.read_only')}</p> : null}
            <AdminTable caption={`${ctx.t('admin.sla.title')}: ${heading}`} columns={columns}>
              {g.rules.map((r) => (
                <tr key={`${r.id}-${r.version}`}>
                  <td>
                    <code>{r.id}</code>
                  </td>
                  <td>{r.version}</td>
                  <td>
                    {ctx.t(`staff.deadline.clock.${r.clock}`)}
                    <br />
                    <span class="hint">{ctx.t(`admin.sla.clock_help.${r.clock}`)}</span>
                  </td>
                  <td>
                    {ctx.t(r.dayUnit === 'calendar' ? 'admin.sla.n_calendar' : 'admin.sla.n_working', {
                      n: r.workingDays,
                    })}
                    {r.overriddenBy ? (
                      <div class="warning" role="note">
                        {ctx.t(
                          r.overriddenBy.regionCode
                            ? 'admin.sla.overridden_wider'
                            : 'admin.sla.overridden_national',
                          {
                            limit: ctx.t(
                              r.overriddenBy.dayUnit === 'calendar'
                                ? 'admin.sla.n_calendar'
                                : 'admin.sla.n_working',
                              { n: r.overriddenBy.workingDays },
                            ),
                            basis: r.overriddenBy.basis,
                            region: r.overriddenBy.regionCode ?? '',
                          },
                        )}
                      </div>
                    ) : null}
                  </td>
                  <td>{r.basis}</td>
                  <td>{dateLabel(ctx, r.validFrom)}</td>
                  <td>{validTo(r)}</td>
                </tr>
              ))}
            </AdminTable>
          </section>
        );
      })}
      {p.regions.length ? (
        <FormSection
          ctx={ctx}
          id="h-add-sla"
          heading={ctx.t('admin.sla.add')}
          hint={ctx.t(national ? 'admin.sla.add_hint' : 'admin.sla.add_hint_regional')}
          action="/kantor/admin/sla"
          submit={ctx.t('admin.sla.add_submit')}
        >
          <Select
            ctx={ctx}
            name="regionCode"
            label={ctx.t('admin.sla.region')}
            hint={ctx.t('admin.sla.region_hint')}
            value={val(form, 'add', 'regionCode')}
            {...(national ? {} : { placeholder: ctx.t('admin.choose') })}
            options={p.regions.map((r) => ({
              value: r.code,
              label: r.code ? slaRegionLabel(ctx, r.code, r.name) : ctx.t('admin.sla.national'),
            }))}
            error={e.regionCode}
          />
          <Select
            ctx={ctx}
            name="clock"
            label={ctx.t('admin.sla.clock')}
            value={val(form, 'add', 'clock')}
            placeholder={ctx.t('admin.choose')}
            options={SLA_CLOCKS.map((c) => ({ value: c, label: ctx.t(`staff.deadline.clock.${c}`) }))}
            error={e.clock}
          />
          <Select
            ctx={ctx}
            name="classification"
            label={ctx.t('admin.sla.classification')}
            hint={ctx.t('admin.optional')}
            value={val(form, 'add', 'classification')}
            placeholder={ctx.t('admin.sla.any_classification')}
            options={CLASSIFICATIONS.map((c) => ({
              value: c,
              label: ctx.t(`staff.report.classification_name.${c}`),
            }))}
            error={e.classification}
          />
          <Checkboxes
            ctx={ctx}
            name="supervisory"
            legend={ctx.t('admin.sla.supervisory_legend')}
            values={val(form, 'add', 'supervisory') ? ['yes'] : []}
            options={[{ value: 'yes', label: ctx.t('admin.sla.supervisory') }]}
          />
          <TextInput
            ctx={ctx}
            name="workingDays"
            label={ctx.t('admin.sla.days')}
            {...(national ? {} : { hint: ctx.t('admin.sla.days_hint_regional') })}
            inputmode="numeric"
            width="short"
            value={val(form, 'add', 'workingDays')}
            error={e.workingDays}
          />
          <Radios
            ctx={ctx}
            name="dayUnit"
            legend={ctx.t('admin.sla.unit')}
            hint={ctx.t('admin.sla.unit_hint')}
            value={val(form, 'add', 'dayUnit') || 'working'}
            options={DAY_UNITS.map((u) => ({ value: u, label: ctx.t(`admin.sla.unit_${u}`) }))}
            error={e.dayUnit}
            inline
          />
          <TextInput
            ctx={ctx}
            name="basis"
            label={ctx.t('admin.sla.basis')}
            hint={ctx.t('admin.sla.basis_hint')}
            value={val(form, 'add', 'basis')}
            error={e.basis}
          />
          <TextInput
            ctx={ctx}
            name="validFrom"
            type="date"
            label={ctx.t('admin.sla.valid_from')}
            value={val(form, 'add', 'validFrom')}
            error={e.validFrom}
          />
          <Checkboxes
            ctx={ctx}
            name="retroactive"
            legend={ctx.t('admin.sla.retroactive_legend')}
            hint={ctx.t('admin.sla.retroactive_hint')}
            values={val(form, 'add', 'retroactive') ? ['yes'] : []}
            options={[{ value: 'yes', label: ctx.t('admin.sla.retroactive') }]}
          />
        </FormSection>
      ) : (
        <p>{ctx.t('admin.sla.national_only')}</p>
      )}
    </AdminLayout>
  );
}
