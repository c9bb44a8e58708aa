import { fileURLToPath } from 'node:url';
import type { Socket } from 'node:net';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { Redis } from 'ioredis';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { PrismaClient } from '../db/prisma.ts';
import type { WebChatAdapter } from '../bots/web/web-chat-adapter.ts';
import { telegramSecretHeader, telegramWebhookPath, type TelegramAdapter } from '../bots/telegram/index.ts';
import type { WecomAdapter } from '../bots/wecom/wecom-adapter.ts';
import type { Logger } from '../lib/logger.ts';
import { WebChatHub } from './webchat-hub.ts';
import { webChatRoutes } from './webchat-routes.ts';
import { apiRoutes, type ApiDeps } from './api/routes.ts';
import { consoleRoutes, type ConsoleDeps } from './console/index.ts';
import { metricsRoute, type MetricsDeps } from './metrics-route.ts';

export interface WebServerDeps {
  prisma: PrismaClient;
  redis: Redis;
  log: Logger;
  botName: string;
  /** The web chat adapter when the web chat is on; without it /chat explains how to turn it on. */
  webChat?: { adapter: WebChatAdapter; channel: string; postLimiter?: RateLimiterAbstract };
  /** The workers' HTTP API under /api/v1 (token-protected); without it the API is not served. */
  api?: ApiDeps;
  /** The community workers' console under /console (password sign-in, sessions in Redis); without it not served. */
  console?: ConsoleDeps;
  /** Telegram in webhook mode: updates arrive at POST /telegram/webhook. */
  telegram?: TelegramAdapter;
  /** The WeCom self-built app: its callbacks arrive at /wecom/callback. */
  wecom?: WecomAdapter;
  /** GET /metrics (Prometheus), for loopback or a bearer token; without it not served. */
  metrics?: MetricsDeps;
  /** Fastify's trustProxy (LINLI_TRUST_PROXY): which reverse proxies' X-Forwarded-* to believe. Default none. */
  trustProxy?: boolean | number | string;
}

const publicDir = fileURLToPath(new URL('./public/', import.meta.url));

/** What a request too broken to reach a route is told, in both languages (its own language is not known yet). */
const clientErrors = {
  badUrl: '地址有误：里面有无法识别的字符，请核对后再试（The address holds characters that cannot be read; check it and try again）',
  tooLarge: '地址或请求头太长，请缩短后再试（The address or the headers are too long; shorten them and try again）',
  timeout: '请求超时，请重试（The request took too long; try again）',
  bad: '请求格式有误，请重试（The request was malformed; try again）',
} as const;

/** A malformed URL (a lone surrogate's bytes, a bad %-escape): 400 with a message, JSON on the API. */
function badUrl(req: FastifyRequest, reply: FastifyReply): void {
  const message = clientErrors.badUrl;
  if (req.url.startsWith('/api/')) void reply.code(400).send({ error: { code: 'BAD_REQUEST', message } });
  else void reply.code(400).type('text/plain; charset=utf-8').send(message);
}

/** A request Node's parser refuses before Fastify sees it (headers or URL over 16 KB…): the status and a message. */
function clientError(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, text, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', clientErrors.tooLarge]
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', clientErrors.timeout]
        : [400, 'Bad Request', clientErrors.bad];
  const body = JSON.stringify({ error: { code: 'BAD_REQUEST', message } });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${text}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(err);
}

/** Trust this many proxies in front (proxy-addr's hop function: the 0th hop is the socket's peer). */
function trustHops(n: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < n;
}

/**
 * The HTTP side of Linli: `/healthz`, the web chat at `/chat` and its API. The workers' console
 * joins here later. Returns the Fastify instance, not yet listening.
 */
export async function createWebServer(deps: WebServerDeps): Promise<{ app: FastifyInstance; hub?: WebChatHub }> {
  const app = Fastify({
    loggerInstance: deps.log.child({ part: 'web' }, { level: 'warn' }) as FastifyBaseLogger,
    bodyLimit: 256 * 1024,
    frameworkErrors: (_err, req, reply) => badUrl(req, reply),
    clientErrorHandler: clientError,
    // Behind a reverse proxy req.ip (the web chat's and the login guard's limits) is the client's only with this.
    trustProxy: typeof deps.trustProxy === 'number' ? trustHops(deps.trustProxy) : (deps.trustProxy ?? false),
  });

  app.get('/healthz', async (_req, reply) => {
    const [db, redis] = await Promise.all([
      deps.prisma.$queryRaw`SELECT 1`.then(() => true, () => false),
      deps.redis.ping().then((r) => r === 'PONG', () => false),
    ]);
    return reply.code(db && redis ? 200 : 503).send({ ok: db && redis, db, redis });
  });

  let hub: WebChatHub | undefined;
  if (deps.webChat) {
    hub = new WebChatHub(deps.redis, deps.webChat.channel);
    await hub.start();
    // The page loads chat.css, chat.js and icon.svg by relative paths from /chat.
    await app.register(fastifyStatic, { root: publicDir, prefix: '/', index: false, wildcard: false });
    app.get('/chat', (_req, reply) => reply.sendFile('chat.html'));
    await webChatRoutes(app, { prisma: deps.prisma, adapter: deps.webChat.adapter, hub, botName: deps.botName, postLimiter: deps.webChat.postLimiter });
    app.addHook('onClose', async () => hub?.stop());
  } else {
    app.get('/chat', (_req, reply) =>
      reply.code(404).type('text/plain; charset=utf-8').send('网页聊天未开启。设置 LINLI_WEBCHAT=on 后重启即可使用（任何人都能扮演任何身份，只适合本地体验）。'),
    );
  }
  if (deps.metrics) metricsRoute(app, deps.metrics);
  if (deps.api) await apiRoutes(app, deps.api);
  if (deps.console) await consoleRoutes(app, deps.console);
  const telegram = deps.telegram;
  if (telegram) {
    app.post(telegramWebhookPath, async (req, reply) => {
      const header = req.headers[telegramSecretHeader];
      const { status } = await telegram.handleWebhook(req.body, typeof header === 'string' ? header : undefined);
      return reply.code(status).send();
    });
  }
  const wecom = deps.wecom;
  if (wecom) {
    // WeCom posts XML: this route takes its body as a string, the rest of the server keeps JSON.
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) => done(null, body));
      scope.route({
        method: ['GET', 'POST'],
        url: '/wecom/callback',
        handler: async (req, reply) => {
          const res = await wecom.handleCallback({
            method: req.method === 'POST' ? 'POST' : 'GET',
            query: req.query as Record<string, string | undefined>,
            body: typeof req.body === 'string' ? req.body : '',
          });
          return reply.code(res.status).type('text/plain; charset=utf-8').send(res.body);
        },
      });
    });
  }
  app.get('/', (_req, reply) => reply.redirect(deps.webChat ? '/chat' : '/healthz'));
  return { app, hub };
}
