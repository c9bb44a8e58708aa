import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';

/**
 * Console sessions, in Redis so any web process serves them. The cookie holds a 256-bit random id;
 * Redis holds only its sha256 as the key (a read of Redis yields no usable cookie). A session lasts
 * `idleSeconds` since it was last used (sliding, refreshed at most once a minute) and never longer
 * than `absoluteSeconds`. Each session carries its own CSRF token (synchronizer token pattern) and
 * a one-shot flash message. A new session id is issued at every login (no fixation), and all of an
 * account's sessions can be ended at once (password change, disabled account).
 */
export const sessionCookie = 'linli_console';

const sessionSchema = z.object({
  v: z.literal(1),
  userId: z.number().int(),
  /** The account's passwordChangedAt when the session opened: a later password change ends it. */
  pw: z.number(),
  csrf: z.string().min(20),
  createdAt: z.number(),
  touchedAt: z.number(),
  flash: z.object({ kind: z.enum(['ok', 'error']), text: z.string().max(2000) }).nullable().default(null),
});
export type SessionData = z.infer<typeof sessionSchema>;

export interface Session extends SessionData {
  /** The cookie value (never stored). */
  id: string;
}

export class ConsoleSessions {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly idleSeconds = 8 * 3600,
    readonly absoluteSeconds = 7 * 86400,
  ) {}

  private key(id: string): string {
    return `${this.prefix}:console:session:${createHash('sha256').update(id).digest('hex')}`;
  }
  private userKey(userId: number): string {
    return `${this.prefix}:console:user-sessions:${userId}`;
  }

  /** Opens a session for an account; returns it with its cookie value. */
  async create(userId: number, passwordChangedAt: Date, now = Date.now()): Promise<Session> {
    const id = randomBytes(32).toString('base64url');
    const data: SessionData = { v: 1, userId, pw: passwordChangedAt.getTime(), csrf: randomBytes(32).toString('base64url'), createdAt: now, touchedAt: now, flash: null };
    const key = this.key(id);
    await this.redis.multi().set(key, JSON.stringify(data), 'EX', this.idleSeconds).sadd(this.userKey(userId), key).expire(this.userKey(userId), this.absoluteSeconds).exec();
    return { ...data, id };
  }

  /** The live session behind a cookie value, or null (unknown, expired, malformed). Slides its expiry. */
  async get(id: string | undefined, now = Date.now()): Promise<Session | null> {
    if (!id || id.length < 20 || id.length > 100) return null;
    const key = this.key(id);
    const text = await this.redis.get(key);
    if (!text) return null;
    let parsed: SessionData;
    try {
      const r = sessionSchema.safeParse(JSON.parse(text));
      if (!r.success) return null;
      parsed = r.data;
    } catch {
      return null;
    }
    if (now - parsed.createdAt > this.absoluteSeconds * 1000) {
      await this.redis.del(key);
      return null;
    }
    if (now - parsed.touchedAt > 60_000) {
      parsed.touchedAt = now;
      const ttl = Math.max(1, Math.min(this.idleSeconds, Math.ceil((parsed.createdAt + this.absoluteSeconds * 1000 - now) / 1000)));
      await this.redis.set(key, JSON.stringify(parsed), 'EX', ttl);
    }
    return { ...parsed, id };
  }

  /** Sets (or clears) the one-shot message the next page shows. */
  async setFlash(s: Session, flash: SessionData['flash']): Promise<void> {
    const key = this.key(s.id);
    const { id: _id, ...data } = s;
    const ttl = await this.redis.ttl(key);
    if (ttl <= 0) return;
    await this.redis.set(key, JSON.stringify({ ...data, flash }), 'EX', ttl);
  }

  /** Reads and clears the flash message. */
  async takeFlash(s: Session): Promise<SessionData['flash']> {
    if (!s.flash) return null;
    const flash = s.flash;
    await this.setFlash(s, null);
    s.flash = null;
    return flash;
  }

  async destroy(id: string): Promise<void> {
    await this.redis.del(this.key(id));
  }

  /** Ends every session of an account (password changed, account disabled). */
  async destroyAllOf(userId: number): Promise<void> {
    const keys = await this.redis.smembers(this.userKey(userId));
    if (keys.length) await this.redis.del(...keys);
    await this.redis.del(this.userKey(userId));
  }
}

/** Whether a submitted CSRF token is the session's, compared in constant time. */
export function csrfMatches(session: { csrf: string }, submitted: unknown): boolean {
  if (typeof submitted !== 'string' || submitted.length !== session.csrf.length) return false;
  return timingSafeEqual(Buffer.from(submitted), Buffer.from(session.csrf));
}
