import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import { isAppError } from '../../lib/errors.ts';
import { communitiesVisibleTo, requireVisibleCommunity } from '../../core/roles/communities-visible-to.ts';
import { isWorker } from '../../core/roles/is-worker.ts';
import { html, safePath } from './html.ts';
import { act, failureText, langCookie, sendPage, signedIn, stateOf, type ConsoleDeps, type ConsoleRuntime } from './context.ts';
import { page } from './layout.ts';
import { ConsoleSessions, csrfMatches, sessionCookie } from './session.ts';
import { LoginGuard } from './login-guard.ts';
import { cookieOptions, loginRoutes } from './pages/login.ts';
import { assetRoutes } from './assets.ts';
import { communityHomeRoutes, homeRoutes } from './pages/home.ts';
import { needRoutes } from './pages/needs.ts';
import { projectRoutes } from './pages/projects.ts';
import { claimRoutes } from './pages/claims.ts';
import { hoursRoutes } from './pages/hours.ts';
import { evaluationRoutes, reportRoutes } from './pages/reports.ts';
import { exportRoutes } from './pages/exports.ts';
import { auditRoutes } from './pages/audit.ts';
import { userRoutes } from './pages/users.ts';
import { queueBoard } from './queues.ts';
import { checkinRoutes } from './pages/checkin.ts';
import { ventureRoutes } from './pages/ventures.ts';

export type { ConsoleDeps } from './context.ts';

/** Content-Security-Policy of the console's own pages: nothing inline, nothing from elsewhere. */
const csp = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Bull Board's own UI (admins only): its scripts and styles are its own files, served from here
 * (queues.ts strips the Google Fonts link its page carries), but its page has inline style
 * attributes, and a <base href>: a policy of its own, no looser than that. It may not be framed either.
 */
const boardCsp = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
const queuesPath = '/console/admin/queues';

/**
 * The community workers' console, server-rendered HTML under /console. Mount it with
 * `await consoleRoutes(app, deps)`: it registers its own encapsulated scope (cookies, form bodies,
 * error pages and security headers touch no other route).
 *
 * Every page but the login needs a session (Redis). Every POST needs the session's CSRF token
 * (`_csrf` field or `x-csrf-token` header). What an account may see is its person's role grants,
 * decided in core (communitiesVisibleTo / requireVisibleCommunity: a community that is not theirs
 * answers 404 like one that does not exist); every change goes through a core use case with the
 * person as actor and via 'console', which checks requireWorker and writes the AuditLog row.
 */
export async function consoleRoutes(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const rt: ConsoleRuntime = {
    ...deps,
    sessions: new ConsoleSessions(deps.redis, deps.prefix),
    guard: new LoginGuard(deps.redis, deps.prefix, deps.loginGuard),
  };
  await app.register(
    async (scope) => {
      await scope.register(fastifyCookie);
      await scope.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
      scope.addHook('onSend', async (req, reply, payload) => {
        reply.header('x-content-type-options', 'nosniff');
        reply.header('referrer-policy', 'same-origin');
        reply.header('x-frame-options', 'DENY');
        reply.header('content-security-policy', req.url.startsWith(queuesPath) ? boardCsp : csp);
        return payload;
      });
      scope.setErrorHandler((err, req, reply) => errorPage(err instanceof Error ? err : new Error(String(err)), req, reply));
      scope.setNotFoundHandler((req, reply) => notFound(req, reply));

      assetRoutes(scope);
      loginRoutes(scope, rt);
      scope.get('/lang', async (req, reply) => {
        const q = req.query as Record<string, unknown>;
        const to = q.to === 'zh-Hant' || q.to === 'en' ? q.to : 'zh-Hans';
        reply.setCookie(langCookie, to, { ...cookieOptions(req, 365 * 86400), httpOnly: false });
        return reply.redirect(safePath(q.back, '/console/'), 303);
      });

      await scope.register(async (authed) => {
        authed.addHook('preHandler', async (req, reply) => authenticate(rt, req, reply));
        authed.post('/logout', async (req, reply) => {
          const { session } = signedIn(req);
          await rt.sessions.destroy(session.id);
          reply.clearCookie(sessionCookie, { path: '/console' });
          return reply.redirect('/console/login', 303);
        });
        authed.get('/go', async (req, reply) => {
          const code = (req.query as Record<string, unknown>).c;
          const c = stateOf(req).communities.find((x) => x.code === code);
          return reply.redirect(c ? `/console/c/${c.code}` : '/console/', 303);
        });
        homeRoutes(authed, rt);
        reportRoutes(authed, rt);
        await authed.register(
          async (c) => {
            c.addHook('preHandler', async (req) => {
              const s = signedIn(req);
              const code = (req.params as { code?: string }).code ?? '';
              // The core decides: a community outside the account's grants is COMMUNITY_NOT_FOUND (404).
              s.community = await requireVisibleCommunity(rt.ctx, s.user.personId, code);
              s.canWrite = await isWorker(rt.ctx, s.user.personId, s.community.id);
            });
            communityHomeRoutes(c, rt);
            needRoutes(c, rt);
            projectRoutes(c, rt);
            checkinRoutes(c, rt);
            evaluationRoutes(c, rt);
            claimRoutes(c, rt);
            hoursRoutes(c, rt);
            ventureRoutes(c, rt);
            exportRoutes(c, rt);
            auditRoutes(c, rt);
          },
          { prefix: '/c/:code' },
        );
        await authed.register(
          async (admin) => {
            admin.addHook('preHandler', async (req, reply) => {
              // Not an administrator: no such page (as for anything else an account may not see).
              if (!signedIn(req).user.isAdmin) return notFound(req, reply);
            });
            userRoutes(admin, rt);
            await queueBoard(admin, rt, queuesPath);
          },
          { prefix: '/admin' },
        );
      });
    },
    { prefix: '/console' },
  );
}

