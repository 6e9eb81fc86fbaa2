/**
 * Form fields: text input, textarea, select, radios and checkboxes, each with label, hint and inline error.
 *
 * Accessibility notes:
 * - Every control has a visible `<label>` (or a `<fieldset>` + `<legend>` for groups).
 * - Hint and error are linked with `aria-describedby`; an invalid control gets `aria-invalid="true"`.
 * - The input id is `fieldId(name)`, which is what the error summary links to; for radios and checkboxes the
 *   first option carries that id so the link focuses the group.
 * - Errors are text, never colour alone (red border plus message plus "Error:" prefix).
 *
 * @example
 *   <TextInput ctx={ctx} name="title" label={ctx.t('web.report.title_label')} value={v.title} error={errors.title} />
 *   <Radios ctx={ctx} name="classification" legend="…" value="aspirasi"
 *     options={[{ value: 'pengaduan', label: 'Pengaduan', hint: '…' }]} error={errors.classification} />
 */
import type { ComponentChildren, VNode } from 'preact';
import { fieldId, type PageContext } from '../context.ts';
import { FieldError } from './error-summary.tsx';

interface Common {
  ctx: PageContext;
  name: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
}

function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function Wrapper({ error, children }: { error?: string | undefined; children: ComponentChildren }) {
  return <div class={error ? 'field field-invalid' : 'field'}>{children}</div>;
}

/** A one-line text input. */
export function TextInput(
  p: Common & {
    value?: string | undefined;
    type?: string;
    autocomplete?: string;
    inputmode?: 'numeric' | 'tel' | 'email' | 'decimal';
    width?: 'short' | 'full';
    required?: boolean;
  },
): VNode {
  const id = fieldId(p.name);
  return (
    <Wrapper error={p.error}>
      <label class="label" for={id}>
        {p.label}
      </label>
      {p.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      ) : null}
      <FieldError ctx={p.ctx} id={`${id}-error`} text={p.error} />
      <input
        class={p.width === 'short' ? 'input input-short' : 'input'}
        id={id}
        name={p.name}
        type={(p.type ?? 'text') as 'text'}
        value={p.value ?? ''}
        autocomplete={p.autocomplete}
        inputMode={p.inputmode as 'numeric' | undefined}
        aria-describedby={describedBy(id, p.hint, p.error)}
        aria-invalid={p.error ? 'true' : undefined}
      />
    </Wrapper>
  );
}

/** A multi-line text area; `piiWarning` names an element app.js reveals when personal data is typed. */
export function Textarea(
  p: Common & { value?: string | undefined; rows?: number; piiWarning?: string },
): VNode {
  const id = fieldId(p.name);
  return (
    <Wrapper error={p.error}>
      <label class="label" for={id}>
        {p.label}
      </label>
      {p.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      ) : null}
      <FieldError ctx={p.ctx} id={`${id}-error`} text={p.error} />
      <textarea
        class="textarea"
        id={id}
        name={p.name}
        rows={p.rows ?? 6}
        data-pii-warning={p.piiWarning}
        aria-describedby={describedBy(id, p.hint, p.error)}
        aria-invalid={p.error ? 'true' : undefined}
      >
        {p.value ?? ''}
      </textarea>
    </Wrapper>
  );
}

/** One option of a select, radio group or checkbox group. */
export interface Option {
  value: string;
  label: string;
  hint?: string | undefined;
}

/** A drop-down list. `placeholder` becomes an empty first option. */
export function Select(
  p: Common & { value?: string | undefined; options: Option[]; placeholder?: string },
): VNode {
  const id = fieldId(p.name);
  return (
    <Wrapper error={p.error}>
      <label class="label" for={id}>
        {p.label}
      </label>
      {p.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      ) : null}
      <FieldError ctx={p.ctx} id={`${id}-error`} text={p.error} />
      <select
        class="select"
        id={id}
        name={p.name}
        aria-describedby={describedBy(id, p.hint, p.error)}
        aria-invalid={p.error ? 'true' : undefined}
      >
        {p.placeholder !== undefined ? <option value="">{p.placeholder}</option> : null}
        {p.options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === p.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Wrapper>
  );
}

function Choices(
  p: Omit<Common, 'label'> & {
    legend: string;
    options: Option[];
    checked: (v: string) => boolean;
    type: 'radio' | 'checkbox';
    inline?: boolean;
    legendAsHeading?: boolean;
  },
): VNode {
  const id = fieldId(p.name);
  return (
    <Wrapper error={p.error}>
      <fieldset class="fieldset" aria-describedby={describedBy(id, p.hint, p.error)}>
        <legend class={p.legendAsHeading ? 'legend legend-heading' : 'legend'}>
          {p.legendAsHeading ? <h1 class="legend-h1">{p.legend}</h1> : p.legend}
        </legend>
        {p.hint ? (
          <p class="hint" id={`${id}-hint`}>
            {p.hint}
          </p>
        ) : null}
        <FieldError ctx={p.ctx} id={`${id}-error`} text={p.error} />
        <div class={p.inline ? 'choices choices-inline' : 'choices'}>
          {p.options.map((o, i) => {
            const oid = i === 0 ? id : `${id}-${i}`;
            return (
              <div class="choice" key={o.value}>
                <input
                  class="choice-input"
                  type={p.type}
                  id={oid}
                  name={p.name}
                  value={o.value}
                  checked={p.checked(o.value)}
                  aria-describedby={o.hint ? `${oid}-hint` : undefined}
                />
                <label class="choice-label" for={oid}>
                  {o.label}
                </label>
                {o.hint ? (
                  <p class="hint choice-hint" id={`${oid}-hint`}>
                    {o.hint}
                  </p>
                ) : null}
              </div>
            );
          })}
        </div>
      </fieldset>
    </Wrapper>
  );
}

/** A radio group in a fieldset; `legendAsHeading` makes the legend the page's h1 (one question per page). */
export function Radios(
  p: Omit<Common, 'label'> & {
    legend: string;
    options: Option[];
    value?: string | undefined;
    inline?: boolean;
    legendAsHeading?: boolean;
  },
): VNode {
  return <Choices {...p} type="radio" checked={(v) => v === p.value} />;
}

/** A checkbox group in a fieldset. */
export function Checkboxes(
  p: Omit<Common, 'label'> & {
    legend: string;
    options: Option[];
    values?: string[] | undefined;
    legendAsHeading?: boolean;
  },
): VNode {
  const set = new Set(p.values ?? []);
  return <Choices {...p} type="checkbox" checked={(v) => set.has(v)} />;
}
