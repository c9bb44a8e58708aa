import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isAppError, type ErrorCode } from '../../lib/errors.ts';
import { isUniqueViolation } from '../../db/prisma.ts';
import { errorText, t, type Locale } from '../../flows/messages.ts';
import { timeProblemTexts } from '../../lib/time.ts';

/**
 * How the worker API answers a failure, in one place: the HTTP status for each AppError code and
 * the JSON body `{ error: { code, message } }`, the message in the caller's language
 * (`?lang=en`, or Accept-Language; Simplified Chinese by default).
 *
 *   401 TOKEN_MISSING / TOKEN_INVALID    no, unknown or revoked token
 *   403 NOT_A_WORKER, NOT_AN_ORG_MEMBER, GROUP_BOUND_ELSEWHERE  the token's person may not do this
 *       in this community (or, for a group, in the community it belongs to)
 *   404 *_NOT_FOUND, NOT_FOUND           no such community, project, claim, broadcast… (in this community)
 *   409 conflicts with the current state: CLAIM_TAKEN, CLAIM_DECIDED, BAD_TRANSITION, ALREADY_*,
 *       PROJECT_CLOSED, PROJECT_NOT_OPEN, NEED_CLOSED, SHIFT_FULL, NOT_CLAIMABLE, CONFLICT
 *   422 INVALID_INPUT (a body, query or path parameter that fails validation; `issues` lists
 *       each field), NO_GROUPS and the other codes that say the request itself cannot be done
 *   400 BAD_REQUEST                      a body that is not JSON at all
 *   413 TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE  a body over 256 KB, or not JSON by its type
 *   429 RATE_LIMITED
 *   500 INTERNAL                         anything unexpected (logged)
 */
const statusByCode: Partial<Record<ErrorCode, number>> = {
  NOT_A_WORKER: 403,
  NOT_AN_ADMIN: 403,
  NOT_AN_ORG_MEMBER: 403,
  GROUP_BOUND_ELSEWHERE: 403,
  CLAIM_TAKEN: 409,
  CLAIM_DECIDED: 409,
  BAD_TRANSITION: 409,
  PROJECT_CLOSED: 409,
  PROJECT_NOT_OPEN: 409,
  NEED_CLOSED: 409,
  SHIFT_FULL: 409,
  NOT_CLAIMABLE: 409,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  INVALID_INPUT: 422,
  NO_GROUPS: 422,
};

/** The HTTP status for an AppError code; codes added later fall into place by their names. */
export function statusOf(code: ErrorCode): number {
  const known = statusByCode[code];
  if (known !== undefined) return known;
  if (code.endsWith('_NOT_FOUND')) return 404;
  if (code.startsWith('ALREADY_')) return 409;
  return 422;
}

/** The caller's language: `?lang=` first, then Accept-Language, else Simplified Chinese. */
export function requestLocale(req: FastifyRequest): Locale {
  const lang = (req.query as Record<string, unknown> | undefined)?.lang;
  if (typeof lang === 'string') return localeOf(lang) ?? 'zh-Hans';
  const header = req.headers['accept-language'];
  if (typeof header === 'string') {
    const ranked = header
      .split(',')
      .map((part, i) => {
        const [tag = '', ...params] = part.trim().split(';');
        const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? '1');
        return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, i };
      })
      .filter((x) => x.tag && x.q > 0)
      .sort((a, b) => b.q - a.q || a.i - b.i);
    for (const r of ranked) {
      const l = localeOf(r.tag);
      if (l) return l;
    }
  }
  return 'zh-Hans';
}

function localeOf(tag: string): Locale | undefined {
  const s = tag.toLowerCase();
  if (s === 'en' || s.startsWith('en-')) return 'en';
  if (/^zh-(hant|tw|hk|mo)/.test(s)) return 'zh-Hant';
  if (s === 'zh' || s.startsWith('zh-')) return 'zh-Hans';
  return undefined;
}

/** Messages for the checks the API's own schemas make (custom zod issues carry `params.key`). */
const customIssues = {
  // The time rules' own words (src/lib/time.ts), so the CLI and the API say the same.
  time: timeProblemTexts.start,
  endTime: timeProblemTexts.end,
  endAfterStart: timeProblemTexts.endNotAfterStart,
  endBeforeStart: timeProblemTexts.endBeforeStart,
  shiftTooLong: timeProblemTexts.tooLong,
  pastTime: timeProblemTexts.past,
  category: { 'zh-Hans': '没有这个分类（可用：elderly、children、repair 等，见 domain.md）', en: 'unknown category (e.g. elderly, children, repair)' },
  cron: { 'zh-Hans': 'cron 表达式应为 5 或 6 段，例如「0 9 * * 1」', en: 'a cron pattern has 5 or 6 fields, e.g. "0 9 * * 1"' },
  timezone: { 'zh-Hans': '不认识的时区，例如 Asia/Shanghai', en: 'unknown time zone, e.g. Asia/Shanghai' },
  atOrCron: { 'zh-Hans': 'at 和 cron 只能给一个', en: 'give either at or cron, not both' },
  patchEmpty: { 'zh-Hans': '至少要改一项：status、title 或 description', en: 'change at least one of status, title, description' },
  publishVia: { 'zh-Hans': '发布请用 POST …/publish，它会同时群发公告', en: 'publish with POST …/publish, which also broadcasts the announcement' },
  required: { 'zh-Hans': '必填', en: 'required' },
} as const;
export type CustomIssue = keyof typeof customIssues;

