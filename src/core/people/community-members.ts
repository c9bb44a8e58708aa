import { LRUCache } from 'lru-cache';
import type { CoreContext } from '../context.ts';

/**
 * Records that a person was seen in a bound group of a community (CommunityMember, first sight
 * only): who may vote in the community's 微创投 rounds, and the residents its turnout counts
 * against. One `INSERT … ON CONFLICT DO NOTHING` the first time a pair is seen by this process;
 * after that an in-memory LRU answers (ids only, no personal data), so the inbound hot path pays
 * no statement per message. Another process seeing the same pair inserts nothing: the unique pair
 * keeps the first sight.
 */
export class CommunityMembers {
  // lru-cache allocates its arrays for `max` entries up front (28 bytes an entry), so `max`
  // is the pairs active lately rather than every resident ever seen: a pair pushed out costs one
  // more `ON CONFLICT DO NOTHING` the next time, which changes nothing.
  private readonly known = new LRUCache<string, true>({ max: 100_000 });
  constructor(private readonly ctx: CoreContext) {}

  async seen(personId: number, communityId: number): Promise<void> {
    const key = `${communityId}:${personId}`;
    if (this.known.has(key)) return;
    await recordMember(this.ctx, personId, communityId);
    this.known.set(key, true);
  }
}

/** The statement itself, without the cache (tests, the CLI, demo data). Safe to call twice. */
export async function recordMember(ctx: CoreContext, personId: number, communityId: number): Promise<void> {
  await ctx.prisma.$executeRaw`
    INSERT INTO "CommunityMember" ("personId", "communityId", "firstSeenAt")
    VALUES (${personId}, ${communityId}, ${ctx.clock.now()})
    ON CONFLICT ("communityId", "personId") DO NOTHING`;
}
