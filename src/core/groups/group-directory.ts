import { LRUCache } from 'lru-cache';
import type { Platform } from '../chat.ts';
import type { CoreContext } from '../context.ts';

export interface GroupInfo {
  groupId: number;
  title: string;
  building: string | null;
  community: { id: number; code: string; name: string; locale: string; timezone: string } | null;
}

/**
 * Looks up which community a chat belongs to on every message, so it caches: a bound group for
 * a minute, an unbound one for five seconds (a bind in another process shows up that fast).
 */
export class GroupDirectory {
  // lru-cache allocates its arrays for `max` entries up front (about 40 bytes an entry with a ttl),
  // so `max` is what a busy minute needs: twice the 10,000 bound groups the benchmark holds; a
  // group pushed out is one findUnique away.
  private readonly cache = new LRUCache<string, GroupInfo | 'none'>({ max: 20_000, ttl: 60_000 });
  constructor(private readonly ctx: CoreContext) {}

  async find(platform: Platform, chatId: string): Promise<GroupInfo | null> {
    const key = `${platform}:${chatId}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit === 'none' ? null : hit;
    const g = await this.ctx.prisma.group.findUnique({
      where: { platform_externalId: { platform, externalId: chatId } },
      select: {
        id: true,
        title: true,
        building: true,
        community: { select: { id: true, code: true, name: true, locale: true, timezone: true } },
      },
    });
    const info = g ? { groupId: g.id, title: g.title, building: g.building, community: g.community } : null;
    if (info?.community) this.cache.set(key, info);
    else this.cache.set(key, 'none', { ttl: 5_000 });
    return info;
  }

  forget(platform: Platform, chatId: string): void {
    this.cache.delete(`${platform}:${chatId}`);
  }
}