function issueText(key: CustomIssue, locale: Locale): string {
  const m = customIssues[key];
  return locale === 'en' ? m.en : m['zh-Hans'];
}

const zodLocales = { 'zh-Hans': z.locales.zhCN(), 'zh-Hant': z.locales.zhTW(), en: z.locales.en() } as const;

/** A zod error map in the caller's language: zod's own wording, ours for our custom checks. */
export function issueMessages(locale: Locale): z.core.$ZodErrorMap {
  const zodMap = zodLocales[locale].localeError;
  return (iss) => {
    const key = iss.code === 'custom' ? (iss.params as { key?: unknown } | undefined)?.key : undefined;
    if (typeof key === 'string' && key in customIssues) return issueText(key as CustomIssue, locale);
    if (iss.code === 'invalid_type' && iss.input === undefined) return issueText('required', locale);
    return zodMap(iss);
  };
}

/** A request that failed its schema: answered 422 INVALID_INPUT with one line per field. */
export class InvalidInputError extends Error {
  override name = 'InvalidInputError';
  constructor(readonly issues: Array<{ path: string; message: string }>) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('; '));
  }
}

/** Parses part of a request with a schema; throws InvalidInputError with localised messages. */
export function parseRequest<S extends z.ZodType>(req: FastifyRequest, schema: S, data: unknown): z.output<S> {
  const r = schema.safeParse(data, { error: issueMessages(requestLocale(req)) });
  if (r.success) return r.data;
  throw new InvalidInputError(r.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message })));
}

export interface ErrorBody {
  error: { code: string; message: string; issues?: Array<{ path: string; message: string }> };
}

const authMessages = {
  TOKEN_MISSING: {
    'zh-Hans': '需要 API 令牌：请在请求头里带上「Authorization: Bearer 令牌」（令牌用 npm run cli -- token create 生成）',
    en: 'An API token is needed: send "Authorization: Bearer <token>" (create one with npm run cli -- token create)',
  },
  TOKEN_INVALID: {
    'zh-Hans': 'API 令牌无效或已被撤销，请向管理员申请新令牌',
    en: 'The API token is unknown or revoked; ask an administrator for a new one',
  },
  NOT_FOUND: { 'zh-Hans': '没有这个接口，请核对地址', en: 'No such endpoint; check the address' },
  BAD_REQUEST: { 'zh-Hans': '请求体不是有效的 JSON', en: 'The request body is not valid JSON' },
  TOO_LARGE: { 'zh-Hans': '请求体太大（最多 256 KB），请删减内容后再试', en: 'The request body is too large (256 KB at most); shorten it and try again' },
  UNSUPPORTED_MEDIA_TYPE: { 'zh-Hans': '请求体要用 JSON（Content-Type: application/json）', en: 'Send the body as JSON (Content-Type: application/json)' },
} as const;

/** Sends one of the API's own failures (no AppError code for them: they are about HTTP, not the domain). */
export function sendHttpError(req: FastifyRequest, reply: FastifyReply, status: number, code: keyof typeof authMessages): FastifyReply {
  const locale = requestLocale(req);
  const m = authMessages[code];
  if (status === 401) reply.header('www-authenticate', 'Bearer');
  return reply.code(status).send({ error: { code, message: locale === 'en' ? m.en : m['zh-Hans'] } } satisfies ErrorBody);
}

/** The API scope's error handler: AppError, validation, malformed JSON, unique races, the rest. */
export function apiErrorHandler(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const locale = requestLocale(req);
  if (isAppError(err)) {
    return reply.code(statusOf(err.code)).send({ error: { code: err.code, message: errorText(locale, err.code, err.details) } } satisfies ErrorBody);
  }
  if (err instanceof InvalidInputError) {
    const lead = errorText(locale, 'INVALID_INPUT');
    const detail = err.issues
      .slice(0, 5)
      .map((i) => `${i.path}${locale === 'en' ? ': ' : '：'}${i.message}`)
      .join(locale === 'en' ? '; ' : '；');
    return reply.code(422).send({
      error: { code: 'INVALID_INPUT', message: `${lead}${locale === 'en' ? ': ' : '：'}${detail}`, issues: err.issues },
    } satisfies ErrorBody);
  }
  if (isUniqueViolation(err)) {
    return reply.code(409).send({ error: { code: 'CONFLICT', message: errorText(locale, 'CONFLICT') } } satisfies ErrorBody);
  }
  const fe = err as FastifyError;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    if (fe.statusCode === 413) return sendHttpError(req, reply, 413, 'TOO_LARGE');
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || fe.statusCode === 415) return sendHttpError(req, reply, 415, 'UNSUPPORTED_MEDIA_TYPE');
    return sendHttpError(req, reply, 400, 'BAD_REQUEST');
  }
  req.log.error({ err }, 'api request failed');
  return reply.code(500).send({ error: { code: 'INTERNAL', message: t(locale, 'internalError') } } satisfies ErrorBody);
}
