import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { AppError } from '../../../lib/errors.ts';
import { formatShiftTime } from '../../../lib/time.ts';
import { needCategories } from '../../../core/needs/categories.ts';
import { areasVisibleTo, communitiesOfArea, type Area } from '../../../core/roles/communities-visible-to.ts';
import { reportData } from '../../../core/reports/report-data.ts';
import { evaluateProject, type ProjectEvaluation } from '../../../core/evaluation/evaluate-project.ts';
import { maxFeedbackSummaryChars, setFeedbackSummary } from '../../../core/evaluation/set-feedback-summary.ts';
import { summariseFeedback } from '../../../core/evaluation/summarise-feedback.ts';
import { isAppError } from '../../../lib/errors.ts';
import { inTraditional, labelOf } from '../../../flows/messages.ts';
import { html, jsonScript, raw } from '../html.ts';
import { act, communityOf, field, sendPage, signedIn, stateOf, type ConsoleRuntime } from '../context.ts';
import { csrfField, empty, page, pill } from '../layout.ts';
import { projectStatusKey } from './projects.ts';

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 1000) / 10}%`);
/** An average rating out of 5, one decimal: `4.0 / 5`. */
const stars = (x: number | null) => (x === null ? '—' : `${x.toFixed(1)} / 5`);

function parseArea(q: unknown): { level: Area['level']; id: number } | null {
  if (typeof q !== 'string') return null;
  const m = /^(community|street|district):(\d{1,9})$/.exec(q);
  return m ? { level: m[1] as Area['level'], id: Number(m[2]) } : null;
}

/** Reports with charts (ECharts, served locally), for a community or rolled up for a street or district. */
export function reportRoutes(app: FastifyInstance, rt: ConsoleRuntime): void {
  app.get('/reports', async (req, reply) => {
    const s = signedIn(req);
    const { t, locale } = s;
    const q = req.query as Record<string, unknown>;
    const areas = await areasVisibleTo(rt.ctx, s.user.personId);
    const first = areas[0] ?? (s.communities[0] ? { level: 'community' as const, id: s.communities[0].id } : null);
    const area = parseArea(q.area) ?? first;
    if (!area) {
      return sendPage(reply, page(req, { title: t('reportsTitle'), active: 'reports', content: html`<h1>${t('reportsTitle')}</h1>${empty(t('noCommunities'))}` }));
    }
    // The core decides which communities are inside the area and visible to this account (404 otherwise).
    const communities = await communitiesOfArea(rt.ctx, s.user.personId, area);
    if (area.level === 'community') stateOf(req).community = communities[0];
    const months = typeof q.months === 'string' && /^(3|6|12|24)$/.test(q.months) ? Number(q.months) : 12;
    const zone = communities[0]?.timezone ?? 'Asia/Shanghai';
    const now = DateTime.fromJSDate(rt.ctx.clock.now(), { zone });
    const to = now.plus({ months: 1 }).startOf('month');
    const from = to.minus({ months });
    const data = await reportData(rt.ctx, { communityIds: communities.map((c) => c.id), from: from.toJSDate(), to: to.toJSDate(), timezone: zone });
    const areaName =
      area.level === 'community'
        ? (communities[0]?.name ?? '')
        : (areas.find((a) => a.level === area.level && a.id === area.id)?.name ?? '');
    const options = [
      ...areas.map((a) => ({ value: `${a.level}:${a.id}`, label: `${a.level === 'district' ? t('district') : t('street')} · ${a.name}` })),
      ...s.communities.map((c) => ({ value: `community:${c.id}`, label: `${t('community')} · ${c.name}` })),
    ];
    const current = `${area.level}:${area.id}`;
    const categories = Object.fromEntries(needCategories.map((c) => [c, labelOf(c, locale)]));
    const statusLabels = Object.fromEntries(Object.entries(projectStatusKey).map(([k, v]) => [k, t(v)]));
    const chartData = {
      labels: { approved: t('hsApproved'), pending: t('hsPending'), rate: t('attendanceRate'), expected: t('expected'), attended: t('attended'), count: t('countLabel'), needs: t('navNeeds'), hours: t('hoursCol'), stars: t('starsN') },
      categories,
      statusLabels,
      ...data,
    };
    const totals = data.totals;
    const content = html`<div class="page-head"><h1>${t('reportsTitle')} · ${areaName}</h1><button type="button" class="btn ghost" data-print>${t('print')}</button></div>
