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

/** The `aria-describedby` value of a control with an optional hint and error (undefined when neither). */
export function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

/** The ARIA attributes every single control carries: described by its hint and error, invalid on error. */
export function controlAria(id: string, hint?: string, error?: string) {
  return {
    'aria-describedby': describedBy(id, hint, error),
    'aria-invalid': error ? ('true' as const) : undefined,
  };
}

function Wrapper({ error, children }: { error?: string | undefined; children: ComponentChildren }) {
  return <div class={error ? 'field field-invalid' : 'field'}>{children}</div>;
}

/** A hint paragraph with the id controls refer to (nothing when there is no hint). */
function Hint({ id, text, class: cls = 'hint' }: { id: string; text?: string | undefined; class?: string }) {
  return text ? (
    <p class={cls} id={id}>
      {text}
    </p>
  ) : null;
}

/**
 * The frame of one labelled control: wrapper (red border on error), `<label for>`, hint and inline error,
 * then the control itself (`children`). Shared by the fields here, the tree select and file inputs.
 */
export function FieldFrame(p: {
  ctx: PageContext;
  id: string;
  label: ComponentChildren;
  hint?: string | undefined;
  error?: string | undefined;
  children: ComponentChildren;
}): VNode {
  return (
    <Wrapper error={p.error}>
      <label class="label" for={p.id}>
        {p.label}
      </label>
      <Hint id={`${p.id}-hint`} text={p.hint} />
      <FieldError ctx={p.ctx} id={`${p.id}-error`} text={p.error} />
      {p.children}
    </Wrapper>
  );
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
    <FieldFrame ctx={p.ctx} id={id} label={p.label} hint={p.hint} error={p.error}>
      <input
        class={p.width === 'short' ? 'input input-short' : 'input'}
        id={id}
        name={p.name}
        type={(p.type ?? 'text') as 'text'}
        value={p.value ?? ''}
        autocomplete={p.autocomplete}
        inputMode={p.inputmode as 'numeric' | undefined}
        {...controlAria(id, p.hint, p.error)}
      />
    </FieldFrame>
  );
}

/**
 * A multi-line text area; `piiWarning` names an element app.js reveals when personal data is typed, and
 * `describedBy` adds the id of a notice about the text (e.g. a server-side personal-data warning) to its description.
 */
export function Textarea(
  p: Common & {
    value?: string | undefined;
    rows?: number;
    piiWarning?: string;
    describedBy?: string | undefined;
  },
): VNode {
  const id = fieldId(p.name);
  const aria = controlAria(id, p.hint, p.error);
  const described = [aria['aria-describedby'], p.describedBy].filter(Boolean).join(' ') || undefined;
  return (
    <FieldFrame ctx={p.ctx} id={id} label={p.label} hint={p.hint} error={p.error}>
      <textarea
        class="textarea"
        id={id}
        name={p.name}
        rows={p.rows ?? 6}
        data-pii-warning={p.piiWarning}
        {...aria}
        aria-describedby={described}
      >
        {p.value ?? ''}
      </textarea>
    </FieldFrame>
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
    <FieldFrame ctx={p.ctx} id={id} label={p.label} hint={p.hint} error={p.error}>
      <select class="select" id={id} name={p.name} {...controlAria(id, p.hint, p.error)}>
        {p.placeholder !== undefined ? <option value="">{p.placeholder}</option> : null}
        {p.options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === p.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
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
        <Hint id={`${id}-hint`} text={p.hint} />
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
                <Hint id={`${oid}-hint`} text={o.hint} class="hint choice-hint" />
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
