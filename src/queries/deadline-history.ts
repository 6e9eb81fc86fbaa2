/**
 * Every deadline a report's clocks have had, running or stopped, oldest first: the tracking and public report
 * pages show each one next to the event that started it, with its explanation and whether it was met.
 */
import { asc, eq } from 'drizzle-orm';
import type { AppDb } from '../db/client.ts';
import { reportDeadlines } from '../db/schema.ts';

/** One clock run of a report. `met` is null while running or when stopped without a verdict. */
export interface DeadlineHistoryRow {
  clock: string;
  startedAt: Date;
  dueAt: Date;
  explanation: { id: string; en: string };
  stoppedAt: Date | null;
  met: boolean | null;
}

/** The report's clock runs (uses report_deadlines_report_idx). */
export async function deadlineHistory(db: AppDb, reportId: string): Promise<DeadlineHistoryRow[]> {
  const rows = await db
    .select({
      clock: reportDeadlines.clock,
      startedAt: reportDeadlines.startedAt,
      dueAt: reportDeadlines.dueAt,
      explanation: reportDeadlines.explanation,
      stoppedAt: reportDeadlines.stoppedAt,
      met: reportDeadlines.met,
    })
    .from(reportDeadlines)
    .where(eq(reportDeadlines.reportId, reportId))
    .orderBy(asc(reportDeadlines.startedAt), asc(reportDeadlines.id));
  return rows.map((r) => ({ ...r, explanation: r.explanation as { id: string; en: string } }));
}