<form method="get" action="/console/reports" class="card filters no-print">
  <label>${t('area')}<select name="area" data-autosubmit>${options.map((o) => html`<option value="${o.value}"${o.value === current ? raw(' selected') : ''}>${o.label}</option>`)}</select></label>
  <label>${t('period')}<select name="months" data-autosubmit>${[3, 6, 12, 24].map((m) => html`<option value="${m}"${m === months ? raw(' selected') : ''}>${t('lastMonths', { months: m })}</option>`)}</select></label>
  <noscript><button class="btn">${t('filter')}</button></noscript>
</form>
<dl class="kpis big">
  <div><dt>${t('kpiNeeds')}</dt><dd data-testid="kpi-needs">${totals.needs}</dd></div>
  <div><dt>${t('kpiProjects')}</dt><dd>${totals.projects}</dd></div>
  <div><dt>${t('kpiHours')}</dt><dd>${totals.approvedHours}</dd></div>
  <div><dt>${t('attendanceRate')}</dt><dd>${pct(totals.attendanceRate)}</dd></div>
  <div><dt>${t('avgRating')}</dt><dd>${totals.ratingAverage === null ? '—' : totals.ratingAverage.toFixed(1)}</dd></div>
  <div><dt>${t('responseRate')}</dt><dd data-testid="kpi-response-rate">${pct(totals.tickets.responseRate)}</dd></div>
  <div><dt>${t('resolutionRate')}</dt><dd data-testid="kpi-resolution-rate">${pct(totals.tickets.resolutionRate)}</dd></div>
  <div><dt>${t('satisfaction')}</dt><dd data-testid="kpi-satisfaction">${stars(totals.tickets.satisfaction)}</dd></div>
</dl>
<dl class="kpis" data-testid="venture-kpis">
  <div><dt>${t('kpiRounds')}</dt><dd data-testid="kpi-rounds">${totals.ventures.rounds}</dd></div>
  <div><dt>${t('kpiTurnout')}</dt><dd data-testid="kpi-turnout">${pct(totals.ventures.turnout)} <span class="muted small">${t('turnoutOf', { voters: totals.ventures.voters, residents: totals.ventures.residents })}</span></dd></div>
  <div><dt>${t('kpiGranted')}</dt><dd data-testid="kpi-granted">${totals.ventures.grantedYuan}</dd></div>
  <div><dt>${t('kpiVentureDone')}</dt><dd data-testid="kpi-venture-done">${totals.ventures.completed} / ${totals.ventures.winners}</dd></div>
