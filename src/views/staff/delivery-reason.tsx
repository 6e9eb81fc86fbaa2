/**
 * Why a delivery is held, failed or was cancelled, in a delivery log's "error" cell (the webhook delivery log and a
 * report's delivery log): a known reason in the page language (src/domain/integration/delivery-reasons.ts, locale keys
 * `integrations.reason.*`), then, marked "Detail teknis"/"Technical detail", any text kept as it came (a receiver's
 * answer, a transport's error, an unknown reason). The text given is what the query lets the viewer see (a report's
 * log has already masked contacts and withheld what an agency may not read).
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { deliveryReason } from '../../domain/integration/delivery-reasons.ts';

/** The reason of one delivery, or `empty` when it has none. */
export function DeliveryReasonText(p: { ctx: PageContext; lastError: string | null; empty?: string }): VNode {
  const { ctx } = p;
  if (!p.lastError) return <>{p.empty ?? ''}</>;
  const r = deliveryReason(p.lastError);
  const params = { ...r.params };
  if (r.code === 'refused_address') params.problem = ctx.t(`errors.field.${params.problem}`);
  return (
    <span data-reason={r.code ?? 'technical'}>
      {r.code ? ctx.t(`integrations.reason.${r.code}`, params) : null}
      {r.released ? <> {ctx.t(`integrations.reason.released.${r.released}`)}</> : null}
      {r.detail ? (
        <>
          {r.code ? ' ' : null}
          <span class="hint">
            {ctx.t('integrations.reason.technical')}: <code class="break-all">{r.detail}</code>
          </span>
        </>
      ) : null}
    </span>
  );
}
