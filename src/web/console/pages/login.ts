import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findConsoleUserByLogin, normalizeLogin, recordConsoleLogin } from '../../../core/console-users/console-users.ts';
import { verifyPassword } from '../../../core/console-users/passwords.ts';
import { html, safePath } from '../html.ts';
import { field, sendPage, stateOf, type ConsoleRuntime } from '../context.ts';
import { page } from '../layout.ts';
import { sessionCookie } from '../session.ts';

/** The login form's CSRF protection before there is a session: a double-submit token in its own cookie. */
const loginCsrfCookie = 'linli_console_login';

/** Whether the request came over https (directly, or through a proxy that says so). */
export function isHttps(req: FastifyRequest): boolean {
  if (req.protocol === 'https') return true;
  const fwd = req.headers['x-forwarded-proto'];
  return typeof fwd === 'string' && fwd.split(',')[0]?.trim() === 'https';
}

export function cookieOptions(req: FastifyRequest, maxAge?: number) {
  return { path: '/console', httpOnly: true, sameSite: 'lax' as const, secure: isHttps(req), ...(maxAge !== undefined ? { maxAge } : {}) };
}

function loginPage(req: FastifyRequest, reply: FastifyReply, opts: { error?: string; login?: string; next?: string; status?: number }) {
  const { t } = stateOf(req);
  const token = randomBytes(24).toString('base64url');
  reply.setCookie(loginCsrfCookie, token, { ...cookieOptions(req, 1800), sameSite: 'strict' });
  const next = safePath(opts.next ?? '', '');
  return sendPage(
    reply,
    page(req, {
      title: t('loginTitle'),
      bare: true,
      content: html`<section class="login">
  <div class="login-brand"><img src="/console/assets/icon.svg" alt="" width="48" height="48"><h1>${t('appName')}</h1><p>${t('loginLead')}</p></div>
  <form method="post" action="/console/login" class="card login-card" data-testid="login-form">
    <input type="hidden" name="_csrf" value="${token}">
    ${next ? html`<input type="hidden" name="next" value="${next}">` : ''}
    ${opts.error ? html`<div class="flash error" role="alert" data-testid="login-error">${opts.error}</div>` : ''}
    <label>${t('loginName')}<input name="login" autocomplete="username" required maxlength="64" value="${opts.login ?? ''}" autofocus data-testid="login-name"></label>
    <label>${t('password')}<input name="password" type="password" autocomplete="current-password" required maxlength="200" data-testid="login-password"></label>
    <button type="submit" class="btn primary block" data-testid="login-submit">${t('loginSubmit')}</button>
    <p class="hint">${t('loginHint')}</p>
  </form>
  <p class="lang center"><a href="/console/lang?to=zh-Hans&amp;back=/console/login">简体</a> · <a href="/console/lang?to=zh-Hant&amp;back=/console/login">繁體</a> · <a href="/console/lang?to=en&amp;back=/console/login">English</a></p>
</section>`,
    }),
    opts.status ?? 200,
  );
}

/**
 * GET/POST /console/login and POST /console/logout. A right password opens a new session (new id,
 * httpOnly, SameSite=Lax, Secure over https); every attempt is counted towards the login's and the
 * address's lockout (LoginGuard) before any password is verified, and given back when it was right.
 */
export function loginRoutes(app: FastifyInstance, rt: ConsoleRuntime): void {
  app.get('/login', async (req, reply) => {
    const s = await rt.sessions.get(req.cookies[sessionCookie]);
    if (s) return reply.redirect('/console/', 303);
    const q = req.query as Record<string, unknown>;
    const expired = q.expired === '1' ? stateOf(req).t('loginExpired') : undefined;
    return loginPage(req, reply, { next: typeof q.next === 'string' ? q.next : undefined, error: expired });
  });

  app.post('/login', async (req, reply) => {
    const { t } = stateOf(req);
    const body = req.body;
    const login = field(body, 'login').slice(0, 64);
    const password = (() => {
      const v = (body as Record<string, unknown> | undefined)?.password;
      return typeof v === 'string' ? v.slice(0, 200) : '';
    })();
    const next = field(body, 'next');
    const cookieToken = req.cookies[loginCsrfCookie] ?? '';
    const formToken = field(body, '_csrf');
    if (!cookieToken || cookieToken.length !== formToken.length || !timingSafeEqual(Buffer.from(cookieToken), Buffer.from(formToken))) {
      return loginPage(req, reply, { error: t('csrfRefused'), login, next, status: 403 });
    }
    const key = normalizeLogin(login) || '(empty)';
    const ip = req.ip;
    // The attempt is counted (reserved) before the password is checked, so parallel posts cannot
    // all slip in under the limit.
    const reserved = await rt.guard.reserve(key, ip);
    if ('lockedFor' in reserved) {
      req.log.warn({ login: key, ip }, 'console login refused: locked');
      return loginPage(req, reply, { error: t('loginLocked', { minutes: Math.ceil(reserved.lockedFor / 60) }), login, next, status: 429 });
    }
    const user = await findConsoleUserByLogin(rt.ctx, login);
    const ok = await verifyPassword(user?.passwordHash ?? null, password);
    if (!ok || !user || user.disabledAt) {
      const lockedNow = await rt.guard.failed(reserved.attempt);
      if (lockedNow > 0) req.log.warn({ login: key, ip, lockedFor: lockedNow }, 'console login locked after repeated wrong passwords');
      else req.log.info({ login: key, ip }, 'console login failed');
      const error = lockedNow > 0 ? t('loginLocked', { minutes: Math.ceil(lockedNow / 60) }) : t('loginWrong');
      return loginPage(req, reply, { error, login, next, status: lockedNow > 0 ? 429 : 401 });
    }
    await rt.guard.succeeded(reserved.attempt);
    const old = req.cookies[sessionCookie];
    if (old) await rt.sessions.destroy(old);
    const session = await rt.sessions.create(user.id, user.passwordChangedAt);
    await recordConsoleLogin(rt.ctx, { userId: user.id, ip });
    reply.clearCookie(loginCsrfCookie, { path: '/console' });
    reply.setCookie(sessionCookie, session.id, cookieOptions(req));
    return reply.redirect(safePath(next, '/console/'), 303);
  });
}
