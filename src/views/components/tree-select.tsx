/**
 * Tree select: a native `<select>` whose options are grouped (`<optgroup>` per top-level node) and indented
 * by depth, plus an optional search box that filters the options as you type. Used for the agency picker
 * (agency tree) and the category picker (category → subcategory).
 *
 * Accessibility notes:
 * - A native select: keyboard, screen readers and mobile pickers work without any script.
 * - The search box is rendered `hidden` and only shown by its small inline script, so people without
 *   JavaScript never meet a control that does nothing. It is a labelled input linked to the select.
 * - Indentation uses non-breaking spaces plus a "›" marker, so depth is read out, not only seen.
 *
 * @example
 *   <TreeSelect ctx={ctx} name="agencyId" label="Instansi" filterLabel="Cari instansi"
 *     groups={[{ label: 'Pemprov Kaltim', options: [{ value: 'pupr-kaltim', label: 'Dinas PUPR', depth: 1 }] }]} />
 */
import type { VNode } from 'preact';
import { fieldId, type PageContext } from '../context.ts';
import { controlAria, FieldFrame } from './fields.tsx';

/** One option with its depth below the group's root (0 = the root itself). */
export interface TreeOption {
  value: string;
  label: string;
  depth: number;
}

/** A group of options (rendered as an optgroup). */
export interface TreeGroup {
  label: string;
  options: TreeOption[];
}

const filterScript = (inputId: string, selectId: string) =>
  `(function(){var i=document.getElementById(${JSON.stringify(inputId)}),s=document.getElementById(${JSON.stringify(selectId)});` +
  `if(!i||!s)return;i.parentNode.hidden=false;i.addEventListener('input',function(){var q=i.value.toLowerCase().trim();` +
  `s.querySelectorAll('option').forEach(function(o){if(!o.value)return;var m=!q||o.textContent.toLowerCase().indexOf(q)>=0;o.hidden=!m;});` +
  `s.querySelectorAll('optgroup').forEach(function(g){g.hidden=!g.querySelector('option:not([hidden])');});});})();`;

/** The select (with the optional filter box when `filterLabel` is given). */
export function TreeSelect(p: {
  ctx: PageContext;
  name: string;
  label: string;
  groups: TreeGroup[];
  value?: string | undefined;
  hint?: string | undefined;
  error?: string | undefined;
  placeholder?: string | undefined;
  filterLabel?: string | undefined;
}): VNode {
  const id = fieldId(p.name);
  const filterId = `${id}-filter`;
  return (
    <FieldFrame ctx={p.ctx} id={id} label={p.label} hint={p.hint} error={p.error}>
      {p.filterLabel ? (
        <div class="tree-filter" hidden>
          <label class="label" for={filterId}>
            {p.filterLabel}
          </label>
          <input class="input" id={filterId} type="search" autocomplete="off" aria-controls={id} />
        </div>
      ) : null}
      <select class="select" id={id} name={p.name} {...controlAria(id, p.hint, p.error)}>
        {p.placeholder !== undefined ? <option value="">{p.placeholder}</option> : null}
        {p.groups.map((g) => (
          <optgroup key={g.label} label={g.label}>
            {g.options.map((o) => (
              <option key={o.value} value={o.value} selected={o.value === p.value}>
                {`${'\u00a0\u00a0'.repeat(o.depth)}${o.depth > 0 ? '› ' : ''}${o.label}`}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      {p.filterLabel ? <script dangerouslySetInnerHTML={{ __html: filterScript(filterId, id) }} /> : null}
    </FieldFrame>
  );
}
