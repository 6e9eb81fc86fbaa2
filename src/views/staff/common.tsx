/**
 * Pieces shared by the back-office pages: the staff menu, date labels in the handling zone, and the queue
 * deadline badge built on the shared `DeadlineBadge` (working-day countdown plus the stored explanation).
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { DeadlineBadge } from '../components/deadline-badge.tsx';
import type { DeadlineBadge as Badge } from '../../queries/queues.ts';

/** Form state of one back-office form when it is re-rendered after a failed POST. */
export interface FormState {
  /** Which form failed (`verify`, `hold`, …); the others render empty. */
  action: string;
  values: Record<string, string | string[]>;
  errors: Record<string, string>;
  /** A form-level message (e.g. an illegal transition). */
  message?: string | undefined;
}

/** Stylesheets every back-office page adds after app.css. */
export const STAFF_STYLES = ['/static/staff.css'];

/** The back-office menu passed to the shared layout (administration only for roles that manage something). */
export function staffNav(
  ctx: PageContext,
  current: 'queue' | 'walk_in' | 'admin' | 'integrations' | 'password' | null,
) {
  const admin = (ctx.user?.roles ?? []).some((r) =>
    ['national_admin', 'coordinator', 'agency_admin'].includes(r),
  );
  return [
    { href: '/kantor', label: ctx.t('staff.nav.queue'), current: current === 'queue' },
    { href: '/kantor/lapor-langsung', label: ctx.t('staff.nav.walk_in'), current: current === 'walk_in' },
    notificationsNavItem(ctx),
    ...(admin ? [{ href: '/kantor/admin', label: ctx.t('admin.nav'), current: current === 'admin' }] : []),
    ...(admin
      ? [
          {
            href: '/kantor/integrasi',
            label: ctx.t('integrations.nav'),
            current: current === 'integrations',
          },
        ]
      : []),
    { href: '/kantor/kata-sandi', label: ctx.t('admin.password.nav'), current: current === 'password' },
    { href: '/', label: ctx.t('staff.nav.public_site') },
  ];
}

/** "17 Maret 2026" from an ISO instant with offset, reading its local date as written. */
export function dateLabel(ctx: PageContext, iso: string | null | undefined): string {
  if (!iso) return ctx.t('staff.report.none');
  const day = iso.slice(0, 10);
  return new Intl.DateTimeFormat(ctx.lang === 'id' ? 'id-ID' : 'en-GB', {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(`${day}T00:00:00Z`));
}

/** "17 Maret 2026 10.00 WITA" from an ISO instant with offset. */
export function dateTimeLabel(ctx: PageContext, iso: string, zone: string): string {
  return `${dateLabel(ctx, iso)} ${iso.slice(11, 16).replace(':', ctx.lang === 'id' ? '.' : ':')} ${zone}`;
}

/** The countdown badge of a queue row or report page (or a muted "no deadline"). */
/** A report's privacy flags in words: "anonim, rahasia", or "publik" when it has none. */
export function privacyLabel(ctx: PageContext, flags: { anonymous: boolean; confidential: boolean }): string {
  return (
    [
      flags.anonymous ? ctx.t('staff.report.anonymous') : null,
      flags.confidential ? ctx.t('staff.report.confidential') : null,
    ]
      .filter(Boolean)
      .join(', ') || ctx.t('staff.report.public')
  );
}

export function StaffDeadline({ ctx, badge }: { ctx: PageContext; badge: Badge | null }): VNode {
  if (!badge) return <span class="muted">{ctx.t('staff.queue.no_deadline')}</span>;
  // A calendar-day clock counts in days, not hari kerja (`_calendar` keys).
  const unit = badge.dayUnit === 'calendar' ? '_calendar' : '';
  const countdown =
    badge.state === 'overdue'
      ? badge.workingDays === 0
        ? ctx.t(`staff.deadline.late_today${unit}`)
        : ctx.t(`staff.deadline.late${unit}`, { n: badge.workingDays })
      : badge.workingDays === 0
        ? ctx.t('staff.deadline.today')
        : ctx.t(`staff.deadline.left${unit}`, { n: badge.workingDays });
  return (
    <DeadlineBadge
      ctx={ctx}
      state={badge.state}
      dueLabel={dateLabel(ctx, badge.dueAt)}
      countdown={countdown}
      clockLabel={ctx.t(`staff.deadline.clock.${badge.clock}`)}
      explanation={badge.explanation[ctx.lang]}
    />
  );
}

/** A single-value form field from re-render state. */
export function val(form: FormState | undefined, action: string, name: string): string | undefined {
  if (!form || form.action !== action) return undefined;
  const v = form.values[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The errors of one form (empty for the forms that did not fail). */
export function errs(form: FormState | undefined, action: string): Record<string, string> {
  return form && form.action === action ? form.errors : {};
}

/** The menu entry with the unread badge ("Notifikasi (3 belum dibaca)"); the count comes from pageContext. */
export function notificationsNavItem(ctx: PageContext) {
  return {
    href: '/kantor/notifikasi',
    label: ctx.unread ? ctx.t('notifications.nav_unread', { n: ctx.unread }) : ctx.t('notifications.nav'),
    current: ctx.path.startsWith('/kantor/notifikasi'),
  };
}
