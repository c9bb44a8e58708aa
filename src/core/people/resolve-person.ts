import { LRUCache } from 'lru-cache';
import type { Platform } from '../../bots/types.ts';
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
  private readonly cache = new LRUCache<string, ResolvedPerson>({ max: 200_000, ttl: 10 * 60_000 });
  constructor(private readonly ctx: CoreContext) {}

  /** The person behind (platform, userId), created on first sight. Safe to call concurrently. */
  async resolve(platform: Platform, userId: string, displayName: string): Promise<ResolvedPerson> {
    const key = `${platform}:${userId}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const found = await this.ctx.prisma.identity.findUnique({
      where: { platform_externalId: { platform, externalId: userId } },
      select: { personId: true, person: { select: { locale: true, homeCommunityId: true } } },
    });
    const resolved = found
      ? { personId: found.personId, locale: found.person.locale, homeCommunityId: found.person.homeCommunityId }
      : await this.create(platform, userId, displayName);
    this.cache.set(key, resolved);
    return resolved;
  }

  /** Forget a cached person (after a locale change, say). */
  forget(platform: Platform, userId: string): void {
    this.cache.delete(`${platform}:${userId}`);
  }

  private async create(platform: Platform, userId: string, displayName: string): Promise<ResolvedPerson> {
    const name = displayName.trim().slice(0, 100) || '邻居';
    try {
      const identity = await this.ctx.prisma.identity.create({
        data: { platform, externalId: userId, displayName: name, person: { create: { displayName: name } } },
        select: { personId: true },
      });
      return { personId: identity.personId, locale: null, homeCommunityId: null };
    } catch (e) {
      // Two first messages at once: the other insert won; read its row.
      const existing = await this.ctx.prisma.identity.findUnique({
        where: { platform_externalId: { platform, externalId: userId } },
        select: { personId: true, person: { select: { locale: true, homeCommunityId: true } } },
      });
      if (!existing) throw e;
      return { personId: existing.personId, locale: existing.person.locale, homeCommunityId: existing.person.homeCommunityId };
    }
  }
}

/** Finds or creates the person behind a platform account, without a cache (CLI, demo). */
export async function ensurePerson(ctx: CoreContext, platform: Platform, userId: string, displayName = ''): Promise<number> {
  return (await new PersonDirectory(ctx).resolve(platform, userId, displayName)).personId;
}
