import { AppError } from '../../lib/errors.ts';
import type { CoreContext } from '../context.ts';
import { notify, type Notice } from '../effects.ts';
import { hoursText, starText } from '../../lib/format.ts';
import { personHours } from './hours-summary.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { findProject } from '../projects/find-project.ts';
import { requireWorker } from '../roles/require-worker.ts';

type Via = 'chat' | 'cli' | 'api' | 'console';

/** An entry of this community's ledger, or HOURS_NOT_FOUND. */
async function entryOf(ctx: CoreContext, communityId: number, entryId: number) {
  const entry = await ctx.prisma.hoursEntry.findUnique({ where: { id: entryId }, include: { project: { select: { communityId: true, number: true } } } });
  if (!entry || entry.project?.communityId !== communityId) throw new AppError('HOURS_NOT_FOUND', { id: entryId });
  return entry;
}

/**
 * Decides one pending hours entry: approved (it counts) or rejected (it never will). The decision
 * is the only change the ledger allows (a database trigger refuses any other UPDATE); a decided
 * entry is HOURS_DECIDED. Only a worker of the community; audited.
 */
export async function decideHoursEntry(ctx: CoreContext, input: { communityId: number; entryId: number; approve: boolean; actorId: number | null; via: Via }) {
  if (input.actorId !== null) await requireWorker(ctx, input.actorId, input.communityId);
  await entryOf(ctx, input.communityId, input.entryId);
  return ctx.prisma.$transaction(async (tx) => {
    const now = ctx.clock.now();
    const rows = await tx.hoursEntry.updateManyAndReturn({
      where: { id: input.entryId, status: 'pending' },
      data: { status: input.approve ? 'approved' : 'rejected', approvedById: input.actorId, approvedAt: now },
    });
    const entry = rows[0];
    if (!entry) throw new AppError('HOURS_DECIDED', { id: input.entryId });
    await writeAudit(tx, {
      communityId: input.communityId,
      actorId: input.actorId,
      via: input.via,
      action: input.approve ? 'hours.approve' : 'hours.reject',
      entity: 'HoursEntry',
      entityId: entry.id,
      before: { status: 'pending' },
      after: { status: entry.status, hours: entry.hours.toString(), personId: entry.personId },
    });
    return entry;
  });
}

/**
 * Approves in bulk every pending hours entry of project N (the `通过时长 N` command). Returns the
 * entries approved (none when nothing was pending) and the effects: the volunteers told. Only a
 * worker of the community; one audit row.
 */
export async function approvePendingHours(ctx: CoreContext, input: { communityId: number; number: number; actorId: number | null; via: Via }) {
  if (input.actorId !== null) await requireWorker(ctx, input.actorId, input.communityId);
  const project = await findProject(ctx.prisma, input.communityId, input.number);
  const r = await ctx.prisma.$transaction(async (tx) => {
    const entries = await tx.hoursEntry.updateManyAndReturn({
      where: { projectId: project.id, status: 'pending' },
      data: { status: 'approved', approvedById: input.actorId, approvedAt: ctx.clock.now() },
      select: { id: true, personId: true, hours: true },
    });
    if (entries.length) {
      await writeAudit(tx, {
        communityId: input.communityId,
        actorId: input.actorId,
        via: input.via,
        action: 'hours.approve_all',
        entity: 'Project',
        entityId: project.id,
        after: { entries: entries.map((e) => e.id), hours: entries.reduce((a, e) => a + Number(e.hours), 0) },
      });
    }
    return { project: { id: project.id, number: project.number, title: project.title }, entries: entries.map((e) => ({ id: e.id, personId: e.personId, hours: Number(e.hours) })) };
  });
  return { ...r, effects: notify(await hoursApprovedNotices(ctx, r.entries.map((e) => ({ ...e, projectId: r.project.id })))) };
}

