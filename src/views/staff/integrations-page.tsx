/**
 * The integrations page (`/kantor/integrasi`) and a webhook's delivery log: partner API keys (Open311),
 * agency API tokens, webhook subscriptions and (national admin) federation peers. A key, token or secret
 * appears exactly once, in the confirmation panel right after it was created (a read-once flash cookie),
 * never in a table or a later page.
 *
 * Accessibility notes: every form field has a unique name on the page (the error summary links to
 * `fieldId(name)`); tables have captions; row buttons carry the row's name in visually-hidden text so each
 * has a distinct accessible name; statuses are words, not colours.
 */
import type { VNode } from 'preact';
import type { PageContext } from '../context.ts';
import { Button } from '../components/button.tsx';
import { Checkboxes, Select, TextInput, type Option } from '../components/fields.tsx';
import { errs, val, type FormState } from './common.tsx';
import { AdminLayout, AdminTable, PostForm } from './admin-common.tsx';
import type { KeyRow, PeerRow, WebhookRow } from '../../queries/integration-admin.ts';
import type { DeliveryView } from '../../queries/integrations.ts';
import { WEBHOOK_EVENTS } from '../../domain/integration/webhook-events.ts';
import { deliveryReason } from '../../domain/integration/delivery-reasons.ts';
import { DeliveryReasonText } from './delivery-reason.tsx';

/** The secret shown once after creating something. */
export interface CreatedSecret {
  kind: 'key' | 'token' | 'webhook';
  name: string;
  secret: string;
}

/** Everything the page shows. */
export interface IntegrationsPageProps {
  ctx: PageContext;
  agencies: Option[];
  national: boolean;
  keys: KeyRow[];
  tokens: KeyRow[];
  webhooks: WebhookRow[];
  peers: PeerRow[];
  instanceId: string | null;
  created?: CreatedSecret | undefined;
  form?: FormState | undefined;
  notice?: string | undefined;
}

