/**
 * Error summary (GOV.UK pattern): a box at the top of the form listing every problem, each a link to its field.
 *
 * Accessibility notes:
 * - The container has `role="alert"` semantics via `tabindex=-1` + autofocus by `app.js`, and the heading is
 *   announced first; without JavaScript the page title starts with "Galat:"/"Error:" so screen readers hear it.
 * - Each link targets the field's input id (`fieldId(name)`), so activating it moves focus to the field.
 * - Messages match the inline error text exactly.
 *
 * @example
 *   <ErrorSummary ctx={ctx} errors={{ title: 'Minimal 5 karakter.' }} />
 */
import type { VNode } from 'preact';
import { fieldId, type FormErrors, type PageContext } from '../context.ts';

/** Renders nothing when there are no errors. */
export function ErrorSummary({
  ctx,
  errors,
  message,
}: {
  ctx: PageContext;
  errors: FormErrors;
  /** A form-level message (e.g. ESCALATION_NOT_DUE) shown above the list. */
  message?: string;
}): VNode | null {
  const entries = Object.entries(errors);
  if (entries.length === 0 && !message) return null;
  return (
    <div
      class="error-summary"
      data-module="error-summary"
      tabIndex={-1}
      aria-labelledby="error-summary-title"
    >
      <h2 id="error-summary-title" class="error-summary-title">
        {ctx.t('web.common.error_summary_title')}
      </h2>
      {message ? <p>{message}</p> : null}
      {entries.length ? (
        <ul class="error-summary-list">
          {entries.map(([field, text]) => (
            <li key={field}>
              <a href={`#${fieldId(field)}`}>{text}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Inline error message under a label (visually-hidden "Error:" prefix for screen readers). */
export function FieldError({ ctx, id, text }: { ctx: PageContext; id: string; text?: string | undefined }) {
  if (!text) return null;
  return (
    <p class="field-error" id={id}>
      <span class="visually-hidden">{ctx.t('web.common.error_prefix')}</span>
      {text}
    </p>
  );
}
