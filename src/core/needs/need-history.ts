import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';

/**
 * `需求 12`: what anyone in the community may know of a need: its (masked) text, category, status,
 * support, the projects made from it and the outcomes workers gave it (from the audit log, oldest
 * first). Never the contact phone. NEED_NOT_FOUND outside the community. Read-only, JSON-safe.
 */
export async function needHistory(ctx: CoreContext, input: { communityId: number; number: number }) {
  const need = await ctx.prisma.need.findUnique({
    where: { communityId_number: { communityId: input.communityId, number: input.number } },
    select: {
      id: true,
      number: true,
      text: true,
      category: true,
      status: true,
      supportCount: true,
      createdAt: true,
      mergedInto: { select: { number: true } },
      projects: { select: { project: { select: { number: true, title: true } } } },
    },
  });
  if (!need) throw new AppError('NEED_NOT_FOUND', { number: input.number });
  const outcomes = await ctx.prisma.auditLog.findMany({
    where: { communityId: input.communityId, entity: 'Need', entityId: String(need.id), action: 'need.outcome' },
    orderBy: { id: 'asc' },
    select: { createdAt: true, after: true },
  });
  const projects = need.projects.map((p) => ({ number: p.project.number, title: p.project.title })).sort((a, b) => a.number - b.number);
  const answers = outcomes.map((o) => {
    const a = (o.after ?? {}) as { status?: string; note?: string; to?: string | null; at?: string };
    return { at: a.at ? new Date(a.at) : o.createdAt, status: a.status ?? '', note: a.note ?? '', to: a.to ?? '' };
  });
  return { need: { number: need.number, text: need.text, category: need.category, status: need.status, supportCount: need.supportCount, createdAt: need.createdAt, mergedInto: need.mergedInto?.number ?? null }, projects, outcomes: answers };
}
