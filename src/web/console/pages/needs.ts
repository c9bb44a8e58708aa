import { findNeeds } from '../../../core/needs/find-needs.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import type { Prisma } from '../../../db/prisma.ts';
import { needCategories, isNeedCategory } from '../../../core/needs/categories.ts';
import { mergeNeeds } from '../../../core/needs/merge-needs.ts';
import { changeNeedCategory } from '../../../core/needs/change-need-category.ts';
import { labelOf } from '../../../flows/messages.ts';
import { maskPersonalData } from '../../../lib/mask.ts';
import { AppError } from '../../../lib/errors.ts';
import { cleanText } from '../../../lib/clean-text.ts';
import { html, raw } from '../html.ts';
import { act, communityOf, field, fields, numbers, sendPage, signedIn, type ConsoleRuntime } from '../context.ts';
import { csrfField, empty, page, pill } from '../layout.ts';
import type { Key } from '../i18n.ts';

export const needStatuses = ['open', 'in_project', 'merged', 'resolved', 'rejected', 'referred'] as const;
type NeedStatus = (typeof needStatuses)[number];
export const needStatusKey: Record<NeedStatus, Key> = {
  open: 'needOpen',
  in_project: 'needInProject',
  merged: 'needMerged',
  resolved: 'needResolved',
  rejected: 'needRejected',
  referred: 'needReferred',
};

export interface NeedFilter {
  category: string;
  status: string;
  minSupport: number;
  from: string;
  to: string;
  q: string;
}

/** The board's filter from a query string; anything unknown falls back to the default. */
export function needFilter(query: unknown): NeedFilter {
  const q = (query ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof q[k] === 'string' ? cleanText(q[k] as string).trim() : '');
  const date = (k: string) => (/^\d{4}-\d{2}-\d{2}$/.test(str(k)) ? str(k) : '');
  const status = str('status');
  return {
    category: isNeedCategory(str('category')) ? str('category') : '',
    status: status === 'all' || (needStatuses as readonly string[]).includes(status) ? status : 'open',
    minSupport: /^\d{1,6}$/.test(str('min')) ? Number(str('min')) : 0,
    from: date('from'),
    to: date('to'),
    q: str('q').slice(0, 50),
  };
}

/** The Prisma filter of a board filter, always within the one community. */
export function needWhere(communityId: number, f: NeedFilter, zone: string): Prisma.NeedWhereInput {
  const from = f.from ? DateTime.fromISO(f.from, { zone }).startOf('day').toJSDate() : undefined;
  const to = f.to ? DateTime.fromISO(f.to, { zone }).plus({ days: 1 }).startOf('day').toJSDate() : undefined;
  return {
    communityId,
    ...(f.status === 'all' ? {} : { status: f.status as NeedStatus }),
    ...(f.category ? { category: f.category } : {}),
    ...(f.minSupport ? { supportCount: { gte: f.minSupport } } : {}),
    ...(from || to ? { createdAt: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } } : {}),
    ...(f.q ? { text: { contains: f.q, mode: 'insensitive' as const } } : {}),
  };
}

