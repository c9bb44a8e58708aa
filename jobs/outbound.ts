import { createHash } from 'node:crypto';
import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { hashTaggedPrefix } from '../src/lib/redis.ts';
import { z } from 'zod';
import { DeliveryError } from '../src/bots/delivery-error.ts';
import { ChatPacer, hardWindow, paceFor } from './chat-pacer.ts';
import { platformLimits, type PlatformLimits } from '../src/bots/limits.ts';
import {
  conversationRefSchema,
  outboundMessageSchema,
  platforms,
  type ChatAdapter,
  type ConversationRef,
  type OutboundMessage,
  type Platform,
} from '../src/bots/types.ts';
import type { SendEffect } from '../src/core/effects.ts';
import type { Logger } from '../src/lib/logger.ts';
import { broadcastDeliveries, outboundRateLimited, outboundRetries, outboundSends } from '../src/lib/metrics.ts';

/** The outbound job: one message to one chat. Version 1. JSON-safe; safe to retry. */
export const outboundJob = {
  name: 'send',
  version: 1,
  schema: z.object({
    v: z.literal(1),
    /** Deterministic: the same reply to the same inbound always has the same key. */
    key: z.string().min(1).max(400),
    to: conversationRefSchema,
    message: outboundMessageSchema,
    /** The broadcast Delivery this message is, when it is one, and its broadcast. */
    delivery: z.number().int().optional(),
    broadcast: z.number().int().optional(),
    /** The chat slot this job reserved (epoch ms), set when it was delayed to wait for it. */
    slotAt: z.number().optional(),
  }),
} as const;
export type OutboundJobData = z.infer<typeof outboundJob.schema>;

export const outboundQueueName = (platform: Platform) => `outbound-${platform}`;
/** BullMQ job ids cannot hold every character a key may; a digest of the key can. */
export const outboundJobId = (key: string) => createHash('sha1').update(key).digest('hex');

const keepCompleted = { age: 24 * 3600, count: 200_000 };
const retryPolicy = { attempts: 8, backoff: { type: 'exponential', delay: 2000 } } as const;

/**
 * Where messages go: one BullMQ queue per platform (the effect executor, jobs/effects.ts, puts them here). Adding the same key twice adds one job
 * (the job id is the key's digest and completed jobs are kept a day).
 */
