import type { Platform } from '../chat.ts';
import type { CoreContext } from '../context.ts';
import { Prisma } from '../../db/prisma.ts';
import { MicroBatch } from '../../lib/micro-batch.ts';

export interface InboundKey {
  platform: Platform;
  messageId: string;
  chatId: string;
  userId: string;
}

/**
 * How long a claim is taken to be worked on by the process that made it. Processing a message
 * takes milliseconds; a claim still incomplete after this is one whose process died, and the
 * message's next delivery takes it over.
 */
export const inboundLeaseMs = 10_000;

/** The claim is the message's; `takenOver` when an earlier claim had died incomplete. */
export type InboundClaim = { claimed: true; takenOver: boolean } | { claimed: false };

/**
 * Claims a platform message for processing. The first delivery of a (platform, message id)
 * claims it; a redelivery of a completed message does not (the caller then does nothing).
 * A redelivery that finds the message claimed but not completed waits: when the claim completes
 * it is a duplicate, when the claim's lease runs out first (its process died between claiming
 * and completing) it takes the claim over and the message is processed afresh. Lease times are
 * the database's clock, so processes with skewed clocks agree. One statement when the message
 * is new. Safe to call concurrently: exactly one caller holds the claim at a time.
 */
export async function claimInbound(ctx: CoreContext, key: InboundKey, leaseMs = inboundLeaseMs): Promise<InboundClaim> {
  // A safety net only: the lease ends by the database's clock, long before this.
  const giveUpAt = Date.now() + leaseMs + 5_000;
  for (let pause = 10; ; pause = Math.min(pause * 2, 250)) {
    const rows = await ctx.prisma.$queryRaw<Array<{ inserted: boolean }>>`
      INSERT INTO "InboundMessage" (platform, "externalId", "chatId", "userId", "receivedAt", "claimedUntil")
      VALUES (${key.platform}::"Platform", ${key.messageId}, ${key.chatId}, ${key.userId}, ${ctx.clock.now()},
              (now() AT TIME ZONE 'UTC') + ${leaseMs}::int * interval '1 millisecond')
      ON CONFLICT (platform, "externalId") DO UPDATE SET "claimedUntil" = EXCLUDED."claimedUntil"
        WHERE "InboundMessage"."completedAt" IS NULL
          AND ("InboundMessage"."claimedUntil" IS NULL OR "InboundMessage"."claimedUntil" <= (now() AT TIME ZONE 'UTC'))
      RETURNING (xmax = 0) AS inserted`;
    const row = rows[0];
    if (row) return { claimed: true, takenOver: !row.inserted };

    const [state] = await ctx.prisma.$queryRaw<Array<{ done: boolean; leftMs: number | null }>>`
      SELECT "completedAt" IS NOT NULL AS done,
             (EXTRACT(EPOCH FROM ("claimedUntil" - (now() AT TIME ZONE 'UTC'))) * 1000)::float8 AS "leftMs"
      FROM "InboundMessage" WHERE platform = ${key.platform}::"Platform" AND "externalId" = ${key.messageId}`;
    if (state?.done || Date.now() > giveUpAt) return { claimed: false };
    // Released meanwhile (state undefined) or the lease just ran out: claim again at once.
    if (state && state.leftMs !== null && state.leftMs > 0) await sleep(Math.min(pause, state.leftMs + 5));
  }
}

/**
 * Claims and completions of the messages one process handles, batched: the messages that arrive
 * while one statement is in flight are claimed together by the next (one multi-row INSERT … ON
 * CONFLICT), and completed together likewise (one UPDATE … FROM unnest). Each caller still waits
 * for its own row's statement, so the guarantees are `claimInbound`'s and `completeInbound`'s: a
 * message is acted on only once its claim is in the database, and a completion not yet written
 * when the process dies is a claim never completed (the redelivery takes it over after the lease).
 */
export class InboundClaims {
  private readonly claims: MicroBatch<InboundKey & { at: Date }, boolean | null>;
  private readonly completions: MicroBatch<Pick<InboundKey, 'platform' | 'messageId'> & { at: Date }, void>;

  constructor(
    private readonly ctx: CoreContext,
    private readonly leaseMs = inboundLeaseMs,
  ) {
    this.claims = new MicroBatch((items) => claimMany(ctx, items, leaseMs));
    this.completions = new MicroBatch((items) => completeMany(ctx, items));
  }

  /** `claimInbound`, the first attempt batched with other messages' (the common case: a new message). */
  async claim(key: InboundKey): Promise<InboundClaim> {
    const inserted = await this.claims.add({ ...key, at: this.ctx.clock.now() });
    if (inserted !== null) return { claimed: true, takenOver: !inserted };
    return claimInbound(this.ctx, key, this.leaseMs);
  }

  /** `completeInbound`, batched with other messages'. */
  async complete(key: Pick<InboundKey, 'platform' | 'messageId'>): Promise<void> {
    await this.completions.add({ platform: key.platform, messageId: key.messageId, at: this.ctx.clock.now() });
  }
}

/**
 * One claim attempt for each key, in one statement: true when the row was inserted, false when
 * a dead claim was taken over, null when it is held or completed. The same key twice goes in a
 * second statement (ON CONFLICT DO UPDATE may touch a row once per statement). Rows are written
 * in key order, so two processes' batches over the same keys cannot deadlock.
 */