function filterQuery(f: NeedFilter): string {
  const p = new URLSearchParams();
  if (f.category) p.set('category', f.category);
  if (f.status !== 'open') p.set('status', f.status);
  if (f.minSupport) p.set('min', String(f.minSupport));
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (f.q) p.set('q', f.q);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Needs board: filter, merge duplicates, change category, turn needs into a project. */
export function needRoutes(c: FastifyInstance, rt: ConsoleRuntime): void {
  c.get('/needs', async (req, reply) => {
    const s = signedIn(req);
    const { t, locale } = s;
    const community = communityOf(req);
    const base = `/console/c/${community.code}`;
    const f = needFilter(req.query);
    const where = needWhere(community.id, f, community.timezone);
    const { needs, total } = await findNeeds(rt.ctx, { ...where, communityId: community.id }, { take: 200 });
    const flash = await rt.sessions.takeFlash(s.session);
    const back = `${base}/needs${filterQuery(f)}`;
    const opt = (value: string, label: string, current: string) => html`<option value="${value}"${value === current ? raw(' selected') : ''}>${label}</option>`;
    const content = html`<div class="page-head"><h1>${t('needsTitle')}</h1><span class="muted">${t('countOf', { shown: needs.length, total })}</span></div>
<form method="get" action="${base}/needs" class="card filters" data-testid="needs-filter">
  <label>${t('category')}<select name="category">${opt('', t('all'), f.category)}${needCategories.map((cat) => opt(cat, labelOf(cat, locale), f.category))}</select></label>
  <label>${t('status')}<select name="status">${opt('all', t('all'), f.status)}${needStatuses.map((st) => opt(st, t(needStatusKey[st]), f.status))}</select></label>
  <label>${t('minSupport')}<input type="number" name="min" min="0" max="999999" value="${f.minSupport || ''}" inputmode="numeric"></label>
  <label>${t('fromDate')}<input type="date" name="from" value="${f.from}"></label>
  <label>${t('toDate')}<input type="date" name="to" value="${f.to}"></label>
  <label>${t('search')}<input type="search" name="q" value="${f.q}" maxlength="50"></label>
  <div class="filter-actions"><button class="btn" type="submit">${t('filter')}</button><a class="btn ghost" href="${base}/needs">${t('reset')}</a></div>
</form>
<form method="post" action="${base}/needs/action" class="card" data-testid="needs-form">
  ${csrfField(req)}<input type="hidden" name="back" value="${back}">
  ${
    s.canWrite
      ? html`<div class="toolbar">
    <span class="muted small" data-selected-count>${t('selectHint')}</span>
    <button class="btn" name="do" value="merge" data-testid="merge-needs" data-confirm="${t('mergeConfirm')}">${t('mergeSelected')}</button>
    <button class="btn primary" name="do" value="project" data-testid="needs-to-project">${t('makeProject')}</button>
    <span class="group"><select name="category" aria-label="${t('category')}">${needCategories.map((cat) => opt(cat, labelOf(cat, locale), ''))}</select><button class="btn ghost" name="do" value="category">${t('setCategory')}</button></span>
  </div>`
      : ''
  }
  ${
    needs.length
      ? html`<div class="table-wrap"><table class="table responsive" data-testid="needs-table">
    <thead><tr>${s.canWrite ? html`<th><input type="checkbox" data-select-all aria-label="${t('selectAll')}"></th><th>${t('keep')}</th>` : ''}<th>#</th><th>${t('category')}</th><th>${t('needText')}</th><th>${t('support')}</th><th>${t('status')}</th><th>${t('raisedAt')}</th><th>${t('phone')}</th><th>${t('linked')}</th></tr></thead>
    <tbody>${needs.map(
      (n) => html`<tr data-testid="need-row" data-number="${n.number}">
      ${s.canWrite ? html`<td class="lead"><input type="checkbox" name="need" value="${n.number}" aria-label="#${n.number}" data-testid="need-check"></td><td class="lead keep" data-label="${t('keep')}"><input type="radio" name="into" value="${n.number}" aria-label="${t('keep')} #${n.number}" data-testid="need-keep"></td>` : ''}
      <td class="num lead">#${n.number}</td>
      <td class="lead"><span class="tag">${labelOf(n.category, locale)}</span>${n.categoryBy === 'worker' ? html`<span class="muted small" title="${t('categoryByWorker')}"> ✎</span>` : ''}</td>
      <td class="text" data-label="${t('needText')}" data-testid="need-text">${n.text}</td>
      <td class="num" data-label="${t('support')}">${n.supportCount}</td>
      <td data-label="${t('status')}">${pill(t(needStatusKey[n.status]), n.status)}</td>
      <td data-label="${t('raisedAt')}" class="nowrap">${DateTime.fromJSDate(n.createdAt, { zone: community.timezone }).toFormat('yyyy-MM-dd')}</td>
      <td data-label="${t('phone')}" class="nowrap">${n.contactPhone ? maskPersonalData(n.contactPhone) : ''}</td>
      <td data-label="${t('linked')}">${n.mergedInto ? html`→ #${n.mergedInto.number}` : ''}${n.projects.map((p) => html` <a href="${base}/projects/${p.project.number}">${t('project')} #${p.project.number}</a>`)}</td>
    </tr>`,
    )}</tbody></table></div>`
      : empty(t('noNeedsMatch'))
  }
</form>`;
    return sendPage(reply, page(req, { title: t('needsTitle'), content, active: 'needs', flash, wide: true }));
  });

  c.post('/needs/action', async (req, reply) => {
    const s = signedIn(req);
    const { t } = s;
    const community = communityOf(req);
    const base = `/console/c/${community.code}`;
    const back = backTo(req, `${base}/needs`);
    const selected = numbers(fields(req.body, 'need'));
    const what = field(req.body, 'do');
    if (what === 'project') {
      if (selected.length === 0) return act(req, reply, rt, back, async () => Promise.reject(new AppError('INVALID_INPUT', { field: 'need', why: t('selectSome') })));
      return reply.redirect(`${base}/projects/new?needs=${selected.join(',')}`, 303);
    }
    if (what === 'merge') {
      return act(req, reply, rt, back, async () => {
        if (selected.length < 2) throw new AppError('INVALID_INPUT', { field: 'need', why: t('selectTwo') });
        const chosen = numbers([field(req.body, 'into')])[0];
        const into = chosen && selected.includes(chosen) ? chosen : await mostSupported(rt, community.id, selected);
        const r = await mergeNeeds(rt.ctx, { communityId: community.id, into, from: selected.filter((n) => n !== into), actorId: s.user.personId, via: 'console' });
        return t('merged', { into: r.into.number, from: r.merged.map((n) => `#${n}`).join('、'), count: r.into.supportCount });
      });
    }
    if (what === 'category') {
      return act(req, reply, rt, back, async () => {
        if (selected.length === 0) throw new AppError('INVALID_INPUT', { field: 'need', why: t('selectSome') });
        const category = field(req.body, 'category');
        let changed = 0;
        for (const number of selected) {
          const r = await changeNeedCategory(rt.ctx, { communityId: community.id, number, category, actorId: s.user.personId, via: 'console' });
          if (r.changed) changed++;
        }
        return t('categoryChanged', { count: changed });
      });
    }
    return reply.redirect(back, 303);
  });
}

async function mostSupported(rt: ConsoleRuntime, communityId: number, selected: number[]): Promise<number> {
  const rows = await rt.ctx.prisma.need.findMany({
    where: { communityId, number: { in: selected } },
    orderBy: [{ supportCount: 'desc' }, { number: 'asc' }],
    select: { number: true, status: true },
  });
  return (rows.find((r) => r.status === 'open' || r.status === 'in_project') ?? rows[0])?.number ?? selected[0] ?? 0;
}

/** The `back` field when it stays inside this community's pages, else the fallback. */
export function backTo(req: FastifyRequest, fallback: string): string {
  const b = field(req.body, 'back');
  const prefix = fallback.split('/').slice(0, 4).join('/');
  return b.startsWith(`${prefix}/`) && !b.startsWith('//') ? b : fallback;
}
