/**
 * Buttons: a real `<button>` for actions, and a link styled as a button for navigation.
 *
 * Accessibility notes:
 * - Native elements only, so Enter/Space work and the role is right; focus ring from app.css.
 * - `secondary` and `warning` variants keep AA contrast; the text says what happens ("Kirim laporan").
 *
 * @example
 *   <Button>{ctx.t('web.common.continue')}</Button>
 *   <ButtonLink href="/lapor">{ctx.t('web.home.start')}</ButtonLink>
 */
import type { ComponentChildren, VNode } from 'preact';

type Variant = 'primary' | 'secondary' | 'warning';

/** A submit button (or `type="button"`). */
export function Button({
  children,
  variant = 'primary',
  name,
  value,
  type = 'submit',
}: {
  children: ComponentChildren;
  variant?: Variant;
  name?: string;
  value?: string;
  type?: 'submit' | 'button';
}): VNode {
  return (
    <button type={type} class={`button button-${variant}`} name={name} value={value}>
      {children}
    </button>
  );
}

/** A link that looks like a button (a "start" link). */
export function ButtonLink({
  href,
  children,
  variant = 'primary',
}: {
  href: string;
  children: ComponentChildren;
  variant?: Variant;
}): VNode {
  return (
    <a href={href} class={`button button-${variant}`}>
      {children}
    </a>
  );
}
