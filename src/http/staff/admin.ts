/**
 * Administration (`/kantor/admin`): the home with the calendar warning, the agency tree (the national admin adds
 * agencies at the top level or anywhere below; rename, correct the region and time zone, add a child, mark the
 * coordinator, deactivate; each change is written to the application log as `agency.<form>`) and categories
 * (searched and paged for every admin; the national admin adds, renames and deactivates). Users, the holiday
 * calendar and SLA rules live in admin-users.ts and admin-calendar.ts. Every change is also recorded in the
 * administration log (`admin_audit_log`, by the commands themselves), read at `/kantor/admin/log`. Every POST carries `_csrf` (auth hook), runs
 * a command that checks `canStaff` itself, and redirects (PRG); failures re-render with the error summary.
 */
import type { FastifyPluginAsync } from 'fastify';
import { h } from 'preact';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller, Services } from '../../app/context.ts';
import { AppError } from '../../app/errors.ts';
import {
  addAgency,
  isNationalAdmin,
  mayManageAgency,
  renameAgency,
  setAgencyActive,
  setAgencyCoordinator,
  setAgencyRegion,
} from '../../commands/manage-agencies.ts';
import { addCategory, renameCategory, setCategoryActive } from '../../commands/manage-categories.ts';
import { agenciesInScope } from '../../queries/admin.ts';
import {
  CATEGORY_QUERY_MAX,
  categoryWithPath,
  searchCategories,
  topLevelCategories,
} from '../../queries/category-search.ts';
import { agencyDetail } from '../../queries/agency-admin.ts';
import { adminAuditLogPage, auditLogFilter, mayReadAdminLog } from '../../queries/admin-audit-log.ts';
import { scopeZone } from '../../queries/stats-drill.ts';
import { statsScopeOf } from '../../queries/stats-scope.ts';
import { AdminAuditLogPage } from '../../views/staff/admin-audit-log.tsx';
import { calendarStatus } from '../../queries/calendar-status.ts';
import { calendarWarningText } from '../../presenters/calendar-warning.ts';
import { canStaff } from '../../policies/can.ts';
import { AdminHomePage, AgenciesPage, AgencyPage } from '../../views/staff/admin-agencies.tsx';
import {
  CATEGORY_STATUS_FILTERS,
  CategoriesPage,
  categoriesHref,
  CategoryPage,
  type CategoryFilters,
} from '../../views/staff/admin-reference.tsx';
import type { FormState } from '../../views/staff/common.tsx';
import { pageContext, sendPage } from '../web/render.ts';
import { handleForm, intOf, requireAdmin, staleAdminForm, str } from './admin-forms.ts';

const AGENCY_ID = /^[a-z0-9-]{1,80}$/;

