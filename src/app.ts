import type { Redis } from 'ioredis';
import Fastify, { type FastifyInstance } from 'fastify';
import { metricsRoute, type MetricsDeps } from './web/metrics-route.ts';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { connectRedis } from '../jobs/connection.ts';
import { Outbox, startOutboundWorkers } from '../jobs/outbound.ts';
import { BroadcastScheduler, startBroadcastWorker } from '../jobs/broadcast.ts';
import { ReminderScheduler, startReminderWorker } from '../jobs/reminders.ts';
import { DigestScheduler, startDigestWorker } from '../jobs/digest.ts';
import { TicketScheduler, startTicketWorker } from '../jobs/tickets.ts';
import { VentureScheduler, startVentureWorker } from '../jobs/ventures.ts';
import { HousekeepingScheduler, startHousekeepingWorker } from '../jobs/housekeeping.ts';
import { deliveryHooks } from './core/broadcasts/delivery-hooks.ts';
import type { ChatAdapter, InboundEvent, Platform } from './bots/types.ts';
import { WebChatAdapter } from './bots/web/web-chat-adapter.ts';
import type { TelegramAdapter } from './bots/telegram/index.ts';
import type { WechatAdapter } from './bots/wechat/index.ts';
import type { WecomAdapter } from './bots/wecom/wecom-adapter.ts';
import { welcomeOnJoin } from './flows/welcome.ts';
import type { Config } from './config.ts';
import { systemClock, type Clock, type CoreContext } from './core/context.ts';
import { openDatabase, type DatabaseHandle } from './db/prisma.ts';
import { migrate } from './db/migrate.ts';
import { EffectExecutor } from '../jobs/effects.ts';
import { createInboundHandler } from './inbound.ts';
import { Router, type RouteOutcome } from './flows/router.ts';
import { RedisSessionHints } from './core/sessions/session-store.ts';
import type { Understander } from './core/understanding/understanding.ts';
import type { Logger } from './lib/logger.ts';
import type { LoginGuardOptions } from './web/console/login-guard.ts';
import type { LlmClient } from './core/llm/llm-client.ts';
import { llmClientFor, understanderFor } from './core/understanding/choose-understander.ts';
import { offlineUnderstander } from './core/understanding/offline-understander.ts';

export interface AppOptions {
  config: Config;
  log: Logger;
  /** The database to use (the embedded one's URL when DATABASE_URL is unset). */
  databaseUrl: string;
  /** A Postgres schema of its own (tests); default public. */
  schema?: string;
  clock?: Clock;
  /** Messages a person may address to the bot per minute before "说得太快了". */
  personRatePerMinute?: number;
  /** Multiplies platform send limits (benchmarks); 1 in production. */
  limitScale?: number;
  /** Platform adapters besides the web chat (Telegram, WeChat, WeCom), built from configuration. */
  adapters?: ChatAdapter[];
  /** The console's login lockout thresholds (tests make them small); defaults in src/web/console/login-guard.ts. */
  consoleLoginGuard?: LoginGuardOptions;
  /** Reads plain words (no command word); the offline model when absent. An LLM understander plugs in here. */
  understander?: Understander;
}

/**
 * One Linli process, assembled: database, Redis, the router and the outbound queue, plus
 * whichever roles the configuration asks for (`web`, `workers`, `bots`). Tests build it the same
 * way `npm start` does, with a schema and a queue prefix of their own.
 */
export class LinliApp {
  readonly ctx: CoreContext;
  readonly router: Router;
  readonly outbox: Outbox;
  /** The one place effects become jobs: every entry point hands its use cases' effects here. */
  readonly effects: EffectExecutor;
  /** Schedules broadcasts recorded outside a chat turn (API, CLI, console). */
  readonly broadcasts: BroadcastScheduler;
  /** Adds and removes reminder jobs for changes made outside a chat turn (moved shifts, settings). */
  readonly reminders: ReminderScheduler;
  /** The weekly digest's job schedulers, one per community. */
  readonly digests: DigestScheduler;
  /** Delayed ticket jobs: an urgent ticket nobody answered goes up to the street. */
  readonly tickets: TicketScheduler;
  /** 微创投 rounds moved on by their planned dates (a job scheduler, every minute). */
  readonly ventures: VentureScheduler;
  readonly housekeeping: HousekeepingScheduler;
  readonly webChat: WebChatAdapter;
  readonly adapters = new Map<Platform, ChatAdapter>();
  readonly handleInbound: (e: InboundEvent) => Promise<RouteOutcome>;
  /** The configured LLM endpoint (LLM_BASE_URL), or undefined: everything is understood offline. */
  readonly llm: LlmClient | undefined;
  web?: FastifyInstance;
  private metricsServer?: FastifyInstance;
  private workers?: { close(): Promise<void> };