</dl>
<section class="card"><h2>${t('ticketsTitle')}</h2><p class="muted">${t('ticketsNote')}</p><div class="table-wrap"><table class="table" data-testid="tickets-table"><thead><tr><th>${t('community')}</th><th>${t('ticketsCount')}</th><th>${t('responseRate')}</th><th>${t('resolutionRate')}</th><th>${t('satisfaction')}</th><th>${t('avgResponseMinutes')}</th></tr></thead><tbody>${[
  ...data.perCommunity.map((c) => ({ name: c.name, href: `/console/reports?area=community:${c.id}`, x: c.tickets })),
  ...(data.perCommunity.length > 1 ? [{ name: areaName, href: '', x: totals.tickets }] : []),
].map(
  (r) =>
    html`<tr${r.href ? '' : raw(' class="total"')}><td>${r.href ? html`<a href="${r.href}">${r.name}</a>` : html`<strong>${r.name}</strong>`}</td><td class="num">${r.x.count}</td><td class="num">${pct(r.x.responseRate)}</td><td class="num">${pct(r.x.resolutionRate)}</td><td class="num">${stars(r.x.satisfaction)}</td><td class="num">${r.x.avgResponseMinutes ?? '—'}</td></tr>`,
)}</tbody></table></div></section>
${jsonScript('report-data', chartData)}
<div class="grid two charts">
  <section class="card"><h2>${t('chartNeeds')}</h2><div class="chart" data-chart="needs"></div>
    <details><summary>${t('dataTable')}</summary><div class="table-wrap"><table class="table compact"><thead><tr><th>${t('month')}</th><th>${t('category')}</th><th>${t('countLabel')}</th></tr></thead><tbody>${data.needsByCategoryMonth.map(
      (r) => html`<tr><td>${r.month}</td><td>${labelOf(r.category, locale)}</td><td class="num">${r.count}</td></tr>`,
    )}</tbody></table></div></details></section>
  <section class="card"><h2>${t('chartProjects')}</h2><div class="chart" data-chart="projects"></div>
    <details><summary>${t('dataTable')}</summary><table class="table compact"><tbody>${data.projectsByStatus.map(
      (r) => html`<tr><td>${statusLabels[r.status] ?? r.status}</td><td class="num">${r.count}</td></tr>`,
    )}</tbody></table></details></section>
  <section class="card"><h2>${t('chartHours')}</h2><div class="chart" data-chart="hours"></div>
    <details><summary>${t('dataTable')}</summary><table class="table compact"><thead><tr><th>${t('month')}</th><th>${t('hsApproved')}</th><th>${t('hsPending')}</th></tr></thead><tbody>${data.hoursByMonth.map(
      (r) => html`<tr><td>${r.month}</td><td class="num">${r.approved}</td><td class="num">${r.pending}</td></tr>`,
    )}</tbody></table></details></section>
  <section class="card"><h2>${t('chartAttendance')}</h2><div class="chart" data-chart="attendance"></div>
    <details><summary>${t('dataTable')}</summary><table class="table compact"><thead><tr><th>${t('month')}</th><th>${t('expected')}</th><th>${t('attended')}</th><th>${t('attendanceRate')}</th></tr></thead><tbody>${data.attendanceByMonth.map(
      (r) => html`<tr><td>${r.month}</td><td class="num">${r.expected}</td><td class="num">${r.attended}</td><td class="num">${pct(r.rate)}</td></tr>`,
    )}</tbody></table></details></section>
  <section class="card"><h2>${t('chartRatings')}</h2><div class="chart" data-chart="ratings"></div>
    <details><summary>${t('dataTable')}</summary><table class="table compact"><tbody>${data.ratings.map(
      (r) => html`<tr><td>${'★'.repeat(r.rating)}</td><td class="num">${r.count}</td></tr>`,
    )}</tbody></table></details></section>
  ${
    data.perCommunity.length > 1
      ? html`<section class="card"><h2>${t('chartCommunities')}</h2><div class="chart" data-chart="communities"></div></section>`
      : ''
  }