async function claimMany(ctx: CoreContext, items: Array<InboundKey & { at: Date }>, leaseMs: number): Promise<Array<boolean | null>> {
  const seen = new Set<string>();
  const first: number[] = [];
  const again: number[] = [];
  items.forEach((k, i) => {
    const id = `${k.platform}\u0000${k.messageId}`;
    if (seen.has(id)) again.push(i);
    else {
      seen.add(id);
      first.push(i);
    }
  });
  const pick = first.map((i) => items[i]!);
  const rows = await ctx.prisma.$queryRaw<Array<{ platform: string; externalId: string; inserted: boolean }>>`
    INSERT INTO "InboundMessage" (platform, "externalId", "chatId", "userId", "receivedAt", "claimedUntil")
    SELECT p::"Platform", x, c, u, r AT TIME ZONE 'UTC', (now() AT TIME ZONE 'UTC') + ${leaseMs}::int * interval '1 millisecond'
    FROM unnest(${pick.map((k) => k.platform)}::text[], ${pick.map((k) => k.messageId)}::text[], ${pick.map((k) => k.chatId)}::text[],
                ${pick.map((k) => k.userId)}::text[], ${pick.map((k) => k.at.toISOString())}::timestamptz[]) AS v(p, x, c, u, r)
    ORDER BY p, x
    ON CONFLICT (platform, "externalId") DO UPDATE SET "claimedUntil" = EXCLUDED."claimedUntil"
      WHERE "InboundMessage"."completedAt" IS NULL
        AND ("InboundMessage"."claimedUntil" IS NULL OR "InboundMessage"."claimedUntil" <= (now() AT TIME ZONE 'UTC'))
    RETURNING platform::text AS platform, "externalId", (xmax = 0) AS inserted`;
  const got = new Map(rows.map((r) => [`${r.platform}\u0000${r.externalId}`, r.inserted]));
  const out: Array<boolean | null> = items.map(() => null);
  for (const i of first) out[i] = got.get(`${items[i]!.platform}\u0000${items[i]!.messageId}`) ?? null;
  if (again.length) {
    const rest = await claimMany(ctx, again.map((i) => items[i]!), leaseMs);
    again.forEach((i, j) => (out[i] = rest[j]!));
  }
  return out;
}

/** Completes many claims in one UPDATE, each at its own time. */
async function completeMany(ctx: CoreContext, items: Array<Pick<InboundKey, 'platform' | 'messageId'> & { at: Date }>): Promise<void[]> {
  await ctx.prisma.$executeRaw`
    UPDATE "InboundMessage" m SET "completedAt" = v.at AT TIME ZONE 'UTC'
    FROM unnest(${items.map((k) => k.platform)}::text[], ${items.map((k) => k.messageId)}::text[], ${items.map((k) => k.at.toISOString())}::timestamptz[]) AS v(p, x, at)
    WHERE m.platform = v.p::"Platform" AND m."externalId" = v.x`;
  return items.map(() => undefined);
}

/**
 * Marks a claimed message as done: its replies are queued. A redelivery after this is a
 * duplicate. One UPDATE; completing twice is harmless.
 */
export async function completeInbound(ctx: CoreContext, key: Pick<InboundKey, 'platform' | 'messageId'>): Promise<void> {
  await ctx.prisma.$executeRaw`
    UPDATE "InboundMessage" SET "completedAt" = ${ctx.clock.now()}
    WHERE platform = ${key.platform}::"Platform" AND "externalId" = ${key.messageId}`;
}

/** Undoes a claim when processing failed before anything was recorded, so a redelivery can retry. */
export async function releaseInbound(ctx: CoreContext, key: InboundKey): Promise<void> {
  await ctx.prisma.inboundMessage.deleteMany({ where: { platform: key.platform, externalId: key.messageId } });
}

/**
 * Keeps a message's decided replies when they could not be queued, for its redelivery to queue,
 * and completes the claim (the message's changes are committed: it must not be processed again).
 */
export async function parkReplies(ctx: CoreContext, key: Pick<InboundKey, 'platform' | 'messageId'>, replies: unknown[]): Promise<void> {
  await ctx.prisma.inboundMessage.updateMany({
    where: { platform: key.platform, externalId: key.messageId },
    data: { pendingReplies: replies as Prisma.InputJsonValue, completedAt: ctx.clock.now() },
  });
}

/** The parked replies of an already-processed message, if any, cleared as they are taken. */
export async function takeParkedReplies(ctx: CoreContext, key: Pick<InboundKey, 'platform' | 'messageId'>): Promise<unknown[] | null> {
  const row = await ctx.prisma.inboundMessage.findUnique({
    where: { platform_externalId: { platform: key.platform, externalId: key.messageId } },
    select: { pendingReplies: true },
  });
  if (!Array.isArray(row?.pendingReplies)) return null;
  return row.pendingReplies;
}

/** Forgets parked replies once they are queued. */
export async function clearParkedReplies(ctx: CoreContext, key: Pick<InboundKey, 'platform' | 'messageId'>): Promise<void> {
  await ctx.prisma.inboundMessage.updateMany({
    where: { platform: key.platform, externalId: key.messageId },
    data: { pendingReplies: Prisma.DbNull },
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
