/** A coded outcome: domain functions return these instead of throwing. */
export type Result<T, E = DomainError> = { ok: true; value: T } | { ok: false; error: E };

/** A domain error carries a stable UPPER_SNAKE code and optional per-field detail. */
export interface DomainError {
  code: string;
  message: string;
  fields?: Record<string, string>;
}

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = (code: string, message: string, fields?: Record<string, string>): Result<never> => ({
  ok: false,
  error: fields ? { code, message, fields } : { code, message },
});
