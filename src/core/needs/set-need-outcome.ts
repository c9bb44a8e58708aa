import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { maskPersonalData } from '../../lib/mask.ts';
import type { CoreContext } from '../context.ts';
import { notify } from '../effects.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { requireWorker } from '../roles/require-worker.ts';

export const needOutcomes = ['resolved', 'rejected', 'referred'] as const;
export type NeedOutcome = (typeof needOutcomes)[number];

export const setNeedOutcomeInput = z
  .object({
    communityId: z.number().int(),
    number: z.number().int().positive(),
    outcome: z.enum(needOutcomes),
    /** Why (不予处理 needs one) or what was done; shown to the supporters. */
    note: z.string().trim().max(500).default(''),
    /** Who it was handed to, when referred (物业公司). */
    to: z.string().trim().max(50).optional(),
    actorId: z.number().int().nullable().default(null),
    via: z.enum(['chat', 'cli', 'api', 'console']).default('api'),
  })
  .refine((i) => i.outcome !== 'rejected' || i.note !== '', { message: 'a declined need needs a reason', path: ['note'] })
  .refine((i) => i.outcome !== 'referred' || (i.to ?? '') !== '', { message: 'a referred need needs who takes it', path: ['to'] });
export type SetNeedOutcomeInput = z.input<typeof setNeedOutcomeInput>;

/**
 * `处理需求 12 已解决 说明` / `不予处理 原因` / `转交 物业公司 …`: a worker of the community gives a
 * need its outcome with a reason (masked: supporters and groups read it). The status becomes
 * resolved, rejected or referred; the first outcome records when the need was answered. Audited
 * with the status and note before and after (the need's history reads it). A merged need is
 * answered through the one it was merged into (NEED_MERGED). The effects tell every supporter in
 * private. Giving another outcome later is allowed (a referral resolved) and tells them again.
 */
export async function setNeedOutcome(ctx: CoreContext, input: SetNeedOutcomeInput) {
  const i = setNeedOutcomeInput.parse(input);
  if (i.actorId !== null) await requireWorker(ctx, i.actorId, i.communityId);
  const note = maskPersonalData(i.note);
  const to = i.outcome === 'referred' ? maskPersonalData(i.to ?? '') : null;
  const now = ctx.clock.now();
  return ctx.prisma.$transaction(async (tx) => {
    const need = await tx.need.findUnique({ where: { communityId_number: { communityId: i.communityId, number: i.number } }, include: { mergedInto: { select: { number: true } } } });
    if (!need) throw new AppError('NEED_NOT_FOUND', { number: i.number });
    if (need.status === 'merged') throw new AppError('NEED_MERGED', { number: need.number, into: need.mergedInto?.number ?? '' });
    await tx.need.update({
      where: { id: need.id },
      data: {
        status: i.outcome,
        outcomeNote: note,
        referredTo: to,
        resolvedAt: i.outcome === 'resolved' ? now : null,
        ...(need.answeredAt === null ? { answeredAt: now } : {}),
      },
    });
    await writeAudit(tx, {
      communityId: i.communityId,
      actorId: i.actorId,
      via: i.via,
      action: 'need.outcome',
      entity: 'Need',
      entityId: need.id,
      before: { number: need.number, status: need.status, note: need.outcomeNote, to: need.referredTo },
      // `at` by the community's clock (the row's own createdAt is the database's).
      after: { number: need.number, status: i.outcome, note, to, at: now.toISOString() },
    });
    const supporters = await tx.needSupport.findMany({ where: { needId: need.id }, select: { personId: true }, orderBy: { createdAt: 'asc' } });
    const effects = notify(
      supporters.map((s) => ({
        personId: s.personId,
        // The time is in the key: a second outcome (the referral resolved) is told too.
        key: `needoutcome:${need.id}:${i.outcome}:${now.getTime()}:${s.personId}`,
        message: 'needOutcomeToSupporter' as const,
        params: { number: need.number, outcome: i.outcome, note, to: to ?? '' },
      })),
    );
    return { need: { id: need.id, number: need.number, status: i.outcome }, supporters: supporters.length, effects };
  });
}
