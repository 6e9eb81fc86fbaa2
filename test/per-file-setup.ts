/**
 * Runs before every test file. Test files share their worker process (`isolate: false` in vitest.config.ts, which
 * saves each file re-importing the app), so the process-wide caches of the app start empty for each file, as they
 * would in a process of their own: the working-day calendar and SLA rules are cached per process, not per database.
 */
import { invalidateCalendarCache } from '../src/db/repositories/calendar.ts';

invalidateCalendarCache();
