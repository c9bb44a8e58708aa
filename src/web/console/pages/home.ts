import type { FastifyInstance } from 'fastify';
import { areasVisibleTo } from '../../../core/roles/communities-visible-to.ts';
import { labelOf } from '../../../flows/messages.ts';
import { formatShiftTime } from '../../../lib/time.ts';
import { html } from '../html.ts';
import { communityOf, sendPage, signedIn, type ConsoleRuntime } from '../context.ts';
import { empty, page } from '../layout.ts';
import { tryThis } from './try-this.ts';

/** Counts one community's front page shows: what waits for a worker. */
async function communityCounts(rt: ConsoleRuntime, communityIds: number[]) {
  const p = rt.ctx.prisma;
  const [openNeeds, projects, claims, hours] = await Promise.all([
    p.need.groupBy({ by: ['communityId'], where: { communityId: { in: communityIds }, status: 'open' }, _count: { _all: true } }),
    p.project.groupBy({ by: ['communityId'], where: { communityId: { in: communityIds }, status: { in: ['draft', 'review', 'published', 'in_progress'] } }, _count: { _all: true } }),
    p.claim.findMany({ where: { status: 'pending', project: { communityId: { in: communityIds } } }, select: { project: { select: { communityId: true } } } }),
    p.hoursEntry.findMany({ where: { status: 'pending', project: { communityId: { in: communityIds } } }, select: { project: { select: { communityId: true } } } }),
  ]);
  return (id: number) => ({
    openNeeds: openNeeds.find((x) => x.communityId === id)?._count._all ?? 0,
    activeProjects: projects.find((x) => x.communityId === id)?._count._all ?? 0,
    pendingClaims: claims.filter((c) => c.project.communityId === id).length,
    pendingHours: hours.filter((h) => h.project?.communityId === id).length,
  });
}

/** /console/: the communities (and streets, districts) this account may see. */
export function homeRoutes(app: FastifyInstance, rt: ConsoleRuntime): void {
  app.get('/', async (req, reply) => {
    const s = signedIn(req);
    const { t } = s;
    const areas = await areasVisibleTo(rt.ctx, s.user.personId);
    if (s.communities.length === 1 && areas.length === 0) return reply.redirect(`/console/c/${s.communities[0]?.code}`, 303);
    const counts = await communityCounts(rt, s.communities.map((c) => c.id));
    const flash = await rt.sessions.takeFlash(s.session);
    const content = html`<h1>${t('communitiesTitle')}</h1>
${await tryThis(rt, s)}
${
  s.communities.length === 0
    ? html`<div class="card"><p>${t('noCommunities')}</p>${s.user.isAdmin ? html`<p><a class="btn primary" href="/console/admin/users">${t('navUsers')}</a></p>` : ''}</div>`
    : ''
}
${
  areas.length
    ? html`<section class="card"><h2>${t('rollUps')}</h2><div class="chips">${areas.map(
        (a) => html`<a class="chip" href="/console/reports?area=${a.level}:${a.id}">${a.level === 'district' ? t('district') : t('street')} · ${a.name}</a>`,
      )}</div></section>`
    : ''
}
<div class="grid cards">${s.communities.map((c) => {
      const n = counts(c.id);
      return html`<a class="card community-card" href="/console/c/${c.code}" data-testid="community-card">
  <div class="card-title">${c.name}<span class="muted"> ${c.code}</span></div>
  <div class="muted small">${[c.districtName, c.streetName].filter(Boolean).join(' · ')}</div>
  <dl class="kpis small"><div><dt>${t('kpiOpenNeeds')}</dt><dd>${n.openNeeds}</dd></div><div><dt>${t('kpiActiveProjects')}</dt><dd>${n.activeProjects}</dd></div><div><dt>${t('kpiPendingClaims')}</dt><dd>${n.pendingClaims}</dd></div><div><dt>${t('kpiPendingHours')}</dt><dd>${n.pendingHours}</dd></div></dl>
</a>`;
    })}</div>`;
    return sendPage(reply, page(req, { title: t('communitiesTitle'), content, active: 'communities', flash }));
  });
}

/** /console/c/:code: one community at a glance. */
export function communityHomeRoutes(c: FastifyInstance, rt: ConsoleRuntime): void {
  c.get('/', async (req, reply) => {
    const s = signedIn(req);
    const { t, locale } = s;
    const community = communityOf(req);
    const base = `/console/c/${community.code}`;
    const n = (await communityCounts(rt, [community.id]))(community.id);
    const now = rt.ctx.clock.now();
    const [topNeeds, shifts] = await Promise.all([
      rt.ctx.prisma.need.findMany({
        where: { communityId: community.id, status: 'open' },
        orderBy: [{ supportCount: 'desc' }, { number: 'asc' }],
        take: 5,
        select: { number: true, text: true, category: true, supportCount: true },
      }),
      rt.ctx.prisma.shift.findMany({
        where: { status: 'scheduled', endsAt: { gte: now }, project: { communityId: community.id, status: { in: ['published', 'in_progress'] } } },
        orderBy: { startsAt: 'asc' },
        take: 6,
        include: { project: { select: { number: true, title: true } } },
      }),
    ]);
    const flash = await rt.sessions.takeFlash(s.session);
    const content = html`<h1>${community.name} <span class="muted">${community.code}</span></h1>
${await tryThis(rt, s, { code: community.code })}
<dl class="kpis big">
  <a href="${base}/needs"><dt>${t('kpiOpenNeeds')}</dt><dd>${n.openNeeds}</dd></a>
  <a href="${base}/projects"><dt>${t('kpiActiveProjects')}</dt><dd>${n.activeProjects}</dd></a>
  <a href="${base}/claims"><dt>${t('kpiPendingClaims')}</dt><dd>${n.pendingClaims}</dd></a>
  <a href="${base}/hours"><dt>${t('kpiPendingHours')}</dt><dd>${n.pendingHours}</dd></a>
</dl>
<div class="grid two">
  <section class="card"><h2>${t('topNeeds')}</h2>${
    topNeeds.length
      ? html`<ol class="list">${topNeeds.map(
          (x) => html`<li><span class="num">#${x.number}</span> <span class="tag">${labelOf(x.category, locale)}</span> <span class="text">${x.text}</span> <span class="count">${t('supporters', { count: x.supportCount })}</span></li>`,
        )}</ol>`
      : empty(t('noOpenNeeds'))
  }<p><a href="${base}/needs">${t('allNeeds')} →</a></p></section>
  <section class="card"><h2>${t('upcomingShifts')}</h2>${
    shifts.length
      ? html`<ol class="list">${shifts.map(
          (x) => html`<li><a href="${base}/projects/${x.project.number}">#${x.project.number} ${x.project.title}</a> · ${t('shift')} ${x.label}<br><span class="muted small">${formatShiftTime(x.startsAt, x.endsAt, community.timezone, locale)} · ${x.confirmedCount}/${x.capacity}</span></li>`,
        )}</ol>`
      : empty(t('noUpcomingShifts'))
  }<p><a href="${base}/projects">${t('allProjects')} →</a></p></section>
</div>`;
    return sendPage(reply, page(req, { title: community.name, content, active: 'home', flash }));
  });
}
