import { DateTime } from 'luxon';
import type { CoreContext } from '../context.ts';

export const llmOutcomes = ['ok', 'invalid', 'timeout', 'error', 'budget', 'off'] as const;
export type LlmOutcome = (typeof llmOutcomes)[number];

export interface LlmCallRecord {
  communityId: number | null;
  purpose: string;
  promptVersion: string;
  model: string;
  latencyMs: number;
  promptTokens?: number | null;
  completionTokens?: number | null;
  outcome: LlmOutcome;
}

/** One LlmCall row, stamped with the context's clock (the budget counts by it). Never the words sent. */
export async function recordLlmCall(ctx: CoreContext, call: LlmCallRecord): Promise<void> {
  await ctx.prisma.llmCall.create({
    data: {
      communityId: call.communityId,
      purpose: call.purpose,
      promptVersion: call.promptVersion,
      model: call.model,
      latencyMs: Math.max(0, Math.round(call.latencyMs)),
      promptTokens: call.promptTokens ?? null,
      completionTokens: call.completionTokens ?? null,
      outcome: call.outcome,
      createdAt: ctx.clock.now(),
    },
  });
}

/** Where a community's day starts: its own time zone; words from no community count in the default zone. */
const DEFAULT_ZONE = 'Asia/Shanghai';

/**
 * Calls that reached the endpoint today (in the community's time zone) for one community, or for
 * the words from no community when `communityId` is null. Calls held back (`budget`, `off`) do not count.
 */
export async function llmCallsToday(ctx: CoreContext, communityId: number | null): Promise<number> {
  const zone =
    communityId === null
      ? DEFAULT_ZONE
      : ((await ctx.prisma.community.findUnique({ where: { id: communityId }, select: { timezone: true } }))?.timezone ?? DEFAULT_ZONE);
  const now = DateTime.fromJSDate(ctx.clock.now(), { zone });
  const from = (now.isValid ? now : DateTime.fromJSDate(ctx.clock.now(), { zone: DEFAULT_ZONE })).startOf('day').toJSDate();
  return ctx.prisma.llmCall.count({
    where: { communityId, createdAt: { gte: from }, outcome: { in: ['ok', 'invalid', 'timeout', 'error'] } },
  });
}