/** The sign-in and CSRF hook of every page but the login. */
async function authenticate(rt: ConsoleRuntime, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const s = stateOf(req);
  const id = req.cookies[sessionCookie];
  const session = await rt.sessions.get(id);
  const toLogin = (expired: boolean) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendPage(reply, page(req, { title: s.t('loginTitle'), bare: true, content: html`<div class="card"><p>${s.t('loginExpired')}</p><p><a class="btn primary" href="/console/login">${s.t('loginSubmit')}</a></p></div>` }), 401);
    const next = encodeURIComponent(req.url);
    return reply.redirect(`/console/login?next=${next}${expired ? '&expired=1' : ''}`, 303);
  };
  if (!session) return toLogin(Boolean(id));
  const user = await rt.ctx.prisma.consoleUser.findUnique({ where: { id: session.userId }, include: { person: { select: { displayName: true } } } });
  if (!user || user.disabledAt || user.passwordChangedAt.getTime() !== session.pw) {
    await rt.sessions.destroy(session.id);
    reply.clearCookie(sessionCookie, { path: '/console' });
    return toLogin(true);
  }
  s.session = session;
  s.user = { id: user.id, login: user.login, name: user.person.displayName, personId: user.personId, isAdmin: user.isAdmin };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const submitted = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.headers['x-csrf-token'];
    const boardCall = req.url.startsWith(`${queuesPath}/api/`) && sameOrigin(req);
    if (!csrfMatches(session, submitted) && !boardCall) {
      req.log.warn({ url: req.url, user: user.id }, 'console: CSRF token missing or wrong');
      return sendPage(reply, page(req, { title: s.t('csrfTitle'), content: html`<div class="card"><h1>${s.t('csrfTitle')}</h1><p>${s.t('csrfRefused')}</p></div>` }), 403);
    }
  }
  s.communities = await communitiesVisibleTo(rt.ctx, user.personId);
  return undefined;
}

/** A request the browser marks as from this very site (Bull Board's own calls carry no token). */
function sameOrigin(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  const host = req.headers.host;
  if (typeof origin === 'string' && host) {
    try {
      return new URL(origin).host === host && (site === undefined || site === 'same-origin');
    } catch {
      return false;
    }
  }
  return site === 'same-origin';
}

function forbidden(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { t } = stateOf(req);
  return sendPage(reply, page(req, { title: t('forbiddenTitle'), content: html`<div class="card"><h1>${t('forbiddenTitle')}</h1><p>${t('forbidden')}</p></div>` }), 403);
}

function notFound(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { t } = stateOf(req);
  return sendPage(
    reply,
    page(req, { title: t('notFoundTitle'), content: html`<div class="card" data-testid="not-found"><h1>${t('notFoundTitle')}</h1><p>${t('notFound')}</p><p><a href="/console/">${t('backHome')}</a></p></div>` }),
    404,
  );
}

function errorPage(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { t } = stateOf(req);
  if (isAppError(err)) {
    if (err.code === 'COMMUNITY_NOT_FOUND' || err.code.endsWith('_NOT_FOUND')) return notFound(req, reply);
    if (err.code === 'NOT_A_WORKER' || err.code === 'NOT_AN_ADMIN') return forbidden(req, reply);
    return sendPage(reply, page(req, { title: t('errorTitle'), content: html`<div class="card"><h1>${t('errorTitle')}</h1><p>${failureText(req, err)}</p></div>` }), 422);
  }
  const fe = err as FastifyError;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return sendPage(reply, page(req, { title: t('errorTitle'), content: html`<div class="card"><h1>${t('errorTitle')}</h1><p>${t('badRequest')}</p></div>` }), fe.statusCode);
  }
  req.log.error({ err }, 'console request failed');
  return sendPage(reply, page(req, { title: t('errorTitle'), content: html`<div class="card"><h1>${t('errorTitle')}</h1><p>${t('unexpected')}</p></div>` }), 500);
}

export { act };
