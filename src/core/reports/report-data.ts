import type { CoreContext } from '../context.ts';

/**
 * The numbers behind the console's reports, for a set of communities (one community, or a street's
 * or district's, rolled up): needs by category and month, projects by status, volunteer hours by
 * month, attendance by month and the residents' ratings, tickets' response and resolution rates and
 * satisfaction, 微创投 rounds with their turnout, grants and completed projects, plus one line per
 * community for the roll-up. Months are in `timezone`. Read-only
 * and JSON-safe. The caller decides which communities the person may see (communitiesVisibleTo /
 * communitiesOfArea).
 *
 * Attendance follows evaluateProject: of the sign-ups (confirmed, attended or no-show) on shifts
 * that have started, those with a check-in.
 */
export async function reportData(ctx: CoreContext, input: { communityIds: number[]; from: Date; to: Date; timezone: string }) {
  const ids = input.communityIds;
  const { from, to, timezone: tz } = input;
  const now = ctx.clock.now();
  if (ids.length === 0) {
    return { needsByCategoryMonth: [], projectsByStatus: [], hoursByMonth: [], attendanceByMonth: [], ratings: [], perCommunity: [], streetRounds: [], totals: emptyTotals() };
  }
  const db = ctx.prisma;
  const [needs, projects, approvedHours, pendingHours, attendance, ratings, perCommunity, tickets, ventures, streetVentures] = await Promise.all([
    db.$queryRaw<Array<{ month: string; category: string; count: bigint }>>`
      SELECT to_char(("createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${tz}, 'YYYY-MM') AS month, category, count(*) AS count
      FROM "Need" WHERE "communityId" = ANY(${ids}::int[]) AND "createdAt" >= ${from} AND "createdAt" < ${to} AND status <> 'merged'
      GROUP BY 1, 2 ORDER BY 1, 2`,
    db.project.groupBy({ by: ['status'], where: { communityId: { in: ids } }, _count: { _all: true } }),
    db.$queryRaw<Array<{ month: string; hours: string }>>`
      SELECT to_char((h."approvedAt" AT TIME ZONE 'UTC') AT TIME ZONE ${tz}, 'YYYY-MM') AS month, sum(h.hours)::text AS hours
      FROM "HoursEntry" h JOIN "Project" p ON p.id = h."projectId"
      WHERE p."communityId" = ANY(${ids}::int[]) AND h.status = 'approved' AND h."approvedAt" >= ${from} AND h."approvedAt" < ${to}
      GROUP BY 1 ORDER BY 1`,
    db.$queryRaw<Array<{ month: string; hours: string }>>`
      SELECT to_char((h."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${tz}, 'YYYY-MM') AS month, sum(h.hours)::text AS hours
      FROM "HoursEntry" h JOIN "Project" p ON p.id = h."projectId"
      WHERE p."communityId" = ANY(${ids}::int[]) AND h.status = 'pending' AND h."createdAt" >= ${from} AND h."createdAt" < ${to}
      GROUP BY 1 ORDER BY 1`,
    db.$queryRaw<Array<{ month: string; expected: bigint; attended: bigint }>>`
      SELECT to_char((s."startsAt" AT TIME ZONE 'UTC') AT TIME ZONE ${tz}, 'YYYY-MM') AS month,
             count(*) AS expected,
             count(c.id) FILTER (WHERE u.status IN ('confirmed', 'attended')) AS attended
      FROM "SignUp" u JOIN "Shift" s ON s.id = u."shiftId" JOIN "Project" p ON p.id = s."projectId"
      LEFT JOIN "CheckIn" c ON c."signUpId" = u.id
      WHERE p."communityId" = ANY(${ids}::int[]) AND s.status = 'scheduled' AND u.status IN ('confirmed', 'attended', 'no_show')
        AND s."startsAt" <= ${now} AND s."startsAt" >= ${from} AND s."startsAt" < ${to}
      GROUP BY 1 ORDER BY 1`,
    db.$queryRaw<Array<{ rating: number; count: bigint }>>`
      SELECT f.rating, count(*) AS count FROM "Feedback" f JOIN "Project" p ON p.id = f."projectId"
      WHERE p."communityId" = ANY(${ids}::int[]) AND f."createdAt" >= ${from} AND f."createdAt" < ${to}
      GROUP BY 1 ORDER BY 1`,
    db.$queryRaw<Array<{ id: number; code: string; name: string; needs: bigint; open_needs: bigint; projects: bigint; hours: string | null }>>`
      SELECT c.id, c.code, c.name,
        (SELECT count(*) FROM "Need" n WHERE n."communityId" = c.id AND n."createdAt" >= ${from} AND n."createdAt" < ${to} AND n.status <> 'merged') AS needs,
        (SELECT count(*) FROM "Need" n WHERE n."communityId" = c.id AND n.status = 'open') AS open_needs,
        (SELECT count(*) FROM "Project" p WHERE p."communityId" = c.id) AS projects,
        (SELECT sum(h.hours)::text FROM "HoursEntry" h JOIN "Project" p ON p.id = h."projectId"
          WHERE p."communityId" = c.id AND h.status = 'approved' AND h."approvedAt" >= ${from} AND h."approvedAt" < ${to}) AS hours
      FROM "Community" c WHERE c.id = ANY(${ids}::int[]) ORDER BY c.code`,
    db.$queryRaw<Array<{ id: number; tickets: bigint; responded: bigint; closed: bigint; rated: bigint; rating_sum: bigint | null; response_seconds: number | null }>>`
      SELECT "communityId" AS id, count(*) AS tickets, count("firstResponseAt") AS responded, count("closedAt") AS closed,
             count(rating) AS rated, sum(rating) AS rating_sum,
             sum(EXTRACT(EPOCH FROM ("firstResponseAt" - "createdAt")))::float8 AS response_seconds
      FROM "Ticket" WHERE "communityId" = ANY(${ids}::int[]) AND "createdAt" >= ${from} AND "createdAt" < ${to}
      GROUP BY 1`,
    // 微创投: rounds opened (collecting began) in the period; their voters; the residents seen in
    // the community's groups (CommunityMember: first seen in one of its bound groups before the
    // period ended; one index range, not a scan of every message);
    // the grants of their winners; and the winners' projects completed (100% progress, or the
    // project closed or evaluated).
    db.$queryRaw<Array<{ id: number; rounds: bigint; voters: bigint; residents: bigint; granted_fen: bigint; winners: bigint; completed: bigint }>>`
      WITH r AS (
        SELECT id, "communityId" FROM "ProposalRound"
        WHERE "communityId" = ANY(${ids}::int[]) AND "collectingAt" >= ${from} AND "collectingAt" < ${to}
      )
      SELECT c.id,
        (SELECT count(*) FROM r WHERE r."communityId" = c.id) AS rounds,
        (SELECT count(DISTINCT b."personId") FROM "Ballot" b JOIN r ON r.id = b."roundId" WHERE r."communityId" = c.id AND b.votes > 0) AS voters,
        (SELECT count(*) FROM "CommunityMember" cm WHERE cm."communityId" = c.id AND cm."firstSeenAt" < ${to}) AS residents,
        (SELECT COALESCE(sum(p."grantFen"), 0) FROM "Proposal" p JOIN r ON r.id = p."roundId" WHERE r."communityId" = c.id AND p.status = 'winner') AS granted_fen,
        (SELECT count(*) FROM "Proposal" p JOIN r ON r.id = p."roundId" WHERE r."communityId" = c.id AND p.status = 'winner') AS winners,
        (SELECT count(*) FROM "Proposal" p JOIN r ON r.id = p."roundId" LEFT JOIN "Project" pr ON pr.id = p."projectId"
         WHERE r."communityId" = c.id AND p.status = 'winner' AND (p.progress >= 100 OR pr.status IN ('closed', 'evaluated'))) AS completed
      FROM "Community" c WHERE c.id = ANY(${ids}::int[]) ORDER BY c.code`,
    // Streets' 微创投 rounds, counted once for the street (never in a community's line), and only
    // when the report covers every community of the street: a community's report does not show
    // what its neighbours did. Residents seen: people first seen in any of the street's communities.
    db.$queryRaw<Array<{ id: number; name: string; rounds: bigint; voters: bigint; residents: bigint; granted_fen: bigint; winners: bigint; completed: bigint }>>`
      WITH covered AS (
        SELECT s.id FROM "Street" s
        WHERE EXISTS (SELECT 1 FROM "Community" c WHERE c."streetId" = s.id AND c.id = ANY(${ids}::int[]))
          AND NOT EXISTS (SELECT 1 FROM "Community" c WHERE c."streetId" = s.id AND NOT (c.id = ANY(${ids}::int[])))
      ), r AS (
        SELECT id, "streetId" FROM "ProposalRound"
        WHERE "streetId" IN (SELECT id FROM covered) AND "collectingAt" >= ${from} AND "collectingAt" < ${to}
      )
      SELECT s.id, s.name,
        (SELECT count(*) FROM r WHERE r."streetId" = s.id) AS rounds,
        (SELECT count(DISTINCT b."personId") FROM "Ballot" b JOIN r ON r.id = b."roundId" WHERE r."streetId" = s.id AND b.votes > 0) AS voters,
        (SELECT count(DISTINCT cm."personId") FROM "CommunityMember" cm JOIN "Community" c ON c.id = cm."communityId"
         WHERE c."streetId" = s.id AND cm."firstSeenAt" < ${to}) AS residents,
        (SELECT COALESCE(sum(p."grantFen"), 0) FROM "Proposal" p JOIN r ON r.id = p."roundId" WHERE r."streetId" = s.id AND p.status = 'winner') AS granted_fen,
        (SELECT count(*) FROM "Proposal" p JOIN r ON r.id = p."roundId" WHERE r."streetId" = s.id AND p.status = 'winner') AS winners,
        (SELECT count(*) FROM "Proposal" p JOIN r ON r.id = p."roundId" LEFT JOIN "Project" pr ON pr.id = p."projectId"
         WHERE r."streetId" = s.id AND p.status = 'winner' AND (p.progress >= 100 OR pr.status IN ('closed', 'evaluated'))) AS completed
      FROM "Street" s WHERE s.id IN (SELECT id FROM covered) ORDER BY s.name`,
  ]);
  const streetRows = streetVentures.filter((s) => Number(s.rounds) > 0);
  const ventureBy = new Map(ventures.map((v) => [v.id, ventureStats([v])]));
  const ticketsBy = new Map(tickets.map((t) => [t.id, t]));
  const months = monthsBetween(from, to, tz);
  const pendingBy = new Map(pendingHours.map((r) => [r.month, Number(r.hours)]));
  const approvedBy = new Map(approvedHours.map((r) => [r.month, Number(r.hours)]));
  const attendanceBy = new Map(attendance.map((r) => [r.month, { expected: Number(r.expected), attended: Number(r.attended) }]));
  const ratingRows = [1, 2, 3, 4, 5].map((rating) => ({ rating, count: Number(ratings.find((r) => Number(r.rating) === rating)?.count ?? 0) }));
  const ratingCount = ratingRows.reduce((a, r) => a + r.count, 0);
  const expected = attendance.reduce((a, r) => a + Number(r.expected), 0);
  const attended = attendance.reduce((a, r) => a + Number(r.attended), 0);
  return {
    months,
    needsByCategoryMonth: needs.map((r) => ({ month: r.month, category: r.category, count: Number(r.count) })),
    projectsByStatus: projects.map((p) => ({ status: p.status, count: p._count._all })),
    hoursByMonth: months.map((m) => ({ month: m, approved: round2(approvedBy.get(m) ?? 0), pending: round2(pendingBy.get(m) ?? 0) })),
    attendanceByMonth: months.map((m) => {
      const a = attendanceBy.get(m) ?? { expected: 0, attended: 0 };
      return { month: m, ...a, rate: a.expected ? a.attended / a.expected : null };
    }),
    ratings: ratingRows,
    perCommunity: perCommunity.map((c) => ({
      id: c.id,
      code: c.code,
      name: c.name,
      needs: Number(c.needs),
      openNeeds: Number(c.open_needs),
      projects: Number(c.projects),
      approvedHours: round2(Number(c.hours ?? 0)),
      tickets: ticketStats(ticketsBy.get(c.id) ? [ticketsBy.get(c.id)!] : []),
      ventures: ventureBy.get(c.id) ?? ventureStats([]),
    })),
    /** Streets' own rounds (a street's round covers its communities), when the whole street is in the report. */
    streetRounds: streetRows.map((s) => ({ id: s.id, name: s.name, ventures: ventureStats([s]) })),
    totals: {
      needs: needs.reduce((a, r) => a + Number(r.count), 0),
      projects: projects.reduce((a, p) => a + p._count._all, 0),
      approvedHours: round2(approvedHours.reduce((a, r) => a + Number(r.hours), 0)),
      pendingHours: round2(pendingHours.reduce((a, r) => a + Number(r.hours), 0)),
      expected,
      attended,
      attendanceRate: expected ? attended / expected : null,
      ratingCount,
      ratingAverage: ratingCount ? ratingRows.reduce((a, r) => a + r.rating * r.count, 0) / ratingCount : null,
      tickets: ticketStats(tickets),
      // The communities' rounds and the streets' (each street round once).
      ventures: ventureStats([...ventures, ...streetRows]),
    },
  };
}