/** "12 Mar 2026 10.00 WIB" (Asia/Jakarta), or the "never" text. */
export function whenLabel(ctx: PageContext, d: Date | null, never: string): string {
  if (!d) return never;
  const text = new Intl.DateTimeFormat(ctx.lang === 'id' ? 'id-ID' : 'en-GB', {
    timeZone: 'Asia/Jakarta',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(d);
  return `${text} WIB`;
}

function KeyTable(p: {
  ctx: PageContext;
  rows: KeyRow[];
  caption: string;
  action: (id: string) => string;
  showScopes: boolean;
}): VNode {
  const { ctx } = p;
  if (p.rows.length === 0) return <p class="muted">{ctx.t('integrations.none')}</p>;
  return (
    <AdminTable
      caption={p.caption}
      columns={[
        ctx.t('integrations.col.name'),
        ctx.t('integrations.col.agency'),
        ctx.t('integrations.col.scopes'),
        ctx.t('integrations.col.created'),
        ctx.t('integrations.col.last_used'),
        ctx.t('admin.status'),
        ctx.t('admin.actions'),
      ]}
    >
      {p.rows.map((k) => (
        <tr key={k.id}>
          <td>{k.name}</td>
          <td>{k.agencyName ?? ctx.t('integrations.national')}</td>
          {p.showScopes ? <td>{k.scopes.map((s) => ctx.t(`integrations.scope.${s}`)).join(', ')}</td> : null}
          <td>{whenLabel(ctx, k.createdAt, '')}</td>
          <td>{whenLabel(ctx, k.lastUsedAt, ctx.t('integrations.never'))}</td>
          <td>
            {k.revokedAt
              ? ctx.t('integrations.revoked')
              : k.agencyActive === false
                ? ctx.t('integrations.agency_inactive')
                : ctx.t('admin.active')}
          </td>
          <td class="row-actions">
            {k.revokedAt ? null : (
              <PostForm ctx={ctx} action={p.action(k.id)}>
                <Button variant="warning">
                  {ctx.t('integrations.revoke')}
                  <span class="visually-hidden"> {k.name}</span>
                </Button>
              </PostForm>
            )}
          </td>
        </tr>
      ))}
    </AdminTable>
  );
}

/** The integrations page. */
export function IntegrationsPage(p: IntegrationsPageProps): VNode {
  const { ctx, form } = p;
  const agencyPlaceholder = p.national ? ctx.t('integrations.national_key') : undefined;
  const eventOptions = WEBHOOK_EVENTS.map((e) => ({
    value: e,
    label: ctx.t(`integrations.event.${e}`),
    hint: ctx.t(`integrations.event_hint.${e}`),
  }));
  const ek = errs(form, 'key');
  const et = errs(form, 'token');
  const ew = errs(form, 'webhook');
  const ep = errs(form, 'peer');
  const ei = errs(form, 'instance');
  const events = form?.action === 'webhook' ? form.values.events : undefined;
  return (
    <AdminLayout
      ctx={ctx}
      title={ctx.t('integrations.title')}
      form={form}
      notice={p.notice}
      current="integrations"
    >
      <h1>{ctx.t('integrations.title')}</h1>
      <p>{ctx.t('integrations.intro')}</p>
      {p.created ? (
        <div class="panel panel-confirm" role="status">
          <h2>{ctx.t(`integrations.created.${p.created.kind}`, { name: p.created.name })}</h2>
          <p>
            <span class="secret" data-testid="created-secret">
              {p.created.secret}
            </span>
          </p>
          <p>{ctx.t('integrations.created.once')}</p>
        </div>
      ) : null}

      <section class="admin-section" aria-labelledby="h-keys">
        <h2 id="h-keys">{ctx.t('integrations.keys.title')}</h2>
        <p>{ctx.t('integrations.keys.intro')}</p>
        <KeyTable
          ctx={ctx}
          rows={p.keys}
          caption={ctx.t('integrations.keys.title')}
          action={(id) => `/kantor/integrasi/kunci/${id}/cabut`}
          showScopes
        />
        <h3>{ctx.t('integrations.keys.add')}</h3>
        <PostForm ctx={ctx} action="/kantor/integrasi/kunci">
          <TextInput
            ctx={ctx}
            name="keyName"
            label={ctx.t('integrations.field.name')}
            hint={ctx.t('integrations.keys.name_hint')}
            value={val(form, 'key', 'keyName')}
            error={ek.keyName}
          />
          <Select
            ctx={ctx}
            name="keyAgency"
            label={ctx.t('integrations.field.agency')}
            value={val(form, 'key', 'keyAgency')}
            options={p.agencies}
            {...(agencyPlaceholder !== undefined ? { placeholder: agencyPlaceholder } : {})}
            error={ek.keyAgency}
          />
          <Checkboxes
            ctx={ctx}
            name="keyOptions"
            legend={ctx.t('integrations.keys.options')}
            values={form?.action === 'key' ? [form.values.keyOptions ?? []].flat() : []}
            options={[
              {
                value: 'agency',
                label: ctx.t('integrations.scope.agency'),
                hint: ctx.t('integrations.keys.agency_hint'),
              },
              ...(p.national
                ? [
                    {
                      value: 'federation',
                      label: ctx.t('integrations.scope.federation'),
                      hint: ctx.t('integrations.keys.federation_hint'),
                    },
                  ]
                : []),
            ]}
            error={ek.keyOptions}
          />
          <Button>{ctx.t('integrations.keys.submit')}</Button>
        </PostForm>
      </section>

      <section class="admin-section" aria-labelledby="h-tokens">
        <h2 id="h-tokens">{ctx.t('integrations.tokens.title')}</h2>
        <p>{ctx.t('integrations.tokens.intro')}</p>
        <KeyTable
          ctx={ctx}
          rows={p.tokens}
          caption={ctx.t('integrations.tokens.title')}
          action={(id) => `/kantor/integrasi/token/${id}/cabut`}
          showScopes={false}
        />
        <h3>{ctx.t('integrations.tokens.add')}</h3>
        <PostForm ctx={ctx} action="/kantor/integrasi/token">
          <TextInput
            ctx={ctx}
            name="tokenName"
            label={ctx.t('integrations.field.name')}
            hint={ctx.t('integrations.tokens.name_hint')}
            value={val(form, 'token', 'tokenName')}
            error={et.tokenName}
          />
          <Select
            ctx={ctx}
            name="tokenAgency"
            label={ctx.t('integrations.field.agency')}
            value={val(form, 'token', 'tokenAgency')}
            options={p.agencies}
            placeholder={ctx.t('integrations.choose_agency')}
            error={et.tokenAgency}
          />
          <Button>{ctx.t('integrations.tokens.submit')}</Button>
        </PostForm>
      </section>

      <section class="admin-section" aria-labelledby="h-webhooks">
        <h2 id="h-webhooks">{ctx.t('integrations.webhooks.title')}</h2>
        <p>{ctx.t('integrations.webhooks.intro')}</p>
        {p.webhooks.length === 0 ? (
          <p class="muted">{ctx.t('integrations.none')}</p>
        ) : (
          <AdminTable
            caption={ctx.t('integrations.webhooks.title')}
            columns={[
              ctx.t('integrations.col.url'),
              ctx.t('integrations.col.agency'),
              ctx.t('integrations.col.events'),
              ctx.t('admin.status'),
              ctx.t('integrations.col.expired'),
              ctx.t('admin.actions'),
            ]}
          >
            {p.webhooks.map((w) => (
              <tr key={w.id}>
                <td class="break-all">{w.url}</td>
                <td>{w.agencyName}</td>
                <td>{w.events.map((e) => ctx.t(`integrations.event.${e}`)).join(', ')}</td>
                <td>{w.pausedAt ? ctx.t('integrations.paused') : ctx.t('admin.active')}</td>
                <td data-testid="expired-deliveries">{w.expiredDeliveries}</td>
                <td class="row-actions">
                  <a href={`/kantor/integrasi/webhook/${w.id}?lang=${ctx.lang}`}>
                    {ctx.t('integrations.webhooks.deliveries')}
                    <span class="visually-hidden"> {w.url}</span>
                  </a>{' '}
                  <PostForm ctx={ctx} action={`/kantor/integrasi/webhook/${w.id}/jeda`}>
                    <input type="hidden" name="paused" value={w.pausedAt ? 'false' : 'true'} />
                    <Button variant="secondary">
                      {ctx.t(w.pausedAt ? 'integrations.resume' : 'integrations.pause')}
                      <span class="visually-hidden"> {w.url}</span>
                    </Button>
                  </PostForm>{' '}
                  <PostForm ctx={ctx} action={`/kantor/integrasi/webhook/${w.id}/hapus`}>
                    <Button variant="warning">
                      {ctx.t('integrations.delete')}
                      <span class="visually-hidden"> {w.url}</span>
                    </Button>
                  </PostForm>
                </td>
              </tr>
            ))}
          </AdminTable>
        )}
        <h3>{ctx.t('integrations.webhooks.add')}</h3>
        <PostForm ctx={ctx} action="/kantor/integrasi/webhook">
          <TextInput
            ctx={ctx}
            name="url"
            type="url"
            label={ctx.t('integrations.field.url')}
            hint={ctx.t('integrations.webhooks.url_hint')}
            value={val(form, 'webhook', 'url')}
            error={ew.url}
          />
          <Checkboxes
            ctx={ctx}
            name="events"
            legend={ctx.t('integrations.field.events')}
            values={events === undefined ? [] : [events].flat()}
            options={eventOptions}
            error={ew.events}
          />
          <Select
            ctx={ctx}
            name="hookAgency"
            label={ctx.t('integrations.field.agency')}
            value={val(form, 'webhook', 'hookAgency')}
            options={p.agencies}
            placeholder={ctx.t('integrations.choose_agency')}
            error={ew.hookAgency}
          />
          <Button>{ctx.t('integrations.webhooks.submit')}</Button>
        </PostForm>
      </section>

      {p.national ? (
        <section class="admin-section" aria-labelledby="h-federation">
          <h2 id="h-federation">{ctx.t('integrations.federation.title')}</h2>
          <p>{ctx.t('integrations.federation.intro')}</p>
          <PostForm ctx={ctx} action="/kantor/integrasi/federasi/instans">
            <TextInput
              ctx={ctx}
              name="instanceId"
              label={ctx.t('integrations.field.instance_id')}
              hint={ctx.t('integrations.federation.instance_hint')}
              value={val(form, 'instance', 'instanceId') ?? p.instanceId ?? ''}
              error={ei.instanceId}
            />
            <Button variant="secondary">{ctx.t('admin.save')}</Button>
          </PostForm>
          {p.peers.length === 0 ? (
            <p class="muted">{ctx.t('integrations.none')}</p>
          ) : (
            <AdminTable
              caption={ctx.t('integrations.federation.peers')}
              columns={[
                ctx.t('integrations.field.peer_instance'),
                ctx.t('integrations.col.url'),
                ctx.t('integrations.col.created'),
                ctx.t('admin.actions'),
              ]}
            >
              {p.peers.map((peer) => (
                <tr key={peer.instanceId}>
                  <td>{peer.instanceId}</td>
                  <td class="break-all">{peer.baseUrl}</td>
                  <td>{whenLabel(ctx, peer.createdAt, '')}</td>
                  <td class="row-actions">
                    <PostForm ctx={ctx} action={`/kantor/integrasi/federasi/${peer.instanceId}/hapus`}>
                      <Button variant="warning">
                        {ctx.t('integrations.delete')}
                        <span class="visually-hidden"> {peer.instanceId}</span>
                      </Button>
                    </PostForm>
                  </td>
                </tr>
              ))}
            </AdminTable>
          )}
          <h3>{ctx.t('integrations.federation.add')}</h3>
          <PostForm ctx={ctx} action="/kantor/integrasi/federasi">
            <TextInput
              ctx={ctx}
              name="peerInstance"
              label={ctx.t('integrations.field.peer_instance')}
              value={val(form, 'peer', 'peerInstance')}
              error={ep.peerInstance}
            />
            <TextInput
              ctx={ctx}
              name="peerUrl"
              type="url"
              label={ctx.t('integrations.field.peer_url')}
              hint={ctx.t('integrations.federation.url_hint')}
              value={val(form, 'peer', 'peerUrl')}
              error={ep.peerUrl}
            />
            <TextInput
              ctx={ctx}
              name="peerKey"
              type="password"
              autocomplete="off"
              label={ctx.t('integrations.field.peer_key')}
              hint={ctx.t('integrations.federation.key_hint')}
              error={ep.peerKey}
            />
            <Button>{ctx.t('integrations.federation.submit')}</Button>
          </PostForm>
        </section>
      ) : null}
    </AdminLayout>
  );
}

/** A code like "HTTP 503" from the delivery error, for the status-code column. */
export function httpCodeOf(d: DeliveryView): string {
  if (d.status === 'sent') return '2xx';
  return (d.lastError ? deliveryReason(d.lastError).params.status : undefined) ?? '—';
}

/** The delivery log of one subscription (its outbox rows, newest first). */
export function WebhookDeliveriesPage(p: {
  ctx: PageContext;
  webhook: WebhookRow;
  deliveries: DeliveryView[];
  /** How many of its deliveries expired unsent (all time), and the hold limit in days. */
  expired: { count: number; days: number };
}): VNode {
  const { ctx, webhook } = p;
  return (
    <AdminLayout
      ctx={ctx}
      title={ctx.t('integrations.deliveries.title')}
      current="integrations"
      back={{ href: '/kantor/integrasi', label: ctx.t('integrations.back') }}
    >
      <h1>{ctx.t('integrations.deliveries.title')}</h1>
      <p class="break-all">
        {webhook.url} ({webhook.agencyName},{' '}
        {webhook.pausedAt ? ctx.t('integrations.paused') : ctx.t('admin.active')})
      </p>
      {p.expired.count > 0 ? (
        <p data-testid="expired-count">
          {ctx.t('integrations.deliveries.expired', { count: p.expired.count, days: p.expired.days })}
        </p>
      ) : null}
      {p.deliveries.length === 0 ? (
        <p class="muted">{ctx.t('integrations.deliveries.none')}</p>
      ) : (
        <AdminTable
          caption={ctx.t('integrations.deliveries.title')}
          columns={[
            ctx.t('integrations.col.created'),
            ctx.t('integrations.col.event'),
            ctx.t('integrations.col.report'),
            ctx.t('admin.status'),
            ctx.t('integrations.col.http'),
            ctx.t('integrations.col.attempts'),
            ctx.t('integrations.col.error'),
          ]}
        >
          {p.deliveries.map((d) => (
            <tr key={d.id}>
              <td>{whenLabel(ctx, new Date(d.createdAt), '')}</td>
              <td>{d.kind.replace(/^webhook\./, '')}</td>
              <td>{d.trackingId ?? '—'}</td>
              <td>{ctx.t(`integrations.delivery_status.${d.status}`)}</td>
              <td>{httpCodeOf(d)}</td>
              <td>{d.attempts}</td>
              <td>
                <DeliveryReasonText ctx={ctx} lastError={d.lastError} />
              </td>
            </tr>
          ))}
        </AdminTable>
      )}
    </AdminLayout>
  );
}