  private constructor(
    readonly opts: AppOptions,
    readonly db: DatabaseHandle,
    readonly redis: Redis,
  ) {
    const { config, log } = opts;
    this.ctx = { prisma: db.prisma, clock: opts.clock ?? systemClock };
    this.llm = llmClientFor(config, this.ctx, log);
    const limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${config.queuePrefix}:personrate`,
      points: opts.personRatePerMinute ?? 30,
      duration: 60,
    });
    this.router = new Router({
      ctx: this.ctx,
      log,
      botNames: [config.botName, 'linli', 'linli_bot', '邻里'],
      limiter,
      hints: new RedisSessionHints(redis, config.queuePrefix),
      // The offline model reads plain words; with LLM_BASE_URL set, the LLM does, falling back to it.
      understander: opts.understander ?? understanderFor(config, this.ctx, offlineUnderstander(), log),
    });
    this.outbox = new Outbox(redis, config.queuePrefix);
    this.broadcasts = new BroadcastScheduler(redis, config.queuePrefix);
    this.reminders = new ReminderScheduler(redis, config.queuePrefix);
    this.digests = new DigestScheduler(redis, config.queuePrefix);
    this.tickets = new TicketScheduler(redis, config.queuePrefix);
    this.ventures = new VentureScheduler(redis, config.queuePrefix);
    this.housekeeping = new HousekeepingScheduler(redis, config.queuePrefix);
    this.effects = new EffectExecutor(this.ctx, { outbox: this.outbox, broadcasts: this.broadcasts, reminders: this.reminders, tickets: this.tickets }, log);
    this.handleInbound = createInboundHandler(this.router, this.effects, this.ctx, log);
    this.webChat = new WebChatAdapter(db.prisma, redis, { channel: `${config.queuePrefix}:webchat`, botName: config.botName }, db.pool);
    this.adapters.set('web', this.webChat);
    for (const a of opts.adapters ?? []) this.adapters.set(a.platform, a);
  }

  static async create(opts: AppOptions): Promise<LinliApp> {
    const redis = await connectRedis(opts.config.redisUrl);
    const db = openDatabase(opts.databaseUrl, { schema: opts.schema });
    try {
      const { applied } = await migrate(db.pool, { log: (line) => opts.log.info(line) });
      if (applied.length) opts.log.info({ applied }, 'database migrated');
    } catch (err) {
      await db.close();
      redis.disconnect();
      throw err;
    }
    return new LinliApp(opts, db, redis);
  }

  /**
   * Starts the roles of this process: `bots` connects the platform adapters, `workers` works the
   * outbound queues of adapters that can send from anywhere, and a `bots` process works the queues
   * of the adapters whose sending needs its live session; `web` serves HTTP (and the web chat).
   */
  async start(): Promise<void> {
    const roles = this.opts.config.roles;
    const onEvent = (e: InboundEvent) => this.handleInbound(e).then(() => undefined);
    if (roles.has('bots') || roles.has('web')) await this.webChat.start(onEvent);
    const platformAdapters = [...this.adapters.values()].filter((a) => a.platform !== 'web');
    // The adapters' classes, imported only when this process has platform adapters (whoever built
    // them loaded the modules already): a process with the web chat alone never loads telegraf or
    // the WeCom SDKs (some 7 MB of heap and 19 MB resident).
    const classes = platformAdapters.length ? await adapterClasses() : undefined;
    const isA = <T,>(cls: (abstract new (...args: never[]) => T) | undefined, a: ChatAdapter): a is ChatAdapter & T => cls !== undefined && a instanceof cls;
    // Telegram in webhook mode and the WeCom app receive over HTTP: the `web` process takes them.
    const telegram = platformAdapters.find((a): a is TelegramAdapter => isA(classes?.TelegramAdapter, a));
    const wecom = platformAdapters.find((a): a is WecomAdapter => isA(classes?.WecomAdapter, a));
    const viaWeb = (a: ChatAdapter) => a === telegram && telegram.usesWebhook;
    if (roles.has('bots')) {
      for (const a of platformAdapters) if (!viaWeb(a)) await a.start(onEvent);
      for (const a of platformAdapters) {
        if (isA(classes?.WechatAdapter, a)) {
          a.onJoin(async (j) => {
            await this.effects.apply(await welcomeOnJoin(this.router.groups, j, this.opts.config.botName));
          });
        }
      }
    }
    if (roles.has('web')) {
      if (telegram?.usesWebhook) await telegram.start(onEvent);
      if (wecom && !roles.has('bots')) await wecom.acceptCallbacks(onEvent);
    }
    const sending = new Map(
      [...this.adapters].filter(([, a]) => (a.sendsFrom === 'anywhere' ? roles.has('workers') : roles.has('bots'))),
    );
    const closers: Array<{ close(): Promise<void> }> = [];
    if (sending.size) {
      closers.push(
        startOutboundWorkers({
          connection: this.redis,
          prefix: this.opts.config.queuePrefix,
          adapters: sending,
          log: this.opts.log,
          limitScale: this.opts.limitScale,
          hooks: deliveryHooks(this.ctx),
        }),
      );
    }
    if (roles.has('workers')) {
      closers.push(startBroadcastWorker({ ctx: this.ctx, outbox: this.outbox, connection: this.redis, prefix: this.opts.config.queuePrefix, log: this.opts.log }));
      const jobDeps = { ctx: this.ctx, outbox: this.outbox, connection: this.redis, prefix: this.opts.config.queuePrefix, log: this.opts.log };
      closers.push(startReminderWorker({ ...jobDeps, sessions: this.router.sessions, scheduler: this.reminders, apply: (effects) => this.effects.apply(effects) }));
      closers.push(startDigestWorker({ ...jobDeps, scheduler: this.digests, llm: this.llm }));
      closers.push(startTicketWorker({ ...jobDeps, apply: (effects) => this.effects.apply(effects) }));
      closers.push(startVentureWorker({ ...jobDeps, apply: (effects) => this.effects.apply(effects) }));
      closers.push(startHousekeepingWorker(jobDeps));
      await this.reminders.startSweeper();
      await this.ventures.startScheduler();
      await this.housekeeping.startScheduler();
      await this.digests.syncAll(this.ctx);
    }
    this.workers = { close: async () => void (await Promise.all(closers.map((c) => c.close()))) };
    if (roles.has('web')) {
      // Imported here, not at the top: a bots or workers process never loads the console, the API
      // and their dependencies (some 17 MB of heap and 30 MB resident).
      const { createWebServer } = await import('./web/server.ts');
      const { app } = await createWebServer({
        prisma: this.db.prisma,
        redis: this.redis,
        log: this.opts.log,
        botName: this.opts.config.botName,
        webChat: this.opts.config.webChat
          ? {
              adapter: this.webChat,
              channel: `${this.opts.config.queuePrefix}:webchat`,
              postLimiter: new RateLimiterRedis({
                storeClient: this.redis,
                keyPrefix: `${this.opts.config.queuePrefix}:webchat-post`,
                points: this.opts.config.webChatPostsPerMinute,
                duration: 60,
              }),
            }
          : undefined,
        api: { ctx: this.ctx, effects: this.effects },
        console: { ctx: this.ctx, redis: this.redis, prefix: this.opts.config.queuePrefix, effects: this.effects, loginGuard: this.opts.consoleLoginGuard, llm: this.llm, webChat: this.opts.config.webChat },
        telegram: telegram?.usesWebhook ? telegram : undefined,
        wecom: wecom?.app ? wecom : undefined,
        metrics: this.metricsDeps(),
        trustProxy: this.opts.config.trustProxy,
      });
      this.web = app;
      await app.listen({ port: this.opts.config.port, host: this.opts.config.host });
    } else if (this.opts.config.metricsPort !== undefined) {
      // A bots or workers process counts its own sends and messages: it serves them on a port of its own.
      const server = Fastify({ logger: false });
      metricsRoute(server, this.metricsDeps());
      this.metricsServer = server;
      await server.listen({ port: this.opts.config.metricsPort, host: this.opts.config.host });
    }
  }

  private metricsDeps(): MetricsDeps {
    return {
      prisma: this.db.prisma,
      queues: () => [...[...this.adapters.keys()].map((p) => this.outbox.queue(p)), this.broadcasts.queue, this.reminders.queue, this.digests.queue, this.tickets.queue, this.ventures.queue, this.housekeeping.queue],
      token: this.opts.config.metricsToken,
    };
  }

  /** The /metrics address of a process without the web role (LINLI_METRICS_PORT), once listening. */
  get metricsUrl(): string | undefined {
    const addr = (this.metricsServer ?? this.web)?.server.address();
    return addr && typeof addr === 'object' ? `http://127.0.0.1:${addr.port}/metrics` : undefined;
  }