</div>
${
  data.perCommunity.length > 1
    ? html`<section class="card"><h2>${t('byCommunity')}</h2><div class="table-wrap"><table class="table" data-testid="rollup-table"><thead><tr><th>${t('community')}</th><th>${t('kpiNeeds')}</th><th>${t('kpiOpenNeeds')}</th><th>${t('kpiProjects')}</th><th>${t('kpiHours')}</th><th>${t('kpiRounds')}</th><th>${t('kpiTurnout')}</th><th>${t('kpiGranted')}</th><th>${t('kpiVentureDone')}</th></tr></thead><tbody>${data.perCommunity.map(
        (c) => html`<tr data-testid="rollup-row" data-code="${c.code}"><td><a href="/console/reports?area=community:${c.id}">${c.name}</a></td><td class="num">${c.needs}</td><td class="num">${c.openNeeds}</td><td class="num">${c.projects}</td><td class="num">${c.approvedHours}</td><td class="num">${c.ventures.rounds}</td><td class="num">${pct(c.ventures.turnout)}</td><td class="num">${c.ventures.grantedYuan}</td><td class="num">${c.ventures.completed}</td></tr>`,
      )}</tbody></table></div></section>`
    : ''
}`;
    return sendPage(
      reply,
      page(req, { title: t('reportsTitle'), content, active: 'reports', wide: true, scripts: ['/console/assets/echarts.min.js', '/console/assets/reports.js'] }),
    );
  });
}

function projectNumber(req: FastifyRequest): number {
  const n = Number((req.params as { number?: string }).number);
  if (!Number.isInteger(n) || n < 1 || n > 2_147_483_647) throw new AppError('PROJECT_NOT_FOUND', { number: 0 });
  return n;
}

/** A project's evaluation (总结评估) as a page to print or save as PDF. */
export function evaluationRoutes(c: FastifyInstance, rt: ConsoleRuntime): void {
  c.get('/projects/:number/evaluation', async (req, reply) => {
    const s = signedIn(req);
    const { t, locale } = s;
    const community = communityOf(req);
    const number = projectNumber(req);
    const e = await evaluateProject(rt.ctx, { communityId: community.id, number });
    const project = await rt.ctx.prisma.project.findUniqueOrThrow({
      where: { communityId_number: { communityId: community.id, number } },
      include: {
        needs: { include: { need: { select: { number: true, text: true, supportCount: true } } } },
        shifts: { where: { status: 'scheduled' }, orderBy: { startsAt: 'asc' }, include: { _count: { select: { signUps: { where: { status: { in: ['confirmed', 'attended', 'no_show'] } } }, checkIns: true } } } },
        claims: { where: { status: 'approved' }, include: { organization: { select: { name: true } } } },
      },
    });
    const fmt = (d: Date | null) => (d ? DateTime.fromJSDate(d, { zone: community.timezone }).toFormat('yyyy-MM-dd') : '—');
    const draft = await summaryDraft(req, rt, e);
    const flash = await rt.sessions.takeFlash(s.session);
    const content = html`<article class="evaluation" data-testid="evaluation">
<div class="no-print actions-bar"><a class="btn ghost" href="/console/c/${community.code}/projects/${number}">← ${t('back')}</a><button type="button" class="btn primary" data-print>${t('print')}</button></div>
<header class="eval-head"><p class="muted">${community.name} · ${t('evaluationTitle')}</p><h1>#${e.number} ${e.title}</h1>
<p>${pill(t(projectStatusKey[e.status]), e.status)} ${project.category ? html`<span class="tag">${labelOf(project.category, locale)}</span>` : ''} <span class="muted">${t('publishedAt')}: ${fmt(project.publishedAt)} · ${t('closedAt')}: ${fmt(project.closedAt)}</span></p></header>
<dl class="kpis big">
  <div><dt>${t('shiftCountLabel')}</dt><dd>${e.shifts}</dd></div>
  <div><dt>${t('signUpsLabel')}</dt><dd>${e.signUps}</dd></div>
  <div><dt>${t('attended')}</dt><dd>${e.attended}</dd></div>
  <div><dt>${t('attendanceRate')}</dt><dd>${pct(e.attendanceRate)}</dd></div>
  <div><dt>${t('kpiHours')}</dt><dd>${e.approvedHours}</dd></div>
  <div><dt>${t('peopleServed')}</dt><dd>${e.peopleServed ?? '—'}</dd></div>
  <div><dt>${t('avgRating')}</dt><dd>${e.rating.average === null ? '—' : `${e.rating.average.toFixed(1)} (${e.rating.count})`}</dd></div>
