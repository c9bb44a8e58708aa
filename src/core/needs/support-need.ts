import { AppError } from '../../lib/errors.ts';
import type { Db } from '../../db/prisma.ts';
import type { CoreContext } from '../context.ts';

export interface NeedSummary {
  id: number;
  number: number;
  text: string;
  category: string;
  supportCount: number;
}

const needSummary = { id: true, number: true, text: true, category: true, supportCount: true, status: true, mergedIntoId: true } as const;

/**
 * Adds one person's support to a need, once. Returns the new count and whether this person had
 * already supported it. Must run inside the caller's transaction.
 */
export async function addSupport(tx: Db, needId: number, personId: number): Promise<{ supportCount: number; added: boolean }> {
  // One statement: the insert, the count bump when the insert happened, and the count either way.
  const rows = await tx.$queryRaw<Array<{ added: boolean; supportCount: number }>>`
    WITH ins AS (
      INSERT INTO "NeedSupport" ("needId", "personId") VALUES (${needId}, ${personId}) ON CONFLICT DO NOTHING RETURNING 1
    ), upd AS (
      UPDATE "Need" SET "supportCount" = "supportCount" + 1 WHERE id = ${needId} AND EXISTS (SELECT 1 FROM ins) RETURNING "supportCount"
    )
    SELECT EXISTS (SELECT 1 FROM ins) AS added,
           COALESCE((SELECT "supportCount" FROM upd), (SELECT "supportCount" FROM "Need" WHERE id = ${needId}))::int AS "supportCount"`;
  const r = rows[0];
  if (!r) throw new AppError('NEED_NOT_FOUND', { number: needId });
  return { supportCount: r.supportCount, added: r.added };
}

/**
 * `+1 N`: the sender supports need N of their community. A merged need passes the support on to
 * the need it was merged into. Refuses unknown, resolved or rejected needs and a second +1.
 */
export async function supportNeed(
  ctx: CoreContext,
  input: { communityId: number; number: number; personId: number },
): Promise<{ need: NeedSummary; supportCount: number }> {
  const db = ctx.prisma;
  // The common case in one statement: the need by its number and, when it is open to support,
  // the support and the count. A merged need is followed below, as before.
  const [first] = await db.$queryRaw<Array<NeedSummary & { status: string; mergedIntoId: number | null; added: boolean; count: number }>>`
    WITH n AS (
      SELECT id, number, text, category::text AS category, "supportCount", status::text AS status, "mergedIntoId"
      FROM "Need" WHERE "communityId" = ${input.communityId} AND number = ${input.number}
    ), ins AS (
      INSERT INTO "NeedSupport" ("needId", "personId")
      SELECT id, ${input.personId} FROM n WHERE status NOT IN ('resolved', 'rejected', 'merged')
      ON CONFLICT DO NOTHING RETURNING 1
    ), upd AS (
      UPDATE "Need" SET "supportCount" = "supportCount" + 1 WHERE id = (SELECT id FROM n) AND EXISTS (SELECT 1 FROM ins) RETURNING "supportCount"
    )
    SELECT n.*, EXISTS (SELECT 1 FROM ins) AS added, COALESCE((SELECT "supportCount" FROM upd), n."supportCount")::int AS count FROM n`;
  if (!first) throw new AppError('NEED_NOT_FOUND', { number: input.number });
  if (first.status !== 'merged') {
    const { added, count, ...rest } = first;
    if (first.status === 'resolved' || first.status === 'rejected') throw new AppError('NEED_CLOSED', { number: first.number });
    const need: NeedSummary = { id: rest.id, number: rest.number, text: rest.text, category: rest.category, supportCount: count };
    if (!added) throw new AppError('ALREADY_SUPPORTED', { number: need.number, count });
    return { need, supportCount: count };
  }
  let need = { ...first, mergedIntoId: first.mergedIntoId };
  for (let hops = 0; need.status === 'merged' && need.mergedIntoId !== null && hops < 5; hops++) {
    need = { ...(await db.need.findUniqueOrThrow({ where: { id: need.mergedIntoId }, select: needSummary })), added: false, count: 0 };
  }
  if (need.status === 'resolved' || need.status === 'rejected' || need.status === 'merged') {
    throw new AppError('NEED_CLOSED', { number: need.number });
  }
  const { supportCount, added } = await addSupport(db, need.id, input.personId);
  if (!added) throw new AppError('ALREADY_SUPPORTED', { number: need.number, count: supportCount });
  const summary: NeedSummary = { id: need.id, number: need.number, text: need.text, category: need.category, supportCount };
  return { need: summary, supportCount };
}