  /** The web server's address once listening, e.g. http://127.0.0.1:3000. */
  get url(): string | undefined {
    const addr = this.web?.server.address();
    return addr && typeof addr === 'object' ? `http://127.0.0.1:${addr.port}` : undefined;
  }

  async stop(): Promise<void> {
    await this.web?.close().catch(() => undefined);
    await this.metricsServer?.close().catch(() => undefined);
    await this.workers?.close().catch(() => undefined);
    for (const a of this.adapters.values()) await a.stop().catch(() => undefined);
    await this.outbox.close().catch(() => undefined);
    await this.broadcasts.close().catch(() => undefined);
    await this.reminders.close().catch(() => undefined);
    await this.digests.close().catch(() => undefined);
    await this.tickets.close().catch(() => undefined);
    await this.ventures.close().catch(() => undefined);
    await this.housekeeping.close().catch(() => undefined);
    await this.db.close();
    this.redis.disconnect();
  }
}

async function adapterClasses(): Promise<{ TelegramAdapter: typeof TelegramAdapter; WechatAdapter: typeof WechatAdapter; WecomAdapter: typeof WecomAdapter }> {
  const [telegram, wechat, wecom] = await Promise.all([import('./bots/telegram/index.ts'), import('./bots/wechat/index.ts'), import('./bots/wecom/wecom-adapter.ts')]);
  return { TelegramAdapter: telegram.TelegramAdapter, WechatAdapter: wechat.WechatAdapter, WecomAdapter: wecom.WecomAdapter };
}