/** Registers the admin home, agency and category routes. */
export const staffAdminRoutes: FastifyPluginAsync<{ services: Services }> = async (app, opts) => {
  const svc = opts.services;

  app.get('/kantor/admin', async (req, reply) => {
    if (!requireAdmin(req, reply)) return reply;
    const ctx = pageContext(req);
    const actor = req.caller.actor;
    const calendarKeeper = actor.grants.some((g) => ['national_admin', 'coordinator'].includes(g.role));
    // Every admin reads the national category list; only the national admin changes it.
    const sections = ['instansi', 'pengguna', 'kategori'];
    if (calendarKeeper) sections.push('kalender');
    sections.push('sla', 'rute-otomatis');
    const warning = calendarKeeper
      ? calendarWarningText((await calendarStatus(svc)).warning, actor.grants, ctx.lang)
      : null;
    const auditLog = mayReadAdminLog(actor);
    return sendPage(reply, req, h(AdminHomePage, { ctx, sections, calendarWarning: warning, auditLog }));
  });

  // The administration log (read-only): the national admin's everything, a coordinator's its region's agencies.
  app.get('/kantor/admin/log', async (req, reply) => {
    if (!requireAdmin(req, reply)) return reply;
    const actor = req.caller.actor;
    if (!mayReadAdminLog(actor)) throw new AppError('FORBIDDEN');
    const filter = auditLogFilter(req.query as Record<string, string | undefined>);
    const [log, zone] = await Promise.all([
      adminAuditLogPage(svc, actor, filter),
      // Times in the viewer's zone (a WITA coordinator reads WITA), as the other staff pages.
      scopeZone(svc.db, statsScopeOf(actor) ?? { kind: 'national' }),
    ]);
    const ctx = pageContext(req);
    return sendPage(
      reply,
      req,
      h(AdminAuditLogPage, { ctx, log, filter: { ...filter, page: log.page }, zone }),
    );
  });

  async function agenciesPage(req: FastifyRequest, reply: FastifyReply, form?: FormState, status = 200) {
    const agencies = await agenciesInScope(svc, req.caller.actor);
    const ctx = pageContext(req);
    const national = isNationalAdmin(req.caller.actor);
    return sendPage(reply, req, h(AgenciesPage, { ctx, agencies, national, form }), status);
  }

  app.get('/kantor/admin/instansi', async (req, reply) => {
    if (!requireAdmin(req, reply)) return reply;
    return agenciesPage(req, reply);
  });

  /** The gate of the national admin's own forms here: an admin, national scope. */
  const nationalGate = (req: FastifyRequest, reply: FastifyReply) => {
    if (!requireAdmin(req, reply)) return false;
    if (!isNationalAdmin(req.caller.actor)) throw new AppError('FORBIDDEN');
    return true;
  };

  // The national admin's "add an agency": top level (no parent) or below any agency, of any kind. A stale token
  // (here and on every admin form below) re-renders the form's page with what was typed (`staleAdminForm`).
  app.post(
    '/kantor/admin/instansi',
    { config: staleAdminForm('create', agenciesPage, { gate: nationalGate }) },
    async (req, reply) => {
      if (!nationalGate(req, reply)) return reply;
      return handleForm(req, reply, {
        action: 'create',
        inputs: ['name', 'shortName', 'kind', 'parentId', 'regionCode', 'zone', 'isCoordinator'],
        run: async (body) => {
          const id = await addAgency(svc, req.caller, {
            name: str(body.name),
            shortName: str(body.shortName) || undefined,
            kind: str(body.kind),
            parentId: str(body.parentId) || null,
            regionCode: str(body.regionCode) || undefined,
            zone: str(body.zone) || undefined,
            isCoordinator: ([] as string[]).concat(body.isCoordinator ?? []).includes('true'),
          });
          return `/kantor/admin/instansi/${id}?selesai=buat`;
        },
        rerender: (form, status) => agenciesPage(req, reply, form, status),
      });
    },
  );

  async function agencyPage(
    id: string,
    req: FastifyRequest,
    reply: FastifyReply,
    form?: FormState,
    status = 200,
  ) {
    if (!AGENCY_ID.test(id)) throw new AppError('NOT_FOUND');
    const all = await agenciesInScope(svc, req.caller.actor);
    const agency = all.find((a) => a.id === id);
    if (!agency) throw new AppError('NOT_FOUND');
    const children = all.filter((a) => a.parentId === id);
    const actor = req.caller.actor;
    const [found, manageable] = await Promise.all([agencyDetail(svc, id), mayManageAgency(svc, actor, id)]);
    if (!found) throw new AppError('NOT_FOUND');
    // Who holds roles there is for those who manage the agency (a coordinator reading an Ombudsman office: nobody).
    const detail = manageable ? found : { ...found, staff: [] };
    const done = (req.query as Record<string, string | undefined>).selesai;
    const ctx = pageContext(req);
    const doneKey = done === 'tambah' ? 'add' : done === 'buat' ? 'create' : 'save';
    const notice = done ? ctx.t(`admin.agencies.done_${doneKey}`) : undefined;
    const national = isNationalAdmin(actor);
    // The parent is linked only when its page opens for this admin (in scope), never to a 404.
    const parentLinked = !!found.parent && all.some((x) => x.id === found.parent!.id);
    return sendPage(
      reply,
      req,
      h(AgencyPage, { ctx, agency, children, detail, manageable, national, parentLinked, form, notice }),
      status,
    );
  }

  app.get('/kantor/admin/instansi/:id', async (req, reply) => {
    if (!requireAdmin(req, reply)) return reply;
    return agencyPage((req.params as { id: string }).id, req, reply);
  });

  const agencyPost = (
    path: string,
    action: string,
    inputs: string[],
    run: (
      id: string,
      body: Record<string, string | string[] | undefined>,
      caller: Caller,
    ) => Promise<string | { to: string; changes: Record<string, unknown> }>,
  ) =>
    app.post(
      `/kantor/admin/instansi/:id/${path}`,
      {
        config: staleAdminForm(action, (req, reply, form, status) =>
          agencyPage((req.params as { id: string }).id, req, reply, form, status),
        ),
      },
      async (req, reply) => {
        if (!requireAdmin(req, reply)) return reply;
        const { id } = req.params as { id: string };
        if (!AGENCY_ID.test(id)) throw new AppError('NOT_FOUND');
        return handleForm(req, reply, {
          action,
          inputs,
          run: async (body) => {
            const done = await run(id, body, req.caller);
            const { to, changes } = typeof done === 'string' ? { to: done, changes: {} } : done;
            // The admin actions' record: who changed which agency, and how (ids and codes only).
            req.log.info(
              { event: `agency.${action}`, by: req.caller.actor.userId, agency: id, ...changes },
              'agency changed',
            );
            return to;
          },
          rerender: (form, status) => agencyPage(id, req, reply, form, status),
        });
      },
    );

  agencyPost('ubah', 'rename', ['name', 'shortName'], async (id, body, caller) => {
    await renameAgency(svc, caller, id, {
      name: str(body.name),
      shortName: str(body.shortName) || undefined,
    });
    return `/kantor/admin/instansi/${id}?selesai=ubah`;
  });
  agencyPost(
    'tambah',
    'add',
    ['childName', 'childShortName', 'kind', 'childRegionCode', 'childZone', 'childIsCoordinator'],
    async (id, body, caller) => {
      try {
        const child = await addAgency(svc, caller, {
          parentId: id,
          name: str(body.childName),
          shortName: str(body.childShortName) || undefined,
          kind: str(body.kind),
          regionCode: str(body.childRegionCode) || undefined,
          zone: str(body.childZone) || undefined,
          isCoordinator: ([] as string[]).concat(body.childIsCoordinator ?? []).includes('true'),
        });
        return `/kantor/admin/instansi/${child}?selesai=tambah`;
      } catch (err) {
        if (err instanceof AppError && err.code === 'VALIDATION_FAILED') {
          // The command's fields, as this form names its inputs.
          const rename: Record<string, string> = {
            name: 'childName',
            shortName: 'childShortName',
            kind: 'kind',
            parentId: 'parent',
            regionCode: 'childRegionCode',
            zone: 'childZone',
            isCoordinator: 'childIsCoordinator',
          };
          throw new AppError(
            err.code,
            Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [rename[k] ?? k, v])),
          );
        }
        throw err;
      }
    },
  );
  agencyPost('wilayah', 'region', ['regionCode', 'zone'], async (id, body, caller) => {
    const change = await setAgencyRegion(svc, caller, id, {
      regionCode: str(body.regionCode),
      zone: str(body.zone) || undefined,
    });
    return { to: `/kantor/admin/instansi/${id}?selesai=wilayah`, changes: { ...change } };
  });
  agencyPost('koordinator', 'coordinator', [], async (id, body, caller) => {
    await setAgencyCoordinator(svc, caller, id, str(body.isCoordinator) === 'true');
    return `/kantor/admin/instansi/${id}?selesai=koordinator`;
  });
  agencyPost('status', 'status', ['confirmStaff'], async (id, body, caller) => {
    await setAgencyActive(svc, caller, id, str(body.active) === 'true', {
      confirmStaff: ([] as string[]).concat(body.confirmStaff ?? []).includes('yes'),
    });
    return `/kantor/admin/instansi/${id}?selesai=status`;
  });

  // Categories: one national list. Everyone with admin screens searches and reads it (coordinators and agency admins
  // classify reports under it); only national scope changes it (`manage_agencies` with an empty scope, also checked
  // by the commands). The list's search (`?q=&status=&page=`) rides along on every link and form below it.
  const categoryEditGate = (req: FastifyRequest, reply: FastifyReply) => {
    if (!requireAdmin(req, reply)) return false;
    if (!canStaff(req.caller.actor, 'manage_agencies')) throw new AppError('FORBIDDEN');
    return true;
  };
  async function categoriesPage(req: FastifyRequest, reply: FastifyReply, form?: FormState, status = 200) {
    const ctx = pageContext(req);
    const filters = categoryFilters(req);
    const canEdit = canStaff(req.caller.actor, 'manage_agencies');
    const [found, parents] = await Promise.all([
      searchCategories(svc, {
        q: filters.q,
        state: filters.status === 'aktif' ? 'active' : filters.status === 'nonaktif' ? 'inactive' : 'all',
        page: filters.page,
      }),
      canEdit ? topLevelCategories(svc) : undefined,
    ]);
    const done = (req.query as Record<string, string | undefined>).selesai === '1';
    return sendPage(
      reply,
      req,
      h(CategoriesPage, {
        ctx,
        categories: found.items,
        total: found.total,
        pageSize: found.pageSize,
        filters: { ...filters, page: found.page },
        canEdit,
        parents,
        form,
        notice: done ? ctx.t('admin.saved') : undefined,
      }),
      status,
    );
  }
  /** Where a change returns to: the list with the search it was made from, and the "saved" notice. */
  const backToList = (req: FastifyRequest) => categoriesHref(categoryFilters(req), '', { selesai: '1' });
  app.get('/kantor/admin/kategori', async (req, reply) => {
    if (!requireAdmin(req, reply)) return reply;
    return categoriesPage(req, reply);
  });
  app.post(
    '/kantor/admin/kategori',
    { config: staleAdminForm('add', categoriesPage, { gate: categoryEditGate }) },
    async (req, reply) => {
      if (!categoryEditGate(req, reply)) return reply;
      return handleForm(req, reply, {
        action: 'add',
        inputs: ['categoryName', 'parentId'],
        run: async (body) => {
          await addCategory(svc, req.caller, {
            name: str(body.categoryName),
            parentId: intOf(body.parentId) ?? null,
          });
          return backToList(req);
        },
        rerender: (form, status) => categoriesPage(req, reply, form, status),
      });
    },
  );
  async function categoryPage(req: FastifyRequest, reply: FastifyReply, form?: FormState, status = 200) {
    const id = intOf((req.params as { id: string }).id);
    const category = id === undefined ? null : await categoryWithPath(svc, id);
    if (!category) throw new AppError('NOT_FOUND');
    const filters = categoryFilters(req);
    return sendPage(reply, req, h(CategoryPage, { ctx: pageContext(req), category, filters, form }), status);
  }
  app.get('/kantor/admin/kategori/:id', async (req, reply) => {
    if (!categoryEditGate(req, reply)) return reply;
    return categoryPage(req, reply);
  });
  // A failed rename re-renders the rename page, whose language switch keeps the list's search.
  app.post(
    '/kantor/admin/kategori/:id/ubah',
    {
      config: {
        langPath: (req) =>
          categoriesHref(categoryFilters(req), `/${(req.params as { id: string }).id.replace(/\D/g, '')}`),
        ...staleAdminForm('rename', categoryPage, { gate: categoryEditGate }),
      },
    },
    async (req, reply) => {
      if (!categoryEditGate(req, reply)) return reply;
      const id = intOf((req.params as { id: string }).id);
      if (id === undefined) throw new AppError('NOT_FOUND');
      return handleForm(req, reply, {
        action: 'rename',
        inputs: ['categoryName'],
        run: async (body) => {
          await renameCategory(svc, req.caller, id, str(body.categoryName));
          return backToList(req);
        },
        rerender: (form, status) => categoryPage(req, reply, form, status),
      });
    },
  );
  // Re-renders the category list, whose language switch reopens the list with its search.
  app.post(
    '/kantor/admin/kategori/:id/status',
    {
      config: {
        langPath: (req) => categoriesHref(categoryFilters(req)),
        ...staleAdminForm('status', categoriesPage, { gate: categoryEditGate }),
      },
    },
    async (req, reply) => {
      if (!categoryEditGate(req, reply)) return reply;
      const id = intOf((req.params as { id: string }).id);
      if (id === undefined) throw new AppError('NOT_FOUND');
      return handleForm(req, reply, {
        action: 'status',
        inputs: [],
        run: async (body) => {
          await setCategoryActive(svc, req.caller, id, str(body.active) === 'true');
          return backToList(req);
        },
        rerender: (form, status) => categoriesPage(req, reply, form, status),
      });
    },
  );
};

/**
 * The category list's search from the query string. Malformed values are ignored, as on the public feed: a search is
 * a plain GET link that anyone can edit, and an odd value there is no form error (text is cut to 100 characters,
 * an unknown status means all, a page that is not a number means the first, a page past the end the last).
 */
function categoryFilters(req: FastifyRequest): CategoryFilters {
  const query = req.query as Record<string, string | string[] | undefined>;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';
  const q = one(query.q).replace(/\s+/g, ' ').trim().slice(0, CATEGORY_QUERY_MAX).trim();
  const status = CATEGORY_STATUS_FILTERS.find((s) => s === one(query.status)) ?? '';
  const page = /^\d{1,6}$/.test(one(query.page)) ? Math.max(1, Number(one(query.page))) : 1;
  return { q, status, page };
}
