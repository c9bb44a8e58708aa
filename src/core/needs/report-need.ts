import { AppError } from '../../lib/errors.ts';
import { findPhone, maskPersonalData } from '../../lib/mask.ts';
import type { Prisma } from '../../db/prisma.ts';
import type { CoreContext } from '../context.ts';
import { classifyNeed } from './classify-need.ts';
import { isNearDuplicate, needSignature, type NeedSignature } from './similar-need.ts';
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
  const { category } = classifyNeed(text);
  let signature = needSignature(text, category);
  if (input.building && signature.places.length === 0) {
    // "楼道的灯又坏了" in the 3号楼 group is about 3号楼.
    signature = { ...signature, places: needSignature(`${input.building} ${text}`, category).places };
  }

  const since = new Date(ctx.clock.now().getTime() - duplicateWindowDays * 86_400_000);
  const candidates = await ctx.prisma.need.findMany({
    where: { communityId: input.communityId, status: { in: ['open', 'in_project'] }, category, createdAt: { gte: since } },
    orderBy: { createdAt: 'desc' },
    take: duplicateCandidates,
    select: { id: true, signature: true },
  });
  const twin = candidates.find((c) => isNearDuplicate(signature, c.signature as unknown as NeedSignature));

  return ctx.prisma.$transaction(async (tx) => {
    if (twin) {
      const { supportCount, added } = await addSupport(tx, twin.id, input.authorId);
      const need = await tx.need.findUniqueOrThrow({
        where: { id: twin.id },
        select: { id: true, number: true, text: true, category: true, supportCount: true },
      });
      return { kind: 'linked', need, supportCount, alreadySupported: !added, truncated, masked };
    }
    const { needSeq } = await tx.community.update({
      where: { id: input.communityId },
      data: { needSeq: { increment: 1 } },
      select: { needSeq: true },
    });
    const need = await tx.need.create({
      data: {
        communityId: input.communityId,
        number: needSeq,
        authorId: input.authorId,
        groupId: input.groupId ?? null,
        text,
        contactPhone,
        category,
        signature: signature as unknown as Prisma.InputJsonValue,
        createdAt: ctx.clock.now(),
        supporters: { create: { personId: input.authorId } },
      },
      select: { id: true, number: true, text: true, category: true, supportCount: true },
    });
    return { kind: 'created', need, truncated, masked };
  });
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
