import { LRUCache } from 'lru-cache';
import type { Platform } from '../chat.ts';
import type { CoreContext } from '../context.ts';

export interface ResolvedPerson {
  personId: number;
  locale: string | null;
  homeCommunityId: number | null;
}

/**
 * Maps platform accounts to people. An identity never moves to another person, so the mapping
 * is cached in memory; the cache holds only ids (no personal data).
 */
export class PersonDirectory {
  // lru-cache allocates its arrays for `max` entries up front (about 40 bytes an entry with a ttl),
  // so `max` is the people who speak to the bot within ten minutes, with room to spare; one pushed
  // out is one SELECT away.
  private readonly cache = new LRUCache<string, ResolvedPerson>({ max: 50_000, ttl: 10 * 60_000 });
  constructor(private readonly ctx: CoreContext) {}

  /** The person behind (platform, userId), created on first sight. Safe to call concurrently. */
  async resolve(platform: Platform, userId: string, displayName: string): Promise<ResolvedPerson> {
    const key = `${platform}:${userId}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const resolved = await findOrCreatePerson(this.ctx, platform, userId, displayName);
    this.cache.set(key, resolved);
    return resolved;
  }

  /** Forget a cached person (after a locale change, say). */
  forget(platform: Platform, userId: string): void {
    this.cache.delete(`${platform}:${userId}`);
  }
}

const personFields = { personId: true, person: { select: { locale: true, homeCommunityId: true } } } as const;

/** The person behind a platform account, created on first sight (two first sights at once: one person). */
async function findOrCreatePerson(ctx: CoreContext, platform: Platform, userId: string, displayName: string): Promise<ResolvedPerson> {
  const where = { platform_externalId: { platform, externalId: userId } };
  const toResolved = (r: { personId: number; person: { locale: string | null; homeCommunityId: number | null } }) => ({
    personId: r.personId,
    locale: r.person.locale,
    homeCommunityId: r.person.homeCommunityId,
  });
  const found = await ctx.prisma.identity.findUnique({ where, select: personFields });
  if (found) return toResolved(found);
  const name = displayName.trim().slice(0, 100) || '邻居';
  try {
    const identity = await ctx.prisma.identity.create({
      data: { platform, externalId: userId, displayName: name, person: { create: { displayName: name } } },
      select: personFields,
    });
    return toResolved(identity);
  } catch (e) {
    // Two first messages at once: the other insert won; read its row.
    const existing = await ctx.prisma.identity.findUnique({ where, select: personFields });
    if (!existing) throw e;
    return toResolved(existing);
  }
}

/** Finds or creates the person behind a platform account, without a cache (CLI, demo). */
export async function ensurePerson(ctx: CoreContext, platform: Platform, userId: string, displayName = ''): Promise<number> {
  return (await findOrCreatePerson(ctx, platform, userId, displayName)).personId;
}
