import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import type { Tx } from '../../db/prisma.ts';
import type { CoreContext } from '../context.ts';
import { notify } from '../effects.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { requireWorker } from '../roles/require-worker.ts';
import { isNeedCategory } from '../needs/categories.ts';

export const shiftInput = z
  .object({
    startsAt: z.coerce.date(),
    endsAt: z.coerce.date(),
    capacity: z.number().int().min(1).max(100_000),
    place: z.string().trim().max(200).default(''),
    skills: z.array(z.string().trim().min(1).max(50)).max(20).default([]),
  })
  .refine((s) => s.endsAt > s.startsAt, { message: 'a shift must end after it starts', path: ['endsAt'] });
export type ShiftInput = z.input<typeof shiftInput>;

export const createProjectInput = z.object({
  communityId: z.number().int(),
  title: z.string().trim().min(1).max(100),
  description: z.string().trim().max(2000).default(''),
  category: z.string().refine(isNeedCategory, 'unknown category').optional(),
  /** Need numbers (as residents see them) the project answers. */
  needs: z.array(z.number().int().positive()).max(50).default([]),
  claimType: z.enum(['volunteers', 'organization', 'both']).default('volunteers'),
  allowMultipleClaims: z.boolean().default(false),
  shifts: z.array(shiftInput).max(100).default([]),
  actorId: z.number().int().nullable().default(null),
  via: z.enum(['chat', 'cli', 'api', 'console', 'job']).default('api'),
});
export type CreateProjectInput = z.input<typeof createProjectInput>;

/** Shift letters residents type: A, B, … Z, then AA, AB … */
export function shiftLabel(i: number): string {
  let n = i;
  let s = '';
  do {
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return s;
}

/** Who supported the needs a project answers: they are told when it is made and when it closes. */
export async function supportersOf(db: Tx | CoreContext['prisma'], needIds: number[]): Promise<Array<{ personId: number; needNumber: number }>> {
  if (needIds.length === 0) return [];
  const rows = await db.needSupport.findMany({
    where: { needId: { in: needIds } },
    select: { personId: true, need: { select: { number: true } } },
    orderBy: [{ needId: 'asc' }, { createdAt: 'asc' }],
  });
  const seen = new Set<number>();
  return rows.flatMap((r) => (seen.has(r.personId) ? [] : (seen.add(r.personId), [{ personId: r.personId, needNumber: r.need.number }])));
}

/**
 * Makes a project (draft) from needs, with its shifts. Numbered per community; the linked needs
 * move to in_project. Only a worker of the community (or the CLI, actorId null) may do it.
 * Returns the project, the supporters of its needs, and the effects: those supporters are told
 * ("你支持的需求 #12 已立项").
 */
export async function createProject(ctx: CoreContext, input: CreateProjectInput) {
  const i = createProjectInput.parse(input);
  if (i.actorId !== null) await requireWorker(ctx, i.actorId, i.communityId);
  return ctx.prisma.$transaction((tx) => recordProject(tx, i));
}

/**
 * createProject's writes inside the caller's transaction (a 微创投 winner becomes a project in the
 * tally's own transaction). The caller has checked the worker; `input` is parsed here.
 */
export async function recordProject(tx: Tx, input: CreateProjectInput) {
  const i = createProjectInput.parse(input);
  const needs = i.needs.length
    ? await tx.need.findMany({ where: { communityId: i.communityId, number: { in: i.needs } }, select: { id: true, number: true, category: true, status: true } })
    : [];
  const missing = i.needs.find((n) => !needs.some((x) => x.number === n));
  if (missing !== undefined) throw new AppError('NEED_NOT_FOUND', { number: missing });
  const { projectSeq } = await tx.community.update({
    where: { id: i.communityId },
    data: { projectSeq: { increment: 1 } },
    select: { projectSeq: true },
  });
  const project = await tx.project.create({
    data: {
      communityId: i.communityId,
      number: projectSeq,
      title: i.title,
      description: i.description,
      category: i.category ?? needs[0]?.category ?? null,
      claimType: i.claimType,
      allowMultipleClaims: i.allowMultipleClaims,
      createdById: i.actorId,
      needs: { create: needs.map((n) => ({ needId: n.id })) },
      shifts: {
        create: [...i.shifts]
          .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
          .map((s, idx) => ({ ...s, label: shiftLabel(idx), checkinSecret: randomSecret() })),
      },
    },
    include: { shifts: { orderBy: { label: 'asc' } } },
  });
  if (needs.length) {
    await tx.need.updateMany({ where: { id: { in: needs.map((n) => n.id) }, status: 'open' }, data: { status: 'in_project' } });
  }
  await writeAudit(tx, {
    communityId: i.communityId,
    actorId: i.actorId,
    via: i.via,
    action: 'project.create',
    entity: 'Project',
    entityId: project.id,
    after: { number: project.number, title: project.title, needs: i.needs, claimType: i.claimType, shifts: project.shifts.length },
  });
  const supporters = await supportersOf(tx, needs.map((n) => n.id));
  const effects = notify(
    supporters.map((x) => ({
      personId: x.personId,
      key: `projectmade:${project.id}:${x.personId}`,
      message: 'projectMade' as const,
      params: { need: x.needNumber, number: project.number, title: project.title },
      informational: true,
    })),
  );
  return { project, supporters, effects };
}

function randomSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(20))).toString('base64url');
}
