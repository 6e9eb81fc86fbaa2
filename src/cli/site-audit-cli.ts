/**
 * `aduan evaluate audit --period <id> [--max-links N]`: audits every participant website and social
 * URL of a period (axe-core in headless Chromium, links, complaint channel) and stores the results
 * as evidence for the assessors. Exit 0 when done, 1 when chromium is missing or the period is unknown.
 */
import { parseArgs } from 'node:util';
import type { Runtime } from '../runtime.ts';
import { runSiteAudit } from '../commands/run-site-audit.ts';
import { AUDIT_AVAILABLE, AUDIT_CHROMIUM_PATH } from '../integrations/site-audit.ts';
import { say, usageOf } from './messages.ts';

/** Runs the audit command; returns the exit code. */
export async function siteAuditCli(rt: Runtime, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { period: { type: 'string' }, 'max-links': { type: 'string' } },
    allowPositionals: true,
  });
  if (!values.period) {
    console.error(usageOf('evaluate audit'));
    return 2;
  }
  if (!AUDIT_AVAILABLE) {
    console.error(`aduan evaluate audit: ${say('site_audit.no_chromium', { path: AUDIT_CHROMIUM_PATH })}`);
    return 1;
  }
  try {
    const maxLinks = values['max-links'] ? Number(values['max-links']) : undefined;
    const stored = await runSiteAudit(rt.services, values.period, maxLinks ? { maxLinks } : {});
    for (const s of stored) {
      const failed = s.result.checks.filter((c) => !c.passed).map((c) => c.id);
      console.log(
        `${String(s.score).padStart(3)}  ${s.kind.padEnd(12)} ${s.agencyId.padEnd(28)} ${s.url}${failed.length ? `  [${say('site_audit.failed_checks', { checks: failed.join(', ') })}]` : ''}`,
      );
    }
    console.log(say('site_audit.done', { n: stored.length, period: values.period }));
    return 0;
  } catch (e) {
    console.error(`aduan evaluate audit: ${say('site_audit.failed', { why: (e as Error).message })}`);
    return 1;
  }
}
