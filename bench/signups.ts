// `npm run bench -- signups`: the rush after a broadcast, on sign-ups. 5,000 people sign up for one
// 100-place shift, then 5,000 for 100 shifts of 20 places (50 a shift), through the core use case
// (signUp) on one process's pool (20 connections). Each layout runs twice:
//  - "steady": BENCH_SIGNUP_CONCURRENCY (default 64) sign-ups in flight, each call timed from its
//    start: sign-ups/s and latency p50/p99 of one sign-up (the issue's "p99 < 200 ms");
//  - "all at once": all 5,000 calls started together (most of them queue for a connection), the
//    wall time until the last answer.
// Then it checks what was stored against what each person was told: per shift exactly `capacity`
// confirmed, the rest waitlisted 1..N with no gap or duplicate, each waitlisted person told the
// place stored for them, every confirmed sign-up with its reminders, no refusals. Exits 1 if not.
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { createCommunity } from '../src/core/communities/create-community.ts';
import { createProject } from '../src/core/projects/create-project.ts';
import { changeProjectStatus } from '../src/core/projects/change-status.ts';
import { signUp, type SignUpResult } from '../src/core/signups/sign-up.ts';
import type { CoreContext } from '../src/core/context.ts';
import { createTestDatabase } from '../tests/helpers/test-db.ts';
import { int, ms, quantile, runPool, sortedCopy } from './lib/stats.ts';

const people = Number(process.env.BENCH_SIGNUPS ?? 5_000);
const concurrency = Number(process.env.BENCH_SIGNUP_CONCURRENCY ?? 64);

const db = await createTestDatabase();
let failed = false;
try {
  const ctx: CoreContext = { prisma: db.prisma, clock: { now: () => new Date() } };
  const c = await createCommunity(ctx, { code: 'SU01', name: '报名社区' });
  const start = new Date(Date.now() + 7 * 86400_000);
  const end = new Date(start.getTime() + 7_200_000);
  // One project per run, so each run starts from empty shifts.
  const layouts = [
    { label: 'one shift of 100 places', shifts: 1, capacity: 100 },
    { label: '100 shifts of 20 places', shifts: 100, capacity: 20 },
  ] as const;
  const modes = ['steady', 'all at once'] as const;
  let projectNumber = 0;
  console.log(`sign-ups — ${int(people)} people a run, real Postgres, one process (pool of 20); load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (const layout of layouts) {
    for (const mode of modes) {
      projectNumber++;
      await createProject(ctx, {
        communityId: c.id,
        title: `${layout.label} (${mode})`,
        shifts: Array.from({ length: layout.shifts }, (_, i) => ({ startsAt: new Date(start.getTime() + i * 60_000), endsAt: end, capacity: layout.capacity })),
      });
      await changeProjectStatus(ctx, { communityId: c.id, number: projectNumber, to: 'published', actorId: null, via: 'cli' });
      const firstPerson = (await db.prisma.person.aggregate({ _max: { id: true } }))._max.id ?? 0;
      await db.prisma.person.createMany({ data: Array.from({ length: people }, (_, i) => ({ displayName: `居民${projectNumber}-${i}` })) });
      const ids = (await db.prisma.person.findMany({ where: { id: { gt: firstPerson } }, select: { id: true }, orderBy: { id: 'asc' } })).map((p) => p.id);

      const latencies = new Float64Array(ids.length);
      const told: Array<SignUpResult | undefined> = new Array(ids.length);
      const refusals: string[] = [];
      const one = async (i: number) => {
        const s = performance.now();
        try {
          told[i] = await signUp(ctx, { communityId: c.id, projectNumber, shiftLabel: layout.shifts > 1 ? String((i % layout.shifts) + 1) : undefined, personId: ids[i]! });
        } catch (e) {
          refusals.push(String(e instanceof Error ? e.message : e).split('\n')[0]!.slice(0, 160));
        }
        latencies[i] = performance.now() - s;
      };
      const t0 = performance.now();
      if (mode === 'steady') await runPool(ids.length, concurrency, one);
      else await Promise.all(ids.map((_, i) => one(i)));
      const secs = (performance.now() - t0) / 1000;
      const sorted = sortedCopy(latencies);

      // What was stored, against what people were told.
      const rows = await db.prisma.signUp.findMany({
        where: { shift: { project: { communityId: c.id, number: projectNumber } } },
        select: { personId: true, shiftId: true, status: true, waitlistPosition: true, _count: { select: { reminders: true } } },
      });
      const byShift = new Map<number, typeof rows>();
      for (const r of rows) byShift.set(r.shiftId, [...(byShift.get(r.shiftId) ?? []), r]);
      const perShift = people / layout.shifts;
      const problems: string[] = [];
      for (const [shiftId, list] of byShift) {
        const confirmed = list.filter((r) => r.status === 'confirmed').length;
        const places = list.filter((r) => r.status === 'waitlisted').map((r) => r.waitlistPosition ?? -1).sort((a, b) => a - b);
        if (confirmed !== layout.capacity) problems.push(`shift ${shiftId}: ${confirmed} confirmed`);
        if (places.length !== perShift - layout.capacity || places.some((p, k) => p !== k + 1)) problems.push(`shift ${shiftId}: waitlist not 1..${perShift - layout.capacity}`);
        const shift = await db.prisma.shift.findUniqueOrThrow({ where: { id: shiftId } });
        if (shift.confirmedCount !== layout.capacity || shift.waitlistSeq !== perShift - layout.capacity) problems.push(`shift ${shiftId}: counters ${shift.confirmedCount}/${shift.waitlistSeq}`);
      }
      if (byShift.size !== layout.shifts) problems.push(`${byShift.size} shifts have sign-ups`);
      const storedPlace = new Map(rows.map((r) => [r.personId, r]));
      let mismatched = 0;
      for (const [i, t] of told.entries()) {
        const r = storedPlace.get(ids[i]!);
        if (!t || !r) continue;
        if (t.status !== r.status || (t.status === 'waitlisted' && t.place !== r.waitlistPosition)) mismatched++;
      }
      if (mismatched) problems.push(`${mismatched} told other than stored`);
      const noReminders = rows.filter((r) => r.status === 'confirmed' && r._count.reminders === 0).length;
      if (noReminders) problems.push(`${noReminders} confirmed without reminders`);
      const confirmed = rows.filter((r) => r.status === 'confirmed').length;
      const waitlisted = rows.filter((r) => r.status === 'waitlisted').length;

      const timing = mode === 'steady' ? `${concurrency} in flight; latency p50 ${ms(quantile(sorted, 0.5))}, p99 ${ms(quantile(sorted, 0.99))}` : `last answer after ${secs.toFixed(2)} s; latency (incl. waiting for a connection) p99 ${ms(quantile(sorted, 0.99))}`;
      console.log(`  ${layout.label}, ${mode}: ${int(ids.length / secs)} sign-ups/s   (${timing})`);
      console.log(`    confirmed ${int(confirmed)}, waitlisted ${int(waitlisted)}, refused ${refusals.length}${refusals[0] ? ` (${refusals[0]})` : ''}; ${problems.length ? `PROBLEMS: ${problems.slice(0, 3).join('; ')}` : 'waitlists 1..N in order, places told = stored, reminders planned'}`);
      if (problems.length || refusals.length) failed = true;
    }
  }
  console.log(`  targets: ≥ 1,000 sign-ups/s, p99 < 200 ms, 0 refused; load average now ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  await db.drop();
}
if (failed) {
  console.error('  FAILED: see the problems above');
  process.exitCode = 1;
}
process.exit();
