/**
 * The page for a citizen form whose security token no longer holds (a stale CSRF token) when the form has no
 * re-render of its own: what was typed, read-only for copying, and the way back to the form. Nothing of the post was
 * saved or done. Password fields are never among `texts` (see `postedTexts`).
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Layout } from '../layout.tsx';
import { FieldFrame } from '../components/fields.tsx';

export function StaleFormPage({
  ctx,
  texts,
  back,
  signedOut = false,
}: {
  ctx: PageContext;
  /** The text fields of the refused post, in the order posted. */
  texts: string[];
  /** The page the form is on (or, when `signedOut`, the sign-in page that leads back to it). */
  back: string;
  /** The post needed a signed-in account and the session had ended (signed out in another tab, expired). */
  signedOut?: boolean;
}): VNode {
  const key = signedOut ? 'web.stale_form.signed_out' : 'web.stale_form';
  return (
    <Layout ctx={ctx} title={ctx.t(`${key}.title`)} hasErrors>
      <h1>{ctx.t(`${key}.title`)}</h1>
      <p>{ctx.t(`${key}.fallback`)}</p>
      {texts.length ? (
        <FieldFrame
          ctx={ctx}
          id="stale-form-texts"
          label={ctx.t('web.stale_form.texts_label')}
          hint={ctx.t('web.stale_form.texts_hint')}
        >
          <textarea
            class="textarea"
            id="stale-form-texts"
            rows={Math.min(12, 2 + texts.join('\n\n').split('\n').length)}
            readOnly
            aria-describedby="stale-form-texts-hint"
          >
            {texts.join('\n\n')}
          </textarea>
        </FieldFrame>
      ) : null}
      <p>
        <a href={back}>{ctx.t(`${key}.back`)}</a>
      </p>
    </Layout>
  );
}
