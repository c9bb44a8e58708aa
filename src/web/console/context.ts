import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CoreContext } from '../../core/context.ts';
import type { VisibleCommunity } from '../../core/roles/communities-visible-to.ts';
import type { EffectExecutor } from '../../../jobs/effects.ts';
import type { LlmClient } from '../../core/llm/llm-client.ts';
import { isAppError } from '../../lib/errors.ts';
import { cleanText } from '../../lib/clean-text.ts';
import { errorText } from '../../flows/messages.ts';
import type { ConsoleSessions, Session } from './session.ts';
import type { LoginGuard, LoginGuardOptions } from './login-guard.ts';
import { translator, type ConsoleLocale, type Key, type Params } from './i18n.ts';
import { safePath, type SafeHtml } from './html.ts';

/** What the console needs from the process. */
export interface ConsoleDeps {
  ctx: CoreContext;
  redis: Redis;
  /** Redis key prefix (LINLI_QUEUE_PREFIX): sessions and login counters live under it. */
  prefix: string;
  /** Carries out what the use cases decided (messages, notices, broadcasts, reminders). */
  effects: EffectExecutor;
  /** Lockout thresholds (tests make them small). */
  loginGuard?: LoginGuardOptions;
  /** The configured LLM, for drafts a worker edits (a project from needs); absent: no drafts. */
  llm?: LlmClient;
  /** The web chat is served (/chat): the demo's "try this" list links to it. */
  webChat?: boolean;
}

/** Everything the console's routes share: the deps plus the session store and the login guard. */
export interface ConsoleRuntime extends ConsoleDeps {
  sessions: ConsoleSessions;
  guard: LoginGuard;
  /** The BullMQ queues Bull Board shows (discovered from Redis). */
  queues?: () => Promise<Queue[]>;
}

/** The signed-in account behind a request. */
export interface ConsoleUserView {
  id: number;
  login: string;
  name: string;
  personId: number;
  isAdmin: boolean;
}

/** Per-request state the hooks fill in and the pages read. */
export interface ConsoleRequestState {
  locale: ConsoleLocale;
  t: (key: Key, params?: Params) => string;
  session?: Session;
  user?: ConsoleUserView;
  /** Communities this account may see (its person's grants). */
  communities: VisibleCommunity[];
  /** The community of a /console/c/:code/… route, once the core said the account may see it. */
  community?: VisibleCommunity;
  /** Whether the account may change things in that community (a worker or admin grant; a viewer may not). */
  canWrite: boolean;
}

const states = new WeakMap<FastifyRequest, ConsoleRequestState>();

export function stateOf(req: FastifyRequest): ConsoleRequestState {
  let s = states.get(req);
  if (!s) {
    const locale = localeFromCookie(req);
    s = { locale, t: translator(locale), communities: [], canWrite: false };
    states.set(req, s);
  }
  return s;
}

/** The state of a request that passed the sign-in hook. */
export function signedIn(req: FastifyRequest): Required<Pick<ConsoleRequestState, 'session' | 'user'>> & ConsoleRequestState {
  const s = stateOf(req);
  if (!s.session || !s.user) throw new Error('signedIn: the request is not signed in (is the auth hook registered?)');
  return s as Required<Pick<ConsoleRequestState, 'session' | 'user'>> & ConsoleRequestState;
}

/** The community of a /console/c/:code route. */
export function communityOf(req: FastifyRequest): VisibleCommunity {
  const c = stateOf(req).community;
  if (!c) throw new Error('communityOf: not a /console/c/:code route');
  return c;
}

export const langCookie = 'linli_lang';

function localeFromCookie(req: FastifyRequest): ConsoleLocale {
  const v = (req.cookies as Record<string, string | undefined> | undefined)?.[langCookie];
  return v === 'zh-Hant' || v === 'en' ? v : 'zh-Hans';
}

/** Sends a page. */
export function sendPage(reply: FastifyReply, page: SafeHtml, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page.value);
}

/** What a person reads for a failure: an AppError's message in their language, else a generic line. */
export function failureText(req: FastifyRequest, err: unknown): string {
  const { locale, t } = stateOf(req);
  if (isAppError(err)) {
    if (err.code === 'INVALID_INPUT' && typeof err.details.why === 'string' && err.details.why) {
      const why = err.details.why;
      if (why === 'short') return t('passwordShort');
      if (why === 'same_as_login') return t('passwordSameAsLogin');
      return `${errorText(locale === 'zh-Hant' ? 'zh-Hant' : locale, 'INVALID_INPUT')}（${err.details.field ?? ''}: ${why}）`;
    }
    return errorText(locale, err.code, err.details);
  }
  return t('unexpected');
}

/**
 * Runs a form's change and answers with a redirect (303, post/redirect/get) to `to`, with the
 * outcome as the next page's flash message: `ok` on success, the error's text on an AppError.
 * Anything else propagates (500 page).
 */
export async function act(
  req: FastifyRequest,
  reply: FastifyReply,
  deps: ConsoleRuntime,
  to: string,
  change: () => Promise<string | { ok: string; to?: string }>,
): Promise<FastifyReply> {
  const s = signedIn(req);
  let target = to;
  try {
    const r = await change();
    const text = typeof r === 'string' ? r : r.ok;
    if (typeof r !== 'string' && r.to) target = r.to;
    await deps.sessions.setFlash(s.session, { kind: 'ok', text });
  } catch (err) {
    if (!isAppError(err)) throw err;
    await deps.sessions.setFlash(s.session, { kind: 'error', text: failureText(req, err) });
  }
  return reply.redirect(safePath(target), 303);
}

/**
 * A form field as one string (first of repeated values), cleaned (src/lib/clean-text.ts: NUL,
 * control and bidi override characters, lone surrogates) and trimmed; '' when absent.
 */
export function field(body: unknown, name: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  const one = Array.isArray(v) ? v[0] : v;
  return typeof one === 'string' ? cleanText(one).trim() : '';
}

/** A form field that may repeat (checkboxes), as strings, each cleaned like {@link field}. */
export function fields(body: unknown, name: string): string[] {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  const all = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return all.filter((x): x is string => typeof x === 'string').map((x) => cleanText(x).trim()).filter(Boolean);
}

/** Positive integers from repeated or comma-separated fields; invalid pieces are dropped. */
export function numbers(values: string[]): number[] {
  return [
    ...new Set(
      values
        .flatMap((v) => v.split(/[,，\s]+/))
        .map((v) => v.replace(/^#/, ''))
        .filter((v) => /^\d{1,9}$/.test(v))
        .map(Number)
        .filter((n) => n > 0),
    ),
  ];
}
