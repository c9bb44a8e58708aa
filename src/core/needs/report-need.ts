import { AppError } from '../../lib/errors.ts';
import { findPhone, maskPersonalData } from '../../lib/mask.ts';
import type { Prisma } from '../../db/prisma.ts';
import type { CoreContext } from '../context.ts';
import type { NeedCategory } from './categories.ts';
import { classifyNeed } from './classify-need.ts';
import { currentSignature, isNearDuplicate, needSignature, type NeedSignature } from './similar-need.ts';
import { addSupport, type NeedSummary } from './support-need.ts';

/** Needs are cut at this many characters (chat contract). */
export const needMaxLength = 500;
/** How far back and how many open needs the near-duplicate check looks at. */
const duplicateWindowDays = 180;
const duplicateCandidates = 300;

export interface ReportNeedInput {
  communityId: number;
  authorId: number;
  groupId?: number | null;
  /** The need as typed, Simplified Chinese or English, already normalised. */
  text: string;
  /** The building of the group it was raised in (a 楼栋 group), when the text names none. */
  building?: string | null;
}

export type ReportNeedResult = {
  /** The text was longer than needMaxLength and was cut. */
  truncated: boolean;
  /** Personal data (a phone, an ID or door number) was found and masked in what was recorded. */
  masked: boolean;
} & (
  | { kind: 'created'; need: NeedSummary }
  | { kind: 'linked'; need: NeedSummary; supportCount: number; alreadySupported: boolean }
);

/**
 * `需求 <text>`: records a need, classified, numbered per community. When a very similar open
 * need exists in the same community, the report becomes the reporter's support for it instead.
 * The recorded text has personal data masked; a phone number is kept apart for workers.
 */
export async function reportNeed(ctx: CoreContext, input: ReportNeedInput): Promise<ReportNeedResult> {
  const trimmed = input.text.trim();
  if (!trimmed) throw new AppError('TEXT_EMPTY');
  const chars = Array.from(trimmed);
  const truncated = chars.length > needMaxLength;
  const cut = truncated ? chars.slice(0, needMaxLength).join('') : trimmed;
  const text = chinesePunctuation(maskPersonalData(cut));
  const masked = text !== chinesePunctuation(cut);
  const contactPhone = findPhone(cut);
  const { category, signature } = signatureOf(text, input.building);
  const twin = await findTwin(ctx, input.communityId, category, signature);

  if (twin) {
    const { supportCount, added } = await addSupport(ctx.prisma, twin.id, input.authorId);
    const need = { id: twin.id, number: twin.number, text: twin.text, category };
    return { kind: 'linked', need: { ...need, supportCount }, supportCount, alreadySupported: !added, truncated, masked };
  }
  // One statement: the community's next number (its row locked only for this statement), the need,
  // and the author's support.
  const rows = await ctx.prisma.$queryRaw<NeedSummary[]>`
    WITH seq AS (
      UPDATE "Community" SET "needSeq" = "needSeq" + 1 WHERE id = ${input.communityId} RETURNING "needSeq"
    ), need AS (
      INSERT INTO "Need" ("communityId", number, "authorId", "groupId", text, "contactPhone", category, signature, "createdAt")
      SELECT ${input.communityId}, seq."needSeq", ${input.authorId}, ${input.groupId ?? null}::int, ${text}, ${contactPhone}::text, ${category},
             ${JSON.stringify(signature)}::jsonb, ${ctx.clock.now()}
      FROM seq
      RETURNING id, number, text, category, "supportCount"
    ), support AS (
      INSERT INTO "NeedSupport" ("needId", "personId", "createdAt") SELECT id, ${input.authorId}, ${ctx.clock.now()} FROM need
    )
    SELECT id, number, text, category, "supportCount" FROM need`;
  const need = rows[0];
  if (!need) throw new AppError('COMMUNITY_NOT_FOUND', { code: String(input.communityId) });
  return { kind: 'created', need, truncated, masked };
}

/** A need text's category and signature; a 楼栋 group's building lends its place to a text naming none. */
function signatureOf(text: string, building: string | null | undefined): { category: NeedCategory; signature: NeedSignature } {
  const { category } = classifyNeed(text);
  let signature = needSignature(text, category);
  if (building && signature.places.length === 0) {
    // "楼道的灯又坏了" in the 3号楼 group is about 3号楼.
    signature = { ...signature, places: needSignature(`${building} ${text}`, category).places };
  }
  return { category, signature };
}

/** The community's recent open need of the category that `signature` nearly duplicates, if any. */
async function findTwin(ctx: CoreContext, communityId: number, category: NeedCategory, signature: NeedSignature) {
  const since = new Date(ctx.clock.now().getTime() - duplicateWindowDays * 86_400_000);
  // Raw: Prisma's own cost for up to 300 rows of JSON showed in the inbound profile.
  const candidates = await ctx.prisma.$queryRaw<Array<{ id: number; number: number; text: string; signature: unknown }>>`
    SELECT id, number, text, signature FROM "Need"
    WHERE "communityId" = ${communityId} AND status IN ('open', 'in_project') AND category = ${category} AND "createdAt" >= ${since}
    ORDER BY "createdAt" DESC LIMIT ${duplicateCandidates}`;
  return candidates.find((c) => isNearDuplicate(signature, currentSignature(c.signature, c.text, category))) ?? null;
}

/**
 * The open need a description is about ("我也遇到了楼道灯不亮"): the one a report of these words
 * would be linked to, by the same near-duplicate rule. Reads only; null when there is none.
 */
export async function findSimilarNeed(
  ctx: CoreContext,
  input: { communityId: number; text: string; building?: string | null },
): Promise<{ number: number; text: string } | null> {
  const text = chinesePunctuation(maskPersonalData(input.text.trim()));
  if (!text) return null;
  const { category, signature } = signatureOf(text, input.building);
  const twin = await findTwin(ctx, input.communityId, category, signature);
  return twin ? { number: twin.number, text: twin.text } : null;
}

const halfToFull: Record<string, string> = { ',': '，', '!': '！', '?': '？', ':': '：', ';': '；', '(': '（', ')': '）' };
const hasHan = /\p{Script=Han}/u;
// Not inside numbers (3,000 or 9:00); brackets only when they touch a Chinese character.
const asciiPunctuation = /(?<!\d)[,:]|[,:](?!\d)|[!?;]|(?<=\p{Script=Han})[()]|[()](?=\p{Script=Han})/gu;

/**
 * Input normalisation (NFKC) turns "，" into ","; a need in Chinese is kept as Chinese is
 * written, so its punctuation goes back to the full-width form.
 */
export function chinesePunctuation(text: string): string {
  return hasHan.test(text) ? text.replace(asciiPunctuation, (c) => halfToFull[c] ?? c) : text;
}
