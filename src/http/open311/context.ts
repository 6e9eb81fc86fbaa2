/** Shared types of the Open311 route modules. */
import type { Services } from '../../app/context.ts';
import type { rateLimit } from '../plugins/rate-limit.ts';

/** Per-minute limits (reads per client IP or key, writes per API key). */
export interface Open311Limits {
  readsPerMinute?: number;
  writesPerMinute?: number;
}

/** What every Open311 route module receives. */
export interface Open311Context {
  svc: Services;
  endpoint: 'production' | 'test';
  readLimit: ReturnType<typeof rateLimit>;
  writeLimit: ReturnType<typeof rateLimit>;
}
