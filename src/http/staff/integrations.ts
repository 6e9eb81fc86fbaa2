/**
 * The integrations page (`/kantor/integrasi`, docs/back-office.md and docs/integrations.md): partner API keys,
 * agency API tokens, webhook subscriptions with their delivery log, and (national admin) federation peers.
 * Agency admins and coordinators see and change only the agencies in their `manage_api_keys` scope; officers
 * get 403. Every POST carries `_csrf` (auth hook), runs a command that checks the scope itself, and redirects
 * (PRG). A created key/token/secret travels to the next GET in a sealed, httpOnly, path-scoped cookie that
 * is read once, so it is shown exactly once and never stored in clear, logged or put in a URL.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import type { Caller, Services } from '../../app/context.ts';
import { AppError } from '../../app/errors.ts';
import { issuePartnerKey, managesAllKeys, revokePartnerKey } from '../../commands/manage-partner-keys.ts';
import { mintIntegrationToken, revokeIntegrationToken } from '../../commands/mint-integration-token.ts';
import {
  createAgencyWebhook,
  removeAgencyWebhook,
  requireIntegrationAdmin,
  setAgencyWebhookPaused,
} from '../../commands/manage-agency-webhooks.ts';
import {
  addFederationPeer,
  instanceIdOf,
  INSTANCE_ID,
  removeFederationPeer,
  setInstanceId,
} from '../../commands/configure-federation.ts';
import { agenciesInScope } from '../../queries/admin.ts';
import {
  listAgencyTokens,
  listFederationPeers,
  listPartnerKeys,
  listWebhooks,
} from '../../queries/integration-admin.ts';
import { deliveryHistory, expiredDeliveryCount } from '../../queries/integrations.ts';
import { webhookHoldDays } from '../../commands/release-held-webhooks.ts';
import {
  IntegrationsPage,
  WebhookDeliveriesPage,
  type CreatedSecret,
} from '../../views/staff/integrations-page.tsx';
import type { FormState } from '../../views/staff/common.tsx';
import { pageContext, sendPage } from '../web/render.ts';
import { handleForm, requireAdmin, staleAdminForm, str } from './admin-forms.ts';
import { list, renameFields, type FormBody } from './forms.ts';

const FLASH_COOKIE = 'aduan_integration_secret';
const FLASH_PATH = '/kantor/integrasi';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NOTICES: Record<string, string> = {
  cabut: 'integrations.done.revoked',
  jeda: 'integrations.done.paused',
  lanjut: 'integrations.done.resumed',
  hapus: 'integrations.done.deleted',
  simpan: 'admin.saved',
};

/**
 * Fields of this page's forms whose names look secret but are not (the name and agency of a key or token), given back
 * after a stale token; the secrets themselves (a peer's API key) never are.
 */
const NOT_SECRET = ['keyName', 'keyAgency', 'keyOptions', 'tokenName', 'tokenAgency'];

/** Runs a command and renames its field errors to this page's field names. */
async function renamed<T>(run: () => Promise<T>, names: Record<string, string>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw renameFields(err, names);
  }
}