/**
 * 微创投 in the period: rounds opened, the people who voted in them against the residents seen
 * in the communities' groups (turnout; null without residents), the money granted to winners
 * (yuan) and the winners' projects completed. Rolled up by adding the communities' figures.
 */
function ventureStats(rows: ReadonlyArray<{ rounds: bigint; voters: bigint; residents: bigint; granted_fen: bigint; winners: bigint; completed: bigint }>) {
  const sum = (f: (r: (typeof rows)[number]) => bigint) => rows.reduce((a, r) => a + Number(f(r)), 0);
  const voters = sum((r) => r.voters);
  const residents = sum((r) => r.residents);
  return {
    rounds: sum((r) => r.rounds),
    voters,
    residents,
    turnout: residents ? voters / residents : null,
    grantedYuan: sum((r) => r.granted_fen) / 100,
    winners: sum((r) => r.winners),
    completed: sum((r) => r.completed),
  };
}

/**
 * Tickets (转人工) opened in the period: how many, the share a worker answered (response rate)
 * and closed (resolution rate), the residents' average rating of the closed ones (satisfaction,
 * 1-5), and the average minutes to the first answer. Rates are null without tickets.
 */
function ticketStats(rows: ReadonlyArray<{ tickets: bigint; responded: bigint; closed: bigint; rated: bigint; rating_sum: bigint | null; response_seconds: number | null }>) {
  const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((a, r) => a + f(r), 0);
  const count = sum((r) => Number(r.tickets));
  const responded = sum((r) => Number(r.responded));
  const closed = sum((r) => Number(r.closed));
  const rated = sum((r) => Number(r.rated));
  const ratingSum = sum((r) => Number(r.rating_sum ?? 0));
  const seconds = sum((r) => Number(r.response_seconds ?? 0));
  return {
    count,
    responded,
    closed,
    rated,
    responseRate: count ? responded / count : null,
    resolutionRate: count ? closed / count : null,
    satisfaction: rated ? round2(ratingSum / rated) : null,
    avgResponseMinutes: responded ? round2(seconds / responded / 60) : null,
  };
}
export type ReportData = Awaited<ReturnType<typeof reportData>>;

function emptyTotals() {
  return { needs: 0, projects: 0, approvedHours: 0, pendingHours: 0, expected: 0, attended: 0, attendanceRate: null, ratingCount: 0, ratingAverage: null, tickets: ticketStats([]), ventures: ventureStats([]) };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** "2026-01" … for each month from `from` to `to` (exclusive) in the zone. */
export function monthsBetween(from: Date, to: Date, zone: string): string[] {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit' });
  const key = (d: Date) => {
    const parts = fmt.formatToParts(d);
    return `${parts.find((p) => p.type === 'year')?.value}-${parts.find((p) => p.type === 'month')?.value}`;
  };
  const out: string[] = [];
  const last = key(new Date(to.getTime() - 1));
  let [y, m] = key(from).split('-').map(Number) as [number, number];
  for (let guard = 0; guard < 240; guard++) {
    const k = `${y}-${String(m).padStart(2, '0')}`;
    out.push(k);
    if (k >= last) break;
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}
