/**
 * The one application error. Commands and queries throw it with a stable code; each HTTP audience
 * (JSON API, pages, Open311) maps codes to its own shape. Field problems carry locale keys, not copy.
 */

/** A problem with one input field: a key under `errors.field.*` plus its parameters. */
export interface FieldIssue {
  key: string;
  params?: Record<string, string | number>;
}

/** A coded application error (UPPER_SNAKE). */
export class AppError extends Error {
  constructor(
    public readonly code: string,
    public readonly fields: Record<string, FieldIssue> = {},
    public readonly params: Record<string, string | number> = {},
  ) {
    super(code);
    this.name = 'AppError';
  }
}

/** Shorthand for a 422 with field issues. */
export function invalid(fields: Record<string, FieldIssue>): AppError {
  return new AppError('VALIDATION_FAILED', fields);
}

/** Throws VALIDATION_FAILED when any issue was collected. */
export function throwIfInvalid(fields: Record<string, FieldIssue>): void {
  if (Object.keys(fields).length > 0) throw invalid(fields);
}