/** Registers the integrations routes. */
export const staffIntegrationRoutes: FastifyPluginAsync<{
  services: Services;
  secureCookies: boolean;
}> = async (app, opts) => {
  const svc = opts.services;

  async function page(req: FastifyRequest, reply: FastifyReply, form?: FormState, status = 200) {
    const caller = req.caller;
    const national = managesAllKeys(caller);
    const scope = await agenciesInScope(svc, caller.actor, 'manage_api_keys');
    const ids = scope.map((a) => a.id);
    const [keys, tokens, webhooks, peers, instanceId] = await Promise.all([
      listPartnerKeys(svc.db, ids, national),
      listAgencyTokens(svc.db, ids, national),
      listWebhooks(svc.db, ids),
      national ? listFederationPeers(svc.db) : Promise.resolve([]),
      national ? instanceIdOf(svc.db) : Promise.resolve(null),
    ]);
    let created: CreatedSecret | undefined;
    const sealed = req.cookies[FLASH_COOKIE];
    if (sealed) {
      try {
        created = svc.sealer.open<CreatedSecret>(sealed);
      } catch {
        /* a stale or forged cookie shows nothing */
      }
      reply.clearCookie(FLASH_COOKIE, { path: FLASH_PATH });
    }
    const ctx = pageContext(req);
    const done = (req.query as Record<string, string | undefined>).selesai;
    let notice = done && !created && NOTICES[done] ? ctx.t(NOTICES[done]) : undefined;
    // Resuming may have expired held deliveries that waited past the hold limit: the notice says how many.
    const expired = Number((req.query as Record<string, string | undefined>).kedaluwarsa);
    if (notice && done === 'lanjut' && Number.isSafeInteger(expired) && expired > 0)
      notice += ` ${ctx.t('integrations.done.expired', { count: expired, days: webhookHoldDays(svc) })}`;
    const agencies = scope.map((a) => ({
      value: a.id,
      label: `${'\u00a0\u00a0'.repeat(a.depth)}${a.name}`,
    }));
    return sendPage(
      reply,
      req,
      h(IntegrationsPage, {
        ctx,
        agencies,
        national,
        keys,
        tokens,
        webhooks,
        peers,
        instanceId,
        created,
        form,
        notice,
      }),
      status,
    );
  }

  /** Seals the new secret into the read-once cookie and returns the page to redirect to. */
  function flash(reply: FastifyReply, created: CreatedSecret): string {
    reply.setCookie(FLASH_COOKIE, svc.sealer.seal(created), {
      path: FLASH_PATH,
      httpOnly: true,
      sameSite: 'strict',
      secure: opts.secureCookies,
      maxAge: 600,
    });
    return FLASH_PATH;
  }

  /** A POST on this page: admin gate, command, PRG; failures re-render the page with the summary. */
  const post = (
    path: string,
    action: string,
    inputs: string[],
    run: (
      body: FormBody,
      caller: Caller,
      reply: FastifyReply,
      params: Record<string, string>,
    ) => Promise<string>,
    secret: string[] = [],
  ) =>
    // Every form here re-renders the integrations page: its language switch reopens that page, and a stale token
    // re-renders it with what was typed (`staleAdminForm`).
    app.post(
      path,
      { config: { langPath: FLASH_PATH, ...staleAdminForm(action, page, { keep: NOT_SECRET }) } },
      async (req, reply) => {
        if (!requireAdmin(req, reply)) return reply;
        const params = req.params as Record<string, string>;
        return handleForm(req, reply, {
          action,
          inputs,
          secret,
          run: (body) => run(body, req.caller, reply, params),
          rerender: (form, status) => page(req, reply, form, status),
        });
      },
    );

  const uuidParam = (params: Record<string, string>): string => {
    const id = params.id ?? '';
    if (!UUID.test(id)) throw new AppError('NOT_FOUND');
    return id;
  };

  app.get('/kantor/integrasi', async (req, reply) => {
    if (!requireAdmin(req, reply)) return reply;
    return page(req, reply);
  });

  post(
    '/kantor/integrasi/kunci',
    'key',
    ['keyName', 'keyAgency', 'keyOptions'],
    async (body, caller, reply) => {
      const options = list(body.keyOptions);
      if (options.some((o) => o !== 'agency' && o !== 'federation'))
        throw new AppError('VALIDATION_FAILED', {
          keyOptions: { key: 'one_of', params: { options: 'agency, federation' } },
        });
      const name = str(body.keyName);
      const out = await renamed(
        () =>
          issuePartnerKey(svc, caller, {
            name,
            agencyId: str(body.keyAgency) || undefined,
            actForAgency: options.includes('agency'),
            federation: options.includes('federation'),
          }),
        { name: 'keyName', agencyId: 'keyAgency' },
      );
      return flash(reply, { kind: 'key', name, secret: out.key });
    },
  );

  post('/kantor/integrasi/kunci/:id/cabut', 'revoke', [], async (_body, caller, _reply, params) => {
    await revokePartnerKey(svc, caller, uuidParam(params));
    return `${FLASH_PATH}?selesai=cabut`;
  });

  post('/kantor/integrasi/token', 'token', ['tokenName', 'tokenAgency'], async (body, caller, reply) => {
    const agencyId = str(body.tokenAgency);
    const name = str(body.tokenName);
    if (!agencyId)
      throw new AppError('VALIDATION_FAILED', {
        ...(name ? {} : { tokenName: { key: 'required' } }),
        tokenAgency: { key: 'required' },
      });
    const out = await renamed(() => mintIntegrationToken(svc, caller, { agencyId, name }), {
      name: 'tokenName',
      agencyId: 'tokenAgency',
    });
    return flash(reply, { kind: 'token', name, secret: out.token });
  });

  post('/kantor/integrasi/token/:id/cabut', 'revoke', [], async (_body, caller, _reply, params) => {
    await revokeIntegrationToken(svc, caller, uuidParam(params));
    return `${FLASH_PATH}?selesai=cabut`;
  });

  post(
    '/kantor/integrasi/webhook',
    'webhook',
    ['url', 'events', 'hookAgency'],
    async (body, caller, reply) => {
      const agencyId = str(body.hookAgency);
      const url = str(body.url);
      const out = await renamed(
        () => createAgencyWebhook(svc, caller, { agencyId, url, events: list(body.events) }),
        { agencyId: 'hookAgency' },
      );
      return flash(reply, { kind: 'webhook', name: url, secret: out.secret });
    },
  );

  post('/kantor/integrasi/webhook/:id/jeda', 'pause', [], async (body, caller, _reply, params) => {
    const paused = str(body.paused) !== 'false';
    const { expired } = await setAgencyWebhookPaused(svc, caller, uuidParam(params), paused);
    return `${FLASH_PATH}?selesai=${paused ? 'jeda' : 'lanjut'}${expired ? `&kedaluwarsa=${expired}` : ''}`;
  });

  post('/kantor/integrasi/webhook/:id/hapus', 'delete', [], async (_body, caller, _reply, params) => {
    await removeAgencyWebhook(svc, caller, uuidParam(params));
    return `${FLASH_PATH}?selesai=hapus`;
  });

  app.get('/kantor/integrasi/webhook/:id', async (req, reply) => {
    if (!requireAdmin(req, reply)) return reply;
    const id = uuidParam(req.params as Record<string, string>);
    const scope = await agenciesInScope(svc, req.caller.actor, 'manage_api_keys');
    const webhook = (
      await listWebhooks(
        svc.db,
        scope.map((a) => a.id),
      )
    ).find((w) => w.id === id);
    if (!webhook) throw new AppError('NOT_FOUND');
    await requireIntegrationAdmin(svc, req.caller, webhook.agencyId);
    const deliveries = await deliveryHistory(svc.db, id, 50);
    const expired = { count: await expiredDeliveryCount(svc.db, id), days: webhookHoldDays(svc) };
    return sendPage(
      reply,
      req,
      h(WebhookDeliveriesPage, { ctx: pageContext(req), webhook, deliveries, expired }),
    );
  });

  // Federation: national admin only (peers act for the whole instance).
  const nationalOnly = (caller: Caller) => {
    if (!managesAllKeys(caller)) throw new AppError('FORBIDDEN');
  };

  post('/kantor/integrasi/federasi/instans', 'instance', ['instanceId'], async (body, caller) => {
    nationalOnly(caller);
    await setInstanceId(svc, str(body.instanceId), caller);
    return `${FLASH_PATH}?selesai=simpan`;
  });

  post(
    '/kantor/integrasi/federasi',
    'peer',
    ['peerInstance', 'peerUrl', 'peerKey'],
    async (body, caller) => {
      nationalOnly(caller);
      await renamed(
        () =>
          addFederationPeer(
            svc,
            {
              instanceId: str(body.peerInstance),
              baseUrl: str(body.peerUrl),
              apiKey: str(body.peerKey),
            },
            caller,
          ),
        { instanceId: 'peerInstance', baseUrl: 'peerUrl', apiKey: 'peerKey' },
      );
      return `${FLASH_PATH}?selesai=simpan`;
    },
    ['peerKey'],
  );

  app.post(
    '/kantor/integrasi/federasi/:instance/hapus',
    { config: staleAdminForm('remove-peer', page) },
    async (req, reply) => {
      if (!requireAdmin(req, reply)) return reply;
      nationalOnly(req.caller);
      const { instance } = req.params as { instance: string };
      if (!INSTANCE_ID.test(instance) || !(await removeFederationPeer(svc, instance, req.caller)))
        throw new AppError('NOT_FOUND');
      return reply.redirect(`${FLASH_PATH}?selesai=hapus&lang=${pageContext(req).lang}`, 303);
    },
  );
};