export class Outbox {
  private readonly queues = new Map<Platform, Queue>();

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
  ) {}

  queue(platform: Platform): Queue {
    let q = this.queues.get(platform);
    if (!q) {
      q = new Queue(outboundQueueName(platform), { connection: this.connection, prefix: hashTaggedPrefix(this.prefix) });
      this.queues.set(platform, q);
    }
    return q;
  }

  /** Queues messages for delivery; returns when Redis has them. */
  async send(events: readonly OutboundItem[]): Promise<void> {
    const byPlatform = new Map<Platform, OutboundItem[]>();
    for (const e of events) {
      const list = byPlatform.get(e.to.platform) ?? [];
      list.push(e);
      byPlatform.set(e.to.platform, list);
    }
    await Promise.all(
      [...byPlatform].map(([platform, list]) =>
        this.queue(platform).addBulk(
          list.map((e) => ({
            name: outboundJob.name,
            data: { v: 1, key: e.key, to: e.to, message: e.message, ...(e.delivery ? { delivery: e.delivery, broadcast: e.broadcast } : {}) } satisfies OutboundJobData,
            opts: { jobId: outboundJobId(e.key), removeOnComplete: keepCompleted, removeOnFail: { age: 7 * 24 * 3600 }, ...retryPolicy },
          })),
        ),
      ),
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}

export type OutboundItem = Pick<SendEffect, 'key' | 'to' | 'message'> & { delivery?: number; broadcast?: number };

/**
 * What the outbound worker tells the broadcast bookkeeping (core/broadcasts/delivery-hooks.ts):
 * whether a delivery is still wanted (a cancelled broadcast's is not), and how it ended.
 */
export interface DeliveryHooks {
  shouldSend(deliveryId: number, broadcastId?: number): Promise<boolean>;
  sent(deliveryId: number): Promise<void>;
  failed(deliveryId: number, error: string, final: boolean): Promise<void>;
}

export interface OutboundWorkerOptions {
  connection: Redis;
  prefix: string;
  adapters: ReadonlyMap<Platform, ChatAdapter>;
  log: Logger;
  concurrency?: number;
  /** Multiplies every platform limit (benchmarks scale time down; 1 in production). */
  limitScale?: number;
  hooks?: DeliveryHooks;
}

/**
 * Delivers outbound jobs through each platform's adapter within that platform's limits. A job
 * whose message was already delivered (a retry after a crash between send and ack) is skipped:
 * a key is marked sent in Redis right after the adapter returns.
 */
export function startOutboundWorkers(opts: OutboundWorkerOptions): { workers: Worker[]; close(): Promise<void> } {
  const scale = opts.limitScale ?? 1;
  // Every key under the queues' hash tag: one Redis Cluster slot for all of them.
  const prefix = hashTaggedPrefix(opts.prefix);
  const workers: Worker[] = [];
  for (const platform of platforms) {
    const adapter = opts.adapters.get(platform);
    if (!adapter) continue;
    const limits = platformLimits[platform];
    const pacers = chatPacers(opts.connection, `${prefix}:pace:${platform}`, limits, scale);
    const sentKey = (key: string) => `${prefix}:sent:${outboundJobId(key)}`;
    // Its own connection, closed with it (BullMQ leaves a connection it was given open).
    const connection = opts.connection.duplicate();

    const worker: Worker = new Worker(
      outboundQueueName(platform),
      async (job: Job, token?: string) => {
        const data = outboundJob.schema.parse(job.data);
        if (await opts.connection.exists(sentKey(data.key))) {
          // Sent before the process died, not yet recorded: record it now, send nothing.
          if (data.delivery) await opts.hooks?.sent(data.delivery);
          outboundSends.inc({ platform, outcome: 'skipped' });
          return { skipped: 'already-sent' };
        }
        if (data.delivery && opts.hooks && !(await opts.hooks.shouldSend(data.delivery, data.broadcast))) {
          outboundSends.inc({ platform, outcome: 'skipped' });
          return { skipped: 'not-wanted' };
        }
        const pacer = data.to.kind === 'group' ? pacers.group : pacers.direct;
        if (pacer.paces && !(data.slotAt && data.slotAt <= Date.now() + 20)) {
          // Not yet paced (or the slot was lost): reserve this chat's next slot and wait for it.
          const slotAt = await pacer.reserve(data.to.chatId);
          if (slotAt > Date.now() + 20) {
            await job.updateData({ ...data, slotAt });
            await job.moveToDelayed(slotAt, token);
            throw new DelayedError();
          }
        }
        try {
          const result = await adapter.send(data.to, data.message, { key: data.key });
          await opts.connection.set(sentKey(data.key), '1', 'EX', 7 * 24 * 3600);
          if (data.delivery) await opts.hooks?.sent(data.delivery);
          outboundSends.inc({ platform, outcome: 'sent' });
          if (data.delivery) broadcastDeliveries.inc({ platform, outcome: 'sent' });
          return { messageId: result.messageId ?? null };
        } catch (err) {
          if (err instanceof DeliveryError) {
            if (err.kind === 'rate-limited') {
              outboundRateLimited.inc({ platform });
              await worker.rateLimit(err.retryAfterMs ?? 1000);
              throw Worker.RateLimitError();
            }
            if (err.kind === 'blocked') throw new UnrecoverableError(err.message);
          }
          throw err;
        }
      },
      {
        connection,
        prefix,
        concurrency: opts.concurrency ?? 50,
        // A send takes well under a second and locks are renewed while it runs: a short lock gets
        // a crashed worker's messages going again within seconds instead of a minute.
        lockDuration: 10_000,
        stalledInterval: 5_000,
        // The platform-wide rate, in tenths of its period: smooth rather than a burst per period.
        limiter: smoothLimiter(limits.overall, scale),
      },
    );
    worker.on('failed', (job, err) => {
      if (!job || err.name === 'DelayedError' || err.name === 'RateLimitError') return;
      opts.log.warn({ platform, jobId: job.id, attempts: job.attemptsMade, err: err.message }, 'outbound delivery failed');
      const delivery = (job.data as Partial<OutboundJobData>).delivery;
      const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      if (final) {
        outboundSends.inc({ platform, outcome: 'failed' });
        if (delivery) broadcastDeliveries.inc({ platform, outcome: 'failed' });
      } else outboundRetries.inc({ platform });
      if (delivery) void opts.hooks?.failed(delivery, err.message.slice(0, 500), final).catch(() => undefined);
    });
    worker.on('closed', () => connection.disconnect());
    worker.on('error', (err) => opts.log.error({ platform, err: err.message }, 'outbound worker error'));
    workers.push(worker);
  }
  return {
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}

/**
 * A platform's per-chat pacing. Direct chats: the per-chat windows, exact, evenly spaced (no
 * burst). Groups: the steady gap of the tightest window, a burst of `groupBurst` for a quiet group,
 * and exact sliding windows for the per-group limits and the per-chat ones at least as large as
 * the burst (see PlatformLimits.groupBurst).
 */
export function chatPacers(redis: Redis, keyPrefix: string, limits: PlatformLimits, scale = 1): { direct: ChatPacer; group: ChatPacer } {
  const directGap = Math.max(0, ...limits.perChat.map((w) => paceFor(w, scale)));
  const groupGap = Math.max(directGap, ...limits.perGroup.map((w) => paceFor(w, scale)));
  const burst = Math.max(1, Math.min(limits.groupBurst, ...limits.perGroup.map((w) => w.max)));
  return {
    direct: new ChatPacer(redis, keyPrefix, { intervalMs: directGap, burst: 1, windows: limits.perChat.map((w) => hardWindow(w, scale)) }),
    group: new ChatPacer(redis, keyPrefix, {
      intervalMs: groupGap,
      burst,
      windows: [...limits.perGroup, ...limits.perChat.filter((w) => w.max >= burst)].map((w) => hardWindow(w, scale)),
    }),
  };
}

/** BullMQ's fixed-window limiter over a tenth of the period when the rate allows it. */
export function smoothLimiter(limit: { max: number; perMs: number }, scale = 1): { max: number; duration: number } {
  const max = Math.max(1, Math.round(limit.max * scale));
  return max >= 10 ? { max: Math.floor(max / 10), duration: limit.perMs / 10 } : { max, duration: limit.perMs };
}