/**
 * The volunteers told their hours were approved, with their new total and stars: one notice per
 * person, project and batch of entries (informational: 退订 stops it). Entries of no project tell nobody.
 */
export async function hoursApprovedNotices(
  ctx: CoreContext,
  entries: ReadonlyArray<{ id: number; personId: number; hours: number; projectId: number | null }>,
): Promise<Notice[]> {
  const projectIds = [...new Set(entries.flatMap((e) => (e.projectId === null ? [] : [e.projectId])))];
  if (projectIds.length === 0) return [];
  const projects = await ctx.prisma.project.findMany({ where: { id: { in: projectIds } }, select: { id: true, number: true, title: true } });
  const batches = new Map<string, Array<(typeof entries)[number]>>();
  for (const e of entries) {
    if (e.projectId === null) continue;
    const k = `${e.personId}:${e.projectId}`;
    batches.set(k, [...(batches.get(k) ?? []), e]);
  }
  const notices: Notice[] = [];
  for (const list of batches.values()) {
    const first = list[0]!;
    const project = projects.find((p) => p.id === first.projectId);
    if (!project) continue;
    const summary = await personHours(ctx, first.personId);
    notices.push({
      personId: first.personId,
      key: `hoursapproved:${project.id}:${first.personId}:${list.map((e) => e.id).join('-')}`,
      message: 'hoursApprovedToVolunteer',
      params: { number: project.number, title: project.title, hours: hoursText(list.reduce((a, e) => a + e.hours, 0)), total: hoursText(summary.approved), stars: starText(summary.stars) },
      informational: true,
    });
  }
  return notices;
}

/**
 * Corrects an approved entry without touching it: appends an entry pointing at it (correctsId)
 * holding the difference between what it should be (`hours`) and what it counts now (the entry
 * plus its earlier corrections), so the approved sum becomes `hours`. The correction is made and
 * approved by the correcting worker. A correction of a correction corrects the original entry.
 * Pending or rejected entries are decided, not corrected (HOURS_NOT_APPROVED). Audited.
 */
export async function correctHoursEntry(
  ctx: CoreContext,
  input: { communityId: number; entryId: number; hours: number; reason: string; actorId: number | null; via: Via },
) {
  if (input.actorId !== null) await requireWorker(ctx, input.actorId, input.communityId);
  if (!Number.isFinite(input.hours) || input.hours < 0 || input.hours > 10_000) throw new AppError('INVALID_INPUT');
  let entry = await entryOf(ctx, input.communityId, input.entryId);
  while (entry.correctsId !== null) entry = await entryOf(ctx, input.communityId, entry.correctsId);
  if (entry.status !== 'approved') throw new AppError('HOURS_NOT_APPROVED', { id: entry.id });
  const root = entry;
  return ctx.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "HoursEntry" WHERE id = ${root.id} FOR UPDATE`;
    const corrections = await tx.hoursEntry.aggregate({ where: { correctsId: root.id, status: 'approved' }, _sum: { hours: true } });
    const counts = Number(root.hours) + Number(corrections._sum.hours ?? 0);
    const delta = Math.round((input.hours - counts) * 100) / 100;
    const now = ctx.clock.now();
    const correction = await tx.hoursEntry.create({
      data: {
        personId: root.personId,
        projectId: root.projectId,
        shiftId: root.shiftId,
        hours: delta.toFixed(2),
        status: 'approved',
        reason: input.reason.slice(0, 200) || 'correction',
        correctsId: root.id,
        createdById: input.actorId,
        approvedById: input.actorId,
        approvedAt: now,
        createdAt: now,
      },
    });
    await writeAudit(tx, {
      communityId: input.communityId,
      actorId: input.actorId,
      via: input.via,
      action: 'hours.correct',
      entity: 'HoursEntry',
      entityId: correction.id,
      before: { corrects: root.id, counted: counts },
      after: { hours: input.hours, delta, reason: correction.reason },
    });
    return { correction, counted: counts, now: input.hours };
  });
}
