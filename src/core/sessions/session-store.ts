import { z } from 'zod';
import type { Platform } from '../chat.ts';
import type { Prisma } from '../../db/prisma.ts';
import type { CoreContext } from '../context.ts';

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
  /** Marks the key for `ttlMs` from now (a duration: the app's clock and the store's may differ). */
  mark(key: SessionKey, ttlMs: number): Promise<void>;
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
    const ttlMs = data.expiresAt.getTime() - this.ctx.clock.now().getTime();
    if (ttlMs > 0) await this.hints?.mark(key, ttlMs);
  }

  /**
   * Writes several sessions at once (the reminder worker's batches): one INSERT … ON CONFLICT for
   * all, then their hints. Each is validated as `set` validates it; for a key given twice, the
   * last one wins.
   */
  async setMany(entries: ReadonlyArray<{ key: SessionKey; session: Session }>): Promise<void> {
    const byKey = new Map<string, { key: SessionKey; data: Session }>();
    for (const e of entries) byKey.set(`${e.key.platform}\u0000${e.key.chatId}\u0000${e.key.userId}`, { key: e.key, data: sessionSchema.parse(e.session) });
    const list = [...byKey.values()];
    if (list.length === 0) return;
    const col = <T>(f: (e: (typeof list)[number]) => T) => list.map(f);
    await this.ctx.prisma.$executeRaw`
      INSERT INTO "FlowSession" (platform, "chatId", "userId", flow, version, step, answers, "expiresAt", "updatedAt")
      SELECT v.platform::"Platform", v.chat, v.usr, v.flow, v.version, v.step, v.answers::jsonb,
             to_timestamp(v.expires / 1000.0) AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
      FROM unnest(${col((e) => e.key.platform)}::text[], ${col((e) => e.key.chatId)}::text[], ${col((e) => e.key.userId)}::text[],
                  ${col((e) => e.data.flow)}::text[], ${col((e) => e.data.version)}::int[], ${col((e) => e.data.step)}::text[],
                  ${col((e) => JSON.stringify(e.data.answers))}::text[], ${col((e) => e.data.expiresAt.getTime())}::float8[])
           AS v(platform, chat, usr, flow, version, step, answers, expires)
      ON CONFLICT (platform, "chatId", "userId") DO UPDATE
        SET flow = EXCLUDED.flow, version = EXCLUDED.version, step = EXCLUDED.step, answers = EXCLUDED.answers,
            "expiresAt" = EXCLUDED."expiresAt", "updatedAt" = EXCLUDED."updatedAt"`;
    // Hints are consulted only for unaddressed group chatter (see SessionHints): a private chat's
    // session (chat = the user) needs none.
    const inGroups = list.filter((e) => e.key.chatId !== e.key.userId);
    const now = this.ctx.clock.now().getTime();
    if (this.hints) await Promise.all(inGroups.filter((e) => e.data.expiresAt.getTime() > now).map((e) => this.hints!.mark(e.key, e.data.expiresAt.getTime() - now)));
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
  async mark(key: SessionKey, ttlMs: number): Promise<void> {
    await this.redis.set(this.k(key), '1', 'PX', Math.max(1, Math.ceil(ttlMs)));
  }
  async unmark(key: SessionKey): Promise<void> {
    await this.redis.del(this.k(key));
  }
}