</dl>
<section><h2>${t('description')}</h2><p class="prewrap">${project.description || '—'}</p></section>
${project.needs.length ? html`<section><h2>${t('fromNeeds')}</h2><ul>${project.needs.map((n) => html`<li>#${n.need.number} ${n.need.text}（${t('supporters', { count: n.need.supportCount })}）</li>`)}</ul></section>` : ''}
${project.claims.length ? html`<section><h2>${t('claimedBy')}</h2><p>${project.claims.map((c, i) => html`${i ? '、' : ''}${c.organization.name}`)}</p></section>` : ''}
<section><h2>${t('shifts')}</h2><table class="table compact"><thead><tr><th>${t('shift')}</th><th>${t('time')}</th><th>${t('place')}</th><th>${t('capacity')}</th><th>${t('signUpsLabel')}</th><th>${t('checkedIn')}</th></tr></thead><tbody>${project.shifts.map(
      (sh) => html`<tr><td>${sh.label}</td><td>${formatShiftTime(sh.startsAt, sh.endsAt, community.timezone, locale)}</td><td>${sh.place}</td><td class="num">${sh.capacity}</td><td class="num">${sh._count.signUps}</td><td class="num">${sh._count.checkIns}</td></tr>`,
    )}</tbody></table></section>
<section><h2>${t('comments')}</h2>${e.comments.length ? html`<ul class="comments">${e.comments.map((c) => html`<li><span class="stars">${'★'.repeat(c.rating)}</span> ${c.text}</li>`)}</ul>` : html`<p class="muted">—</p>`}</section>
<section data-testid="feedback-summary"><h2>${t('feedbackSummary')}</h2>${e.feedbackSummary ? html`<p class="prewrap" data-testid="feedback-summary-text">${e.feedbackSummary}</p>` : html`<p class="muted">—</p>`}
${
  s.canWrite
    ? html`<form method="post" action="/console/c/${community.code}/projects/${number}/evaluation/summary" class="form no-print" data-testid="feedback-summary-form">${csrfField(req)}
  ${draft ? html`<div class="flash info" data-testid="llm-summary-draft">${t('llmSummaryNote')}</div>` : html`<p class="muted small">${t('feedbackSummaryHint')}</p>`}
  <label>${t('feedbackSummary')}<textarea name="summary" rows="4" maxlength="${maxFeedbackSummaryChars}">${e.feedbackSummary ?? draft ?? ''}</textarea></label>
  <div class="form-actions"><button class="btn" type="submit">${t('save')}</button></div>
</form>`
    : ''
}</section>
<footer class="muted small">${t('printedAt', { at: DateTime.fromJSDate(rt.ctx.clock.now(), { zone: community.timezone }).toFormat('yyyy-MM-dd HH:mm'), who: s.user.name })}</footer>
</article>`;
    return sendPage(reply, page(req, { title: `${t('evaluationTitle')} #${e.number}`, content, active: 'projects', flash }));
  });

  c.post('/projects/:number/evaluation/summary', async (req, reply) => {
    const s = signedIn(req);
    const community = communityOf(req);
    const number = projectNumber(req);
    return act(req, reply, rt, `/console/c/${community.code}/projects/${number}/evaluation`, async () => {
      await setFeedbackSummary(rt.ctx, { communityId: community.id, number, text: field(req.body, 'summary'), actorId: s.user.personId, via: 'console' });
      return s.t('saved');
    });
  });
}

/**
 * The LLM's draft of the feedback summary, for a worker who has not saved one yet: prefilled in the
 * form for them to edit, never shown in the evaluation itself. Null without an LLM, for an account
 * that may not write (it spends nothing), without comments, or with no valid answer in time. The
 * comments are masked before they leave (LlmClient); no name is sent.
 */
async function summaryDraft(req: FastifyRequest, rt: ConsoleRuntime, e: ProjectEvaluation): Promise<string | null> {
  const s = signedIn(req);
  if (!rt.llm || !s.canWrite || e.feedbackSummary || e.comments.length === 0) return null;
  return summariseFeedback(rt.ctx, rt.llm, {
    communityId: communityOf(req).id,
    number: e.number,
    actorId: s.user.personId,
    locale: s.locale === 'en' ? 'en' : 'zh-Hans',
  }).then(
    (draft) => (draft && s.locale === 'zh-Hant' ? inTraditional(draft) : draft),
    (err: unknown) => {
      if (isAppError(err)) return null;
      throw err;
    },
  );
}
