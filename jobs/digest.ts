import { DateTime } from 'luxon';
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { hashTaggedPrefix } from '../src/lib/redis.ts';
import { z } from 'zod';
import type { CoreContext } from '../src/core/context.ts';
import { weeklyDigest } from '../src/core/digest/weekly-digest.ts';
import { digestIntro } from '../src/core/digest/digest-intro.ts';
import type { LlmClient } from '../src/core/llm/llm-client.ts';
import { digestText } from '../src/notices/digest-message.ts';
import { inTraditional, isLocale, type Locale } from '../src/flows/messages.ts';
import type { OutboundItem } from './outbound.ts';
import type { Logger } from '../src/lib/logger.ts';
import type { Outbox } from './outbound.ts';

export const digestQueueName = 'digests';
/** Monday 09:00, in each community's own time zone. */
export const digestPattern = '0 9 * * 1';

/**
 * Digest jobs, version 1. `weekly` sends one community's digest to each of its workers in private;
 * a job scheduler per community (`digest-<id>`, Monday 09:00 local) fires it. `sync` (hourly) keeps
 * one scheduler per community, with its current time zone, so new communities get theirs.
 */
export const digestJobs = {
  weekly: { name: 'weekly', version: 1, schema: z.object({ v: z.literal(1), communityId: z.number().int() }) },
  sync: { name: 'sync', version: 1, schema: z.object({ v: z.literal(1) }) },
} as const;

export class DigestScheduler {
  readonly queue: Queue;
  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue(digestQueueName, { connection, prefix: hashTaggedPrefix(prefix) });
  }

  /** The weekly scheduler of one community (idempotent: upsert by id, the time zone updated). */
  async schedule(community: { id: number; timezone: string }): Promise<void> {
    await this.queue.upsertJobScheduler(
      `digest-${community.id}`,
      { pattern: digestPattern, tz: community.timezone },
      { name: digestJobs.weekly.name, data: { v: 1, communityId: community.id }, opts: { removeOnComplete: 100, removeOnFail: 100, attempts: 5, backoff: { type: 'exponential', delay: 10_000 } } },
    );
  }

  /** A scheduler for every community, and the hourly sync that keeps them so. */
  async syncAll(ctx: CoreContext): Promise<number> {
    const communities = await ctx.prisma.community.findMany({ select: { id: true, timezone: true } });
    for (const c of communities) await this.schedule(c);
    await this.queue.upsertJobScheduler('digest-sync', { every: 3_600_000 }, { name: digestJobs.sync.name, data: { v: 1 }, opts: { removeOnComplete: 10, removeOnFail: 10 } });
    return communities.length;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

/**
 * One community's digest, as private messages to its workers (each in their language). The key
 * holds the community's local date, so a job run twice that day queues each message once.
 * With an LLM (`llm`, only when one is configured), a few sentences it wrote from the digest's counts
 * (`digestIntro`: no names, no texts) open the digest for the workers who read the community's
 * language (Simplified converted for a Traditional reader); with no valid answer in time, or none
 * configured, the digest is the offline one, unchanged.
 */
export async function digestMessages(ctx: CoreContext, communityId: number, llm?: LlmClient): Promise<OutboundItem[]> {
  const d = await weeklyDigest(ctx, communityId);
  if (d.workerIds.length === 0) return [];
  const day = DateTime.fromJSDate(d.to, { zone: d.community.timezone }).toISODate();
  const people = await ctx.prisma.person.findMany({
    where: { id: { in: d.workerIds } },
    select: { id: true, locale: true, optedOutAt: true, identities: { orderBy: { id: 'desc' }, take: 1, select: { platform: true, externalId: true } } },
  });
  const community = await ctx.prisma.community.findUniqueOrThrow({ where: { id: communityId }, select: { locale: true } });
  const fallback: Locale = isLocale(community.locale) ? community.locale : 'zh-Hans';
  const recipients = people.filter((p) => p.identities[0] && !p.optedOutAt);
  const intro = llm && recipients.length ? await digestIntro(ctx, llm, d) : null;
  const introFor = (locale: Locale): string | null => {
    if (!intro) return null;
    if (locale === fallback) return intro;
    return fallback === 'zh-Hans' && locale === 'zh-Hant' ? inTraditional(intro) : null;
  };
  const texts = new Map<Locale, string>();
  const out: OutboundItem[] = [];
  for (const p of people) {
    const identity = p.identities[0];
    // The digest is informational: a worker who sent 退订 gets none.
    if (!identity || p.optedOutAt) continue;
    const locale: Locale = isLocale(p.locale) ? p.locale : fallback;
    if (!texts.has(locale)) texts.set(locale, digestText(d, locale, introFor(locale)));
    out.push({ key: `digest:${communityId}:${day}:${p.id}`, to: { platform: identity.platform, chatId: identity.externalId, kind: 'direct' }, message: { text: texts.get(locale)! } });
  }
  return out;
}

/** The digest worker (the `workers` role). */
export function startDigestWorker(opts: { ctx: CoreContext; outbox: Pick<Outbox, 'send'>; scheduler: DigestScheduler; connection: Redis; prefix: string; log: Logger; /** The configured LLM, if any: it writes the digest's opening lines. */ llm?: LlmClient }): Worker {
  // Its own connection, closed with it (BullMQ leaves a connection it was given open).
  const connection = opts.connection.duplicate();
  const worker = new Worker(
    digestQueueName,
    async (job: Job) => {
      if (job.name === digestJobs.sync.name) return { communities: await opts.scheduler.syncAll(opts.ctx) };
      const { communityId } = digestJobs.weekly.schema.parse(job.data);
      const exists = await opts.ctx.prisma.community.findUnique({ where: { id: communityId }, select: { id: true } });
      if (!exists) return { skipped: 'no community' };
      const items = await digestMessages(opts.ctx, communityId, opts.llm);
      await opts.outbox.send(items);
      return { sent: items.length };
    },
    { connection, prefix: hashTaggedPrefix(opts.prefix), concurrency: 4, lockDuration: 30_000 },
  );
  worker.on('failed', (job, err) => opts.log.warn({ jobId: job?.id, err: err.message }, 'digest job failed'));
  worker.on('closed', () => connection.disconnect());
  worker.on('error', (err) => opts.log.error({ err: err.message }, 'digest worker error'));
  return worker;
}
