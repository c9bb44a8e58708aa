import { z } from 'zod';
import type { Platform } from '../bots/types.ts';
import type { Prisma } from '../db/prisma.ts';
import type { CoreContext } from '../core/context.ts';

/** Who a session belongs to: one person in one chat. Never the chat alone. */
export interface SessionKey {
  platform: Platform;
  chatId: string;
  userId: string;
}

/** Per-person conversation state: small, versioned, validated when read. */
export const sessionSchema = z.object({
  flow: z.string().min(1).max(50),
  version: z.number().int().min(1),
  step: z.string().min(1).max(50),
  answers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  expiresAt: z.date(),
});
export type Session = z.infer<typeof sessionSchema>;

/**
 * A cheap "maybe" before the database is asked: unaddressed group chatter is checked against it,
 * so ordinary conversation costs no database query. Marks expire with their session.
 */
export interface SessionHints {
  mayHave(key: SessionKey): Promise<boolean>;
  mark(key: SessionKey, until: Date): Promise<void>;
  unmark(key: SessionKey): Promise<void>;
}

/**
 * Sessions live in Postgres (FlowSession), so any process can resume any conversation. A row
 * that no longer validates, belongs to an older version of its flow, or has expired reads as
 * no session and is deleted.
 */
export class SessionStore {
  constructor(
    private readonly ctx: CoreContext,
    private readonly versions: Readonly<Record<string, number>>,
    private readonly hints?: SessionHints,
  ) {}

  /** False only when this person certainly has no waiting flow in this chat. */
  async mayHave(key: SessionKey): Promise<boolean> {
    return this.hints ? this.hints.mayHave(key) : true;
  }

  async get(key: SessionKey): Promise<Session | null> {
    const row = await this.ctx.prisma.flowSession.findUnique({ where: { platform_chatId_userId: key } });
    if (!row) return null;
    const parsed = sessionSchema.safeParse(row);
    const ok = parsed.success && parsed.data.expiresAt > this.ctx.clock.now() && this.versions[parsed.data.flow] === parsed.data.version;
    if (!ok) {
      await this.clear(key);
      return null;
    }
    return parsed.data;
  }

  async set(key: SessionKey, session: Session): Promise<void> {
    const data = sessionSchema.parse(session);
    const row = { ...data, answers: data.answers as Prisma.InputJsonValue };
    await this.ctx.prisma.flowSession.upsert({
      where: { platform_chatId_userId: key },
      create: { ...key, ...row },
      update: row,
    });
    await this.hints?.mark(key, data.expiresAt);
  }

  async clear(key: SessionKey): Promise<void> {
    await this.ctx.prisma.flowSession.deleteMany({ where: key });
    await this.hints?.unmark(key);
  }
}

/** SessionHints in Redis: one key per waiting (platform, chat, user), expiring with the session. */
export class RedisSessionHints implements SessionHints {
  constructor(
    private readonly redis: import('ioredis').Redis,
    private readonly prefix: string,
  ) {}
  private k(key: SessionKey): string {
    return `${this.prefix}:session:${key.platform}:${key.chatId}:${key.userId}`;
  }
  async mayHave(key: SessionKey): Promise<boolean> {
    return (await this.redis.exists(this.k(key))) === 1;
  }
  async mark(key: SessionKey, until: Date): Promise<void> {
    await this.redis.set(this.k(key), '1', 'PXAT', until.getTime());
  }
  async unmark(key: SessionKey): Promise<void> {
    await this.redis.del(this.k(key));
  }
}
