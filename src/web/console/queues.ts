import type { FastifyInstance, FastifyPluginCallback } from 'fastify';
import { Queue } from 'bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { ConsoleRuntime } from './context.ts';

/** Queue names of this deployment: every BullMQ queue with a meta key under the prefix. */
async function queueNames(rt: ConsoleRuntime): Promise<string[]> {
  const names = new Set<string>();
  let cursor = '0';
  const pattern = `${rt.prefix}:*:meta`;
  for (let i = 0; i < 1000; i++) {
    const [next, keys] = await rt.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    for (const k of keys) {
      const name = k.slice(rt.prefix.length + 1, -':meta'.length);
      if (name && !name.includes(':')) names.add(name);
    }
    cursor = next;
    if (cursor === '0') break;
  }
  return [...names].sort();
}

/**
 * An HTML page without the stylesheets, fonts, scripts and images it would load from other hosts
 * (`<link … href="https://…">`, `<script src="//…">`, preconnects): Bull Board's own page, whose
 * template hard-codes fonts.googleapis.com.
 */
export function withoutExternalAssets(page: string): string {
  const external = /\b(?:href|src)\s*=\s*["']?(?:https?:)?\/\//i;
  return page
    .replace(/<link\b[^>]*>/gi, (tag) => (external.test(tag) ? '' : tag))
    .replace(/<script\b[^>]*>\s*<\/script>/gi, (tag) => (external.test(tag) ? '' : tag))
    .replace(/<img\b[^>]*>/gi, (tag) => (external.test(tag) ? '' : tag));
}

/**
 * Bull Board (the BullMQ queues: outbound per platform, broadcasts, reminders…) under
 * /console/admin/queues, inside the console's admin scope: only a signed-in console administrator
 * reaches it. The queues are found in Redis under the deployment's prefix (so queues other parts
 * add later appear by themselves), re-read at most every 10 s.
 *
 * Bull Board registers its own @fastify/static; when the web chat's is already on the server it
 * must not decorate the reply again (Fastify refuses a second `sendFile`), so it is registered
 * with decorateReply: false — its file routes do not use the decorator.
 */
export async function queueBoard(admin: FastifyInstance, rt: ConsoleRuntime, basePath: string): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(basePath);
  const board = createBullBoard({ queues: [], serverAdapter, options: { uiConfig: { boardTitle: '邻里 · 队列' } } });
  const queues = new Map<string, Queue>();
  let readAt = 0;
  const refresh = async () => {
    if (Date.now() - readAt < 10_000) return;
    readAt = Date.now();
    for (const name of await queueNames(rt)) {
      if (!queues.has(name)) queues.set(name, new Queue(name, { connection: rt.redis, prefix: rt.prefix }));
    }
    board.replaceQueues([...queues.values()].map((q) => new BullMQAdapter(q)));
  };
  admin.addHook('onClose', async () => {
    await Promise.all([...queues.values()].map((q) => q.close().catch(() => undefined)));
  });
  const plugin = serverAdapter.registerPlugin() as FastifyPluginCallback;
  await admin.register(
    async (scope) => {
      scope.addHook('preHandler', async () => refresh());
      // Bull Board's page links Google Fonts: every asset is served from here instead (the UI
      // falls back to the system fonts), so the admin's browser asks no other host for anything.
      scope.addHook('onSend', async (_req, reply, payload) => {
        const type = String(reply.getHeader('content-type') ?? '');
        return typeof payload === 'string' && type.startsWith('text/html') ? withoutExternalAssets(payload) : payload;
      });
      const proxied = new Proxy(scope, {
        get(target, prop) {
          if (prop === 'register') {
            return (p: FastifyPluginCallback & Record<symbol, unknown>, o: Record<string, unknown>) =>
              target.register(p, p[Symbol.for('fastify.display-name')] === '@fastify/static' ? { ...o, decorateReply: false } : o);
          }
          const v = Reflect.get(target, prop, target) as unknown;
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
      await new Promise<void>((resolve, reject) => plugin(proxied, {}, (err?: Error) => (err ? reject(err) : resolve())));
    },
    { prefix: '/queues' },
  );
}
