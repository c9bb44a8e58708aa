import type { FastifyInstance } from 'fastify';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { z } from 'zod';
import type { PrismaClient } from '../db/prisma.ts';
import { directPrefix, webChatPostSchema, type WebChatAdapter } from '../bots/web/web-chat-adapter.ts';
import { demoPersonas, type Persona } from '../core/demo/demo-data.ts';
import type { WebChatHub } from './webchat-hub.ts';
import { cleanText, hasHostileChars } from '../lib/clean-text.ts';

export interface WebChatRouteDeps {
  prisma: PrismaClient;
  adapter: WebChatAdapter;
  hub: WebChatHub;
  botName: string;
  /**
   * Messages accepted per IP address (the key is `req.ip`); beyond, the POST answers 429. Default:
   * 60 a minute, counted in this process (the app passes one in Redis, shared by its web processes).
   */
  postLimiter?: RateLimiterAbstract;
}

/** The default limit on posting, per IP address: a person typing never reaches it. */
const defaultPostsPerMinute = 60;

/** An id (persona, conversation, clientId) is refused, not changed, when it holds NUL, controls or lone surrogates. */
const noHostile = (s: string) => !hasHostileChars(s);
const personaQuery = z.object({ persona: z.string().min(1).max(100).refine(noHostile) });
const historyQuery = personaQuery.extend({ conversation: z.string().min(1).max(200).refine(noHostile) });
/** A post as the page sends it; the text is cleaned (src/lib/clean-text.ts) and must keep something. */
const postSchema = webChatPostSchema
  .extend({
    conversation: webChatPostSchema.shape.conversation.refine(noHostile),
    persona: webChatPostSchema.shape.persona.refine(noHostile),
    clientId: webChatPostSchema.shape.clientId.refine(noHostile),
    text: webChatPostSchema.shape.text.overwrite(cleanText).refine((t) => t.trim() !== ''),
  });

/**
 * The web chat's HTTP side: who can be impersonated (the web identities), which groups exist,
 * the history of a conversation, a live stream (SSE), and posting a message. Anyone with the page
 * can speak as any persona: this is the local try-out and test channel, off in production unless
 * LINLI_WEBCHAT=on. Posting is limited per IP address before anything is read or written, since
 * switching personas is free and the router's per-person limit cannot hold a script back.
 */
export async function webChatRoutes(app: FastifyInstance, deps: WebChatRouteDeps): Promise<void> {
  const personas = async (): Promise<Persona[]> => {
    const identities = await deps.prisma.identity.findMany({ where: { platform: 'web' }, orderBy: { id: 'asc' }, take: 100 });
    return identities.map((i) => {
      const known = demoPersonas.find((p) => p.id === i.externalId);
      return known ?? { id: i.externalId, name: i.displayName || i.externalId, role: 'resident', roleLabel: '居民', avatar: (i.displayName || '邻').slice(0, 1) };
    });
  };
  const findPersona = async (id: string) => (await personas()).find((p) => p.id === id);
  const postLimiter = deps.postLimiter ?? new RateLimiterMemory({ points: defaultPostsPerMinute, duration: 60 });

  app.get('/api/webchat/bootstrap', async () => {
    const groups = await deps.prisma.group.findMany({
      where: { platform: 'web' },
      orderBy: { id: 'asc' },
      take: 50,
      select: { externalId: true, title: true, community: { select: { name: true } } },
    });
    return {
      botName: deps.botName,
      personas: await personas(),
      groups: groups.map((g) => ({ id: g.externalId, title: g.title || g.externalId, community: g.community?.name ?? '' })),
    };
  });

  app.get('/api/webchat/history', async (req, reply) => {
    const q = historyQuery.safeParse(req.query);
    if (!q.success) return reply.code(400).send({ error: '参数有误' });
    if (!canSee(q.data.persona, q.data.conversation)) return reply.code(403).send({ error: '不能查看别人的私聊' });
    return { messages: await deps.adapter.history(q.data.conversation) };
  });

  app.get('/api/webchat/stream', async (req, reply) => {
    const q = personaQuery.safeParse(req.query);
    if (!q.success) return reply.code(400).send({ error: '参数有误' });
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    const unsubscribe = deps.hub.subscribe(q.data.persona, (line) => {
      res.write(`event: message\nid: ${line.id}\ndata: ${JSON.stringify(line)}\n\n`);
    });
    const ping = setInterval(() => res.write(': ping\n\n'), 20_000);
    req.raw.on('close', () => {
      clearInterval(ping);
      unsubscribe();
    });
  });

  app.post('/api/webchat/messages', async (req, reply) => {
    try {
      await postLimiter.consume(req.ip);
    } catch (rej) {
      if (!(rej instanceof RateLimiterRes)) throw rej; // the store failed, not the sender
      reply.header('retry-after', String(Math.max(1, Math.ceil(rej.msBeforeNext / 1000))));
      return reply.code(429).send({ error: '发送太频繁了，请稍等一会儿再发' });
    }
    const body = postSchema.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: '消息格式有误，请刷新页面再试' });
    const persona = await findPersona(body.data.persona);
    if (!persona) return reply.code(400).send({ error: '没有这个身份，请刷新页面' });
    if (!canSee(persona.id, body.data.conversation)) return reply.code(403).send({ error: '不能在别人的私聊里说话' });
    if (!body.data.conversation.startsWith(directPrefix)) {
      const group = await deps.prisma.group.findUnique({
        where: { platform_externalId: { platform: 'web', externalId: body.data.conversation } },
        select: { id: true },
      });
      if (!group) return reply.code(404).send({ error: '没有这个群' });
    }
    await deps.adapter.receive(body.data, persona.name);
    return reply.code(202).send({ ok: true });
  });
}

function canSee(persona: string, conversation: string): boolean {
  return !conversation.startsWith(directPrefix) || conversation === `${directPrefix}${persona}`;
}
