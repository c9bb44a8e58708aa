import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { AppError, isAppError } from '../../../lib/errors.ts';
import { maskPersonalData } from '../../../lib/mask.ts';
import { cleanText } from '../../../lib/clean-text.ts';
import { parseId } from '../../../lib/id-schema.ts';
import { formatShiftTime, parseLocal, parseShiftEnd, resolveShiftTimes, type ShiftTimeProblem } from '../../../lib/time.ts';
import { needCategories, isNeedCategory } from '../../../core/needs/categories.ts';
import { changeProjectStatus, transitions } from '../../../core/projects/change-status.ts';
import { editProject } from '../../../core/projects/edit-project.ts';
import { addShift } from '../../../core/projects/add-shift.ts';
import { findProject } from '../../../core/projects/find-project.ts';
import { broadcastProgress, cancelBroadcast } from '../../../core/broadcasts/create-broadcast.ts';
import { markAttendance } from '../../../core/checkins/check-in.ts';
import { setPeopleServed } from '../../../core/evaluation/set-people-served.ts';
import { createProject } from '../../../core/projects/create-project.ts';
import { draftProjectFromNeeds, type ProjectDraft } from '../../../core/projects/draft-project-from-needs.ts';
import { publishProject } from '../../../core/projects/publish-project.ts';
import { closeProject } from '../../../core/evaluation/close-project.ts';
import { announceProject, askForFeedback, projectAnnouncement } from '../../../notices/announce.ts';
import { isLocale, labelOf } from '../../../flows/messages.ts';
import { projectDetail } from '../../api/views.ts';
import { html, raw, type SafeHtml } from '../html.ts';
import { act, communityOf, failureText, field, fields, numbers, sendPage, signedIn, type ConsoleRuntime } from '../context.ts';
import { csrfField, empty, page, pill, postButton } from '../layout.ts';
import type { Key } from '../i18n.ts';
import { claimRows } from './claims.ts';
import { backTo } from './needs.ts';

const projectStatuses = ['draft', 'review', 'published', 'in_progress', 'closed', 'evaluated', 'declined'] as const;
type ProjectStatus = (typeof projectStatuses)[number];
export const projectStatusKey: Record<ProjectStatus, Key> = {
  draft: 'psDraft',
  review: 'psReview',
  published: 'psPublished',
  in_progress: 'psInProgress',
  closed: 'psClosed',
  evaluated: 'psEvaluated',
  declined: 'psDeclined',
};
const claimTypeKey = { volunteers: 'ctVolunteers', organization: 'ctOrganization', both: 'ctBoth' } as const satisfies Record<string, Key>;
const signUpKey = { confirmed: 'suConfirmed', waitlisted: 'suWaitlisted', cancelled: 'suCancelled', attended: 'suAttended', no_show: 'suNoShow' } as const satisfies Record<string, Key>;
const deliveryKey = { pending: 'dlPending', sent: 'dlSent', failed: 'dlFailed', cancelled: 'dlCancelled' } as const satisfies Record<string, Key>;
const broadcastKey = { scheduled: 'bcScheduled', running: 'bcRunning', done: 'bcDone', cancelled: 'bcCancelled' } as const satisfies Record<string, Key>;

function projectNumber(req: FastifyRequest): number {
  const n = Number((req.params as { number?: string }).number);
  if (!Number.isInteger(n) || n < 1 || n > 2_147_483_647) throw new AppError('PROJECT_NOT_FOUND', { number: 0 });
  return n;
}

/** "2026-12-05" + "09:00" (or a datetime-local "2026-12-05T09:00") in the community's zone. */
function localTime(date: string, time: string, zone: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{1,2}:\d{2}$/.test(time)) return null;
  return parseLocal(`${date} ${time.padStart(5, '0')}`, zone);
}

interface ShiftForm {
  date: string;
  start: string;
  end: string;
  capacity: string;
  place: string;
}

/** The shift rows of a form: parallel repeated fields, blank rows dropped. */
function shiftRows(body: unknown): ShiftForm[] {
  const get = (k: string) => {
    const v = (body as Record<string, unknown> | undefined)?.[k];
    return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((x) => (typeof x === 'string' ? cleanText(x).trim() : ''));
  };
  const dates = get('shift_date');
  const starts = get('shift_start');
  const ends = get('shift_end');
  const caps = get('shift_capacity');
  const places = get('shift_place');
  const rows: ShiftForm[] = [];
  for (let i = 0; i < Math.min(50, Math.max(dates.length, starts.length)); i++) {
    const r = { date: dates[i] ?? '', start: starts[i] ?? '', end: ends[i] ?? '', capacity: caps[i] ?? '', place: places[i] ?? '' };
    if (r.date || r.start || r.end || r.place) rows.push(r);
  }
  return rows;
}

/** What the shared shift rule refuses, in the console's words. */
const shiftProblemKey = {
  format: 'shiftTimeBad',
  start: 'shiftTimeBad',
  end: 'shiftTimeBad',
  endNotAfterStart: 'shiftEndAtStart',
  endBeforeStart: 'shiftEndBeforeStart',
  tooLong: 'shiftTooLong',
} as const satisfies Record<ShiftTimeProblem, Key>;

/**
 * A shift row of a form: the date, the start and end times (an end earlier than the start is on
 * the next day: 22:00 to 06:00 is overnight), by the rule every entry point shares (resolveShiftTimes).
 */
function parseShift(r: ShiftForm, zone: string, t: (k: Key, p?: Record<string, string | number>) => string) {
  const start = localTime(r.date, r.start, zone);
  const end = parseShiftEnd(r.end, zone);
  const times = start && end ? resolveShiftTimes(start, end, zone) : ({ ok: false, problem: 'format' } as const);
  if (!times.ok) throw new AppError('INVALID_INPUT', { field: 'shift', why: t(shiftProblemKey[times.problem]) });
  const capacity = Number(r.capacity);
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 100_000) throw new AppError('INVALID_INPUT', { field: 'shift', why: t('shiftCapacityBad') });
  return { startsAt: times.start, endsAt: times.end, capacity, place: r.place.slice(0, 200) };
}

function shiftInputs(req: FastifyRequest, r: Partial<ShiftForm> = {}): SafeHtml {
  const { t } = signedIn(req);
  return html`<div class="shift-row" data-shift-row>
  <label>${t('date')}<input type="date" name="shift_date" value="${r.date ?? ''}"></label>
  <label>${t('startTime')}<input type="time" name="shift_start" value="${r.start ?? ''}"></label>
  <label>${t('endTime')}<input type="time" name="shift_end" value="${r.end ?? ''}"></label>
  <label>${t('capacity')}<input type="number" name="shift_capacity" min="1" max="100000" value="${r.capacity ?? ''}" inputmode="numeric"></label>
  <label class="grow">${t('place')}<input name="shift_place" maxlength="200" value="${r.place ?? ''}"></label>
</div>`;
}

function categorySelect(req: FastifyRequest, name: string, current: string | null, allowNone = true): SafeHtml {
  const { t, locale } = signedIn(req);
  return html`<select name="${name}">${allowNone ? html`<option value="">${t('none')}</option>` : ''}${needCategories.map(
    (c) => html`<option value="${c}"${c === current ? raw(' selected') : ''}>${labelOf(c, locale)}</option>`,
  )}</select>`;
}

function claimSettings(req: FastifyRequest, claimType: string, multiple: boolean): SafeHtml {
  const { t } = signedIn(req);
  return html`<fieldset class="radios"><legend>${t('claimType')}</legend>${(['volunteers', 'organization', 'both'] as const).map(
    (k) => html`<label class="radio"><input type="radio" name="claimType" value="${k}"${claimType === k ? raw(' checked') : ''}> ${t(claimTypeKey[k])}</label>`,
  )}</fieldset>
<label class="check"><input type="checkbox" name="allowMultipleClaims" value="1"${multiple ? raw(' checked') : ''}> ${t('allowMultipleClaims')}</label>`;
}

interface NewProjectValues {
  title: string;
  description: string;
  category: string;
  needs: string;
  claimType: string;
  multiple: boolean;
  shifts: ShiftForm[];
}

/**
 * The LLM's draft of a project from these needs, when one is configured and the account may make
 * projects: only prefilled values the worker reviews; null (the plain prefill) on any failure.
 */
async function llmDraft(req: FastifyRequest, rt: ConsoleRuntime, needNumbers: number[]): Promise<ProjectDraft | null> {
  const s = signedIn(req);
  if (!rt.llm || !s.canWrite) return null;
  return draftProjectFromNeeds(rt.ctx, rt.llm, {
    communityId: communityOf(req).id,
    needNumbers,
    actorId: s.user.personId,
    locale: s.locale === 'en' ? 'en' : 'zh-Hans',
  }).catch((err: unknown) => {
    if (isAppError(err)) return null;
    throw err;
  });
}

async function newProjectPage(req: FastifyRequest, reply: FastifyReply, rt: ConsoleRuntime, v: NewProjectValues, error?: string, drafted = false) {
  const s = signedIn(req);
  const { t, locale } = s;
  const community = communityOf(req);
  const base = `/console/c/${community.code}`;
  const needNumbers = numbers([v.needs]);
  const needs = needNumbers.length
    ? await rt.ctx.prisma.need.findMany({ where: { communityId: community.id, number: { in: needNumbers } }, orderBy: { number: 'asc' }, select: { number: true, text: true, category: true, supportCount: true, status: true } })
    : [];
  const rows = v.shifts.length ? v.shifts : [{}, {}];
  const content = html`<div class="page-head"><h1>${t('newProject')}</h1><a href="${base}/projects">${t('back')}</a></div>
${error ? html`<div class="flash error" role="alert" data-testid="flash">${error}</div>` : ''}
${drafted ? html`<div class="flash info" data-testid="llm-draft">${t('llmDraftNote')}</div>` : ''}
<form method="post" action="${base}/projects" class="card form" data-testid="project-form">
  ${csrfField(req)}
  ${
    needs.length
      ? html`<section class="from-needs"><h2>${t('fromNeeds')}</h2><ul class="list">${needs.map(
          (n) => html`<li><span class="num">#${n.number}</span> <span class="tag">${labelOf(n.category, locale)}</span> ${n.text} <span class="count">${t('supporters', { count: n.supportCount })}</span></li>`,
        )}</ul></section>`
      : ''
  }
  <input type="hidden" name="needs" value="${needNumbers.join(',')}">
  <label>${t('projectTitle')}<input name="title" required maxlength="100" value="${v.title}" data-testid="project-title"></label>
  <label>${t('description')}<textarea name="description" maxlength="2000" rows="4">${v.description}</textarea></label>
  <label>${t('category')}${categorySelect(req, 'category', v.category || null)}</label>
  ${claimSettings(req, v.claimType, v.multiple)}
  <h2>${t('shifts')}</h2>
  <p class="muted small">${t('shiftsHint', { zone: community.timezone })}</p>
  <div data-shift-rows>${rows.map((r) => shiftInputs(req, r))}</div>
  <template data-shift-template>${shiftInputs(req)}</template>
  <p><button type="button" class="btn ghost" data-add-shift>${t('addShiftRow')}</button></p>
  <div class="form-actions"><button class="btn primary" type="submit" data-testid="project-create">${t('createProject')}</button></div>
</form>`;
  return sendPage(reply, page(req, { title: t('newProject'), content, active: 'projects' }), error ? 422 : 200);
}

/** Projects: list, new (from needs), detail with shifts, sign-ups, publishing, broadcasts, claims. */
export function projectRoutes(c: FastifyInstance, rt: ConsoleRuntime): void {
  c.get('/projects', async (req, reply) => {
    const s = signedIn(req);
    const { t, locale } = s;
    const community = communityOf(req);
    const base = `/console/c/${community.code}`;
    const q = (req.query as Record<string, unknown>).status;
    const status = typeof q === 'string' && (projectStatuses as readonly string[]).includes(q) ? (q as ProjectStatus) : null;
    const [rows, counts] = await Promise.all([
      rt.ctx.prisma.project.findMany({
        where: { communityId: community.id, ...(status ? { status } : {}) },
        orderBy: { number: 'desc' },
        take: 200,
        select: {
          number: true,
          title: true,
          status: true,
          category: true,
          claimType: true,
          createdAt: true,
          shifts: { where: { status: 'scheduled' }, select: { startsAt: true, capacity: true, confirmedCount: true }, orderBy: { startsAt: 'asc' } },
          _count: { select: { needs: true, claims: { where: { status: 'pending' } } } },
        },
      }),
      rt.ctx.prisma.project.groupBy({ by: ['status'], where: { communityId: community.id }, _count: { _all: true } }),
    ]);
    const flash = await rt.sessions.takeFlash(s.session);
    const countOf = (st: ProjectStatus) => counts.find((x) => x.status === st)?._count._all ?? 0;
    const content = html`<div class="page-head"><h1>${t('projectsTitle')}</h1>${s.canWrite ? html`<a class="btn primary" href="${base}/projects/new" data-testid="new-project">${t('newProject')}</a>` : ''}</div>
<nav class="tabs"><a href="${base}/projects" class="${status ? '' : 'on'}">${t('all')}</a>${projectStatuses.map(
      (st) => html`<a href="${base}/projects?status=${st}" class="${status === st ? 'on' : ''}">${t(projectStatusKey[st])} <span class="muted">${countOf(st)}</span></a>`,
    )}</nav>
${
  rows.length
    ? html`<div class="grid cards">${rows.map((p) => {
        const cap = p.shifts.reduce((a, x) => a + x.capacity, 0);
        const taken = p.shifts.reduce((a, x) => a + x.confirmedCount, 0);
        const first = p.shifts[0];
        return html`<a class="card project-card" href="${base}/projects/${p.number}" data-testid="project-card">
  <div class="card-title"><span class="num">#${p.number}</span> ${p.title}</div>
  <div class="meta">${pill(t(projectStatusKey[p.status]), p.status)}${p.category ? html`<span class="tag">${labelOf(p.category, locale)}</span>` : ''}<span class="tag ghost">${t(claimTypeKey[p.claimType])}</span></div>
  <div class="muted small">${t('shiftCount', { count: p.shifts.length })} · ${t('filled', { taken, cap })}${first ? html` · ${DateTime.fromJSDate(first.startsAt, { zone: community.timezone }).toFormat('MM-dd HH:mm')}` : ''}${p._count.claims ? html` · <strong>${t('pendingClaimsN', { count: p._count.claims })}</strong>` : ''}</div>
</a>`;
      })}</div>`
    : empty(t('noProjects'))
}`;
    return sendPage(reply, page(req, { title: t('projectsTitle'), content, active: 'projects', flash }));
  });

  c.get('/projects/new', async (req, reply) => {
    const community = communityOf(req);
    const q = (req.query as Record<string, unknown>).needs;
    const needNumbers = numbers([typeof q === 'string' ? q : '']);
    const needs = needNumbers.length
      ? await rt.ctx.prisma.need.findMany({ where: { communityId: community.id, number: { in: needNumbers } }, orderBy: [{ supportCount: 'desc' }, { number: 'asc' }], select: { text: true, category: true, number: true } })
      : [];
    const first = needs[0];
    const title = first ? Array.from(first.text.replace(/[，。！？,.!?].*$/s, '')).slice(0, 30).join('') : '';
    const draft = needs.length ? await llmDraft(req, rt, needNumbers) : null;
    return newProjectPage(
      req,
      reply,
      rt,
      {
        title: draft?.title ?? title,
        description: (draft?.description ?? needs.map((n) => `#${n.number} ${n.text}`).join('\n')).slice(0, 2000),
        category: draft?.category ?? first?.category ?? '',
        needs: needNumbers.join(','),
        claimType: 'volunteers',
        multiple: false,
        shifts: (draft?.shifts ?? []).map((x) => ({ ...x, capacity: String(x.capacity) })),
      },
      undefined,
      draft !== null,
    );
  });

  c.post('/projects', async (req, reply) => {
    const s = signedIn(req);
    const { t } = s;
    const community = communityOf(req);
    const base = `/console/c/${community.code}`;
    const claimType = field(req.body, 'claimType');
    const v: NewProjectValues = {
      title: field(req.body, 'title'),
      description: field(req.body, 'description'),
      category: field(req.body, 'category'),
      needs: field(req.body, 'needs'),
      claimType: claimType === 'organization' || claimType === 'both' ? claimType : 'volunteers',
      multiple: field(req.body, 'allowMultipleClaims') === '1',
      shifts: shiftRows(req.body),
    };
    try {
      if (!v.title) throw new AppError('INVALID_INPUT', { field: 'title', why: t('titleRequired') });
      const shifts = v.shifts.map((r) => parseShift(r, community.timezone, t));
      const { project, effects } = await createProject(rt.ctx, {
        communityId: community.id,
        title: v.title.slice(0, 100),
        description: v.description.slice(0, 2000),
        category: isNeedCategory(v.category) ? v.category : undefined,
        needs: numbers([v.needs]),
        claimType: v.claimType as 'volunteers',
        allowMultipleClaims: v.multiple,
        shifts,
        actorId: s.user.personId,
        via: 'console',
      });
      const done = await rt.effects.apply(effects);
      await rt.sessions.setFlash(s.session, { kind: 'ok', text: t('projectCreated', { number: project.number, notices: done.messages }) });
      return reply.redirect(`${base}/projects/${project.number}`, 303);
    } catch (err) {
      if (!isAppError(err)) throw err;
      return newProjectPage(req, reply, rt, v, failureText(req, err));
    }
  });

  c.get('/projects/:number', async (req, reply) => {
    const s = signedIn(req);
    const { t, locale } = s;
    const community = communityOf(req);
    const number = projectNumber(req);
    const base = `/console/c/${community.code}`;
    const here = `${base}/projects/${number}`;
    const p = await projectDetail(rt.ctx, community, number, locale);
    const project = await findProject(rt.ctx.prisma, community.id, number);
    const shiftIds = p.shifts.map((x) => x.id);
    const [signUps, groups, broadcasts, pendingHours] = await Promise.all([
      rt.ctx.prisma.signUp.findMany({
        where: { shiftId: { in: shiftIds }, status: { in: ['confirmed', 'attended', 'no_show'] } },
        orderBy: [{ shiftId: 'asc' }, { createdAt: 'asc' }],
        take: 2000,
        select: { id: true, shiftId: true, status: true, confirmedAt: true, person: { select: { displayName: true, phone: true } }, checkIn: { select: { checkedInAt: true, method: true } } },
      }),
      rt.ctx.prisma.group.findMany({ where: { communityId: community.id }, orderBy: { id: 'asc' }, take: 500, select: { id: true, title: true, externalId: true, platform: true } }),
      rt.ctx.prisma.broadcast.findMany({ where: { projectId: project.id, parentId: null }, orderBy: { id: 'desc' }, take: 5, select: { id: true } }),
      rt.ctx.prisma.hoursEntry.count({ where: { projectId: project.id, status: 'pending' } }),
    ]);
    const progress = await Promise.all(broadcasts.map((b) => broadcastProgress(rt.ctx, { communityId: community.id, broadcastId: b.id })));
    const residentsLocale = isLocale(community.locale) ? community.locale : 'zh-Hans';
    const preview = projectAnnouncement(project, { locale: residentsLocale, timezone: community.timezone });
    const flash = await rt.sessions.takeFlash(s.session);
    const w = s.canWrite;
    const status = p.status as ProjectStatus;
    const canPublish = w && ['draft', 'review', 'published', 'in_progress'].includes(status);
    const nextStatuses = (transitions[status] ?? []).filter((x) => x !== 'published' && x !== 'closed');
    const fmt = (d: Date | null) => (d ? DateTime.fromJSDate(d, { zone: community.timezone }).toFormat('yyyy-MM-dd HH:mm') : '');

    const content = html`<div class="page-head"><h1><span class="num">#${p.number}</span> <span data-testid="project-heading">${p.title}</span></h1>
  <div class="meta">${pill(t(projectStatusKey[status]), status)}${p.categoryLabel ? html`<span class="tag">${p.categoryLabel}</span>` : ''}<span class="tag ghost">${t(claimTypeKey[p.claimType])}</span></div></div>
<div class="actions-bar">
  <a class="btn ghost" href="${here}/checkin" data-testid="checkin-link">${t('checkinQr')}</a>
  <a class="btn ghost" href="${here}/evaluation">${t('evaluation')}</a>
  <a class="btn ghost" href="${base}/hours?project=${p.number}">${t('navHours')}${pendingHours ? html` <span class="badge">${pendingHours}</span>` : ''}</a>
  ${w ? nextStatuses.map((to) => postButton(req, `${here}/status`, t('moveTo', { status: t(projectStatusKey[to as ProjectStatus]) }), { cls: 'btn ghost', hidden: { to } })) : ''}
  ${w && (status === 'published' || status === 'in_progress' || status === 'closed') ? postButton(req, `${here}/close`, status === 'closed' ? t('settleAgain') : t('closeProject'), { cls: 'btn ghost', confirm: t('closeConfirm') }) : ''}
</div>

<div class="grid two">
<section class="card">
  <h2>${t('details')}</h2>
  ${
    w
      ? html`<form method="post" action="${here}/edit" class="form">${csrfField(req)}
    <label>${t('projectTitle')}<input name="title" required maxlength="100" value="${p.title}"></label>
    <label>${t('description')}<textarea name="description" rows="4" maxlength="2000">${p.description}</textarea></label>
    <label>${t('category')}${categorySelect(req, 'category', p.category)}</label>
    ${claimSettings(req, p.claimType, p.allowMultipleClaims)}
    <div class="form-actions"><button class="btn" type="submit">${t('save')}</button></div>
  </form>`
      : html`<p>${p.description}</p>`
  }
  ${
    p.needs.length
      ? html`<h3>${t('fromNeeds')}</h3><ul class="list">${p.needs.map((n) => html`<li><span class="num">#${n.number}</span> ${n.text} <span class="count">${t('supporters', { count: n.supportCount })}</span></li>`)}</ul>`
      : ''
  }
  <h3>${t('peopleServed')}</h3>
  ${
    w
      ? html`<form method="post" action="${here}/served" class="inline-form">${csrfField(req)}<input type="number" name="count" min="0" max="10000000" value="${p.peopleServed ?? ''}" inputmode="numeric" aria-label="${t('peopleServed')}"><button class="btn" type="submit">${t('save')}</button></form>`
      : html`<p>${p.peopleServed ?? '—'}</p>`
  }
</section>

<section class="card" id="publish">
  <h2>${t('announcementPreview')}</h2>
  <p class="muted small">${t('previewHint')}</p>
  <div class="chat-preview" data-testid="announcement-preview"><div class="bubble">${preview.text}</div>${
    preview.buttons.length ? html`<div class="chat-buttons">${preview.buttons.map((b) => html`<span class="chat-button">${b.label}</span>`)}</div>` : ''
  }</div>
  ${
    canPublish
      ? html`<form method="post" action="${here}/publish" class="form" data-testid="publish-form">${csrfField(req)}
    <fieldset class="checks"><legend>${t('publishTo')}</legend>${
      groups.length
        ? groups.map((g) => html`<label class="check"><input type="checkbox" name="group" value="${g.id}" checked> ${g.title || g.externalId} <span class="muted small">${g.platform}</span></label>`)
        : html`<p class="muted">${t('noGroups')}</p>`
    }</fieldset>
    <fieldset class="radios"><legend>${t('when')}</legend>
      <label class="radio"><input type="radio" name="mode" value="now" checked> ${t('publishNow')}</label>
      <label class="radio"><input type="radio" name="mode" value="at"> ${t('publishAt')} <input type="datetime-local" name="at" aria-label="${t('publishAt')}"></label>
    </fieldset>
    <div class="form-actions"><button class="btn primary" type="submit" data-testid="publish-submit"${groups.length ? '' : raw(' disabled')}>${t('publish')}</button></div>
  </form>`
      : ''
  }
</section>
</div>

<section class="card" id="broadcasts" data-refresh="4000" data-testid="broadcasts">
  <h2>${t('broadcasts')}</h2>
  ${
    progress.length
      ? progress.map(
          (b) => html`<div class="broadcast" data-testid="broadcast" data-status="${b.broadcast.status}">
    <div class="broadcast-head"><strong>${t('broadcastN', { id: b.broadcast.id })}</strong> ${pill(t(broadcastKey[b.broadcast.status]), b.broadcast.status)}
      <span class="muted small">${b.broadcast.sendAt ? t('sendAt', { at: fmt(b.broadcast.sendAt) }) : t('sentImmediately')} · ${t('deliveryCounts', { sent: b.counts.sent, total: b.total, failed: b.counts.failed })}</span>
      ${w && (b.broadcast.status === 'scheduled' || b.broadcast.status === 'running') ? postButton(req, `${base}/broadcasts/${b.broadcast.id}/cancel`, t('cancelBroadcast'), { cls: 'btn ghost small', hidden: { back: here }, confirm: t('cancelBroadcastConfirm') }) : ''}</div>
    <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="${b.total}" aria-valuenow="${b.counts.sent}"><span data-w="${b.total ? Math.round((b.counts.sent / b.total) * 100) : 0}"></span></div>
    ${
      b.deliveries.length
        ? html`<ul class="deliveries">${b.deliveries.map((d) => html`<li data-testid="delivery" data-status="${d.status}">${d.group.title || d.group.externalId} ${pill(t(deliveryKey[d.status]), d.status)}${d.error ? html` <span class="muted small">${d.error}</span>` : ''}</li>`)}</ul>`
        : ''
    }
  </div>`,
        )
      : empty(t('noBroadcasts'))
  }
</section>

<section class="card" id="shifts">
  <h2>${t('shiftsAndSignUps')}</h2>
  ${
    p.shifts.length
      ? p.shifts.map((sh) => {
          const people = signUps.filter((u) => u.shiftId === sh.id);
          return html`<div class="shift" data-testid="shift" data-label="${sh.label}">
    <div class="shift-head"><strong>${t('shift')} ${sh.label}</strong> <span>${sh.time}</span>${sh.place ? html` · <span>${sh.place}</span>` : ''} ${sh.status === 'cancelled' ? pill(t('shiftCancelled'), 'cancelled') : ''}
      <span class="muted small">${t('filled', { taken: sh.confirmed, cap: sh.capacity })} · ${t('waitlistN', { count: sh.signUps.waitlisted })}</span></div>
    ${
      people.length
        ? html`<div class="table-wrap"><table class="table compact"><thead><tr><th>${t('volunteer')}</th><th>${t('phone')}</th><th>${t('status')}</th><th>${t('checkedIn')}</th><th></th></tr></thead><tbody>${people.map(
            (u) => html`<tr data-testid="signup-row"><td>${u.person.displayName}</td><td class="nowrap">${u.person.phone ? maskPersonalData(u.person.phone) : ''}</td><td>${pill(t(signUpKey[u.status]), u.status)}${u.confirmedAt ? html` <span class="muted small">${t('confirmedReminder')}</span>` : ''}</td><td class="nowrap">${u.checkIn ? DateTime.fromJSDate(u.checkIn.checkedInAt, { zone: community.timezone }).toFormat('MM-dd HH:mm') : ''}</td><td>${
              w && !u.checkIn ? postButton(req, `${base}/signups/${u.id}/attend`, t('markPresent'), { cls: 'btn ghost small', hidden: { back: `${here}#shifts` } }) : ''
            }</td></tr>`,
          )}</tbody></table></div>`
        : html`<p class="muted small">${t('noSignUps')}</p>`
    }
    ${
      sh.waitlist.length
        ? html`<p class="small"><strong>${t('waitlist')}</strong> ${sh.waitlist.map((x, i) => html`${i ? '、' : ''}${x.position ?? i + 1}. ${x.name}`)}</p>`
        : ''
    }
  </div>`;
        })
      : empty(t('noShifts'))
  }
  ${
    w && !['closed', 'evaluated', 'declined'].includes(status)
      ? html`<form method="post" action="${here}/shifts" class="form add-shift">${csrfField(req)}<h3>${t('addShift')}</h3>${shiftInputs(req)}<div class="form-actions"><button class="btn" type="submit">${t('addShift')}</button></div></form>`
      : ''
  }
</section>

<section class="card" id="claims">
  <h2>${t('claimsTitle')}</h2>
  ${claimRows(req, community, p.claims.map((x) => ({ ...x, project: { number: p.number, title: p.title } })), `${here}#claims`, false)}
</section>`;
    return sendPage(reply, page(req, { title: `#${p.number} ${p.title}`, content, active: 'projects', flash, wide: true }));
  });

  c.post('/projects/:number/edit', async (req, reply) => {
    const s = signedIn(req);
    const community = communityOf(req);
    const number = projectNumber(req);
    const here = `/console/c/${community.code}/projects/${number}`;
    return act(req, reply, rt, here, async () => {
      const category = field(req.body, 'category');
      const claimType = field(req.body, 'claimType');
      const r = await editProject(rt.ctx, {
        communityId: community.id,
        number,
        title: field(req.body, 'title').slice(0, 100),
        description: field(req.body, 'description').slice(0, 2000),
        category: isNeedCategory(category) ? category : null,
        claimType: claimType === 'organization' || claimType === 'both' || claimType === 'volunteers' ? claimType : undefined,
        allowMultipleClaims: field(req.body, 'allowMultipleClaims') === '1',
        actorId: s.user.personId,
        via: 'console',
      });
      return r.changed ? s.t('saved') : s.t('nothingChanged');
    });
  });

  c.post('/projects/:number/status', async (req, reply) => {
    const s = signedIn(req);
    const community = communityOf(req);
    const number = projectNumber(req);
    const here = `/console/c/${community.code}/projects/${number}`;
    return act(req, reply, rt, here, async () => {
      const to = field(req.body, 'to');
      if (!(projectStatuses as readonly string[]).includes(to) || to === 'published' || to === 'closed') throw new AppError('INVALID_INPUT', { field: 'to', why: to.slice(0, 20) });
      await changeProjectStatus(rt.ctx, { communityId: community.id, number, to: to as ProjectStatus, actorId: s.user.personId, via: 'console' });
      return s.t('statusChanged', { status: s.t(projectStatusKey[to as ProjectStatus]) });
    });
  });

  c.post('/projects/:number/close', async (req, reply) => {
    const s = signedIn(req);
    const community = communityOf(req);
    const number = projectNumber(req);
    const here = `/console/c/${community.code}/projects/${number}`;
    return act(req, reply, rt, here, async () => {
      const r = await closeProject(rt.ctx, { communityId: community.id, number, actorId: s.user.personId, via: 'console' }, askForFeedback);
      await rt.effects.apply(r.effects);
      return s.t('projectClosed', { attended: r.attended, noShows: r.noShows, credited: r.credited });
    });
  });

  c.post('/projects/:number/served', async (req, reply) => {
    const s = signedIn(req);
    const community = communityOf(req);
    const number = projectNumber(req);
    const here = `/console/c/${community.code}/projects/${number}`;
    return act(req, reply, rt, here, async () => {
      const count = Number(field(req.body, 'count'));
      await setPeopleServed(rt.ctx, { communityId: community.id, number, count, actorId: s.user.personId, via: 'console' });
      return s.t('saved');
    });
  });

  c.post('/projects/:number/shifts', async (req, reply) => {
    const s = signedIn(req);
    const community = communityOf(req);
    const number = projectNumber(req);
    const here = `/console/c/${community.code}/projects/${number}`;
    return act(req, reply, rt, `${here}#shifts`, async () => {
      const row = shiftRows(req.body)[0];
      if (!row) throw new AppError('INVALID_INPUT', { field: 'shift', why: s.t('shiftTimeBad') });
      const shift = parseShift(row, community.timezone, s.t);
      const r = await addShift(rt.ctx, { communityId: community.id, number, shift, actorId: s.user.personId, via: 'console' });
      return s.t('shiftAdded', { label: r.shift.label });
    });
  });

  c.post('/projects/:number/publish', async (req, reply) => {
    const s = signedIn(req);
    const { t } = s;
    const community = communityOf(req);
    const number = projectNumber(req);
    const here = `/console/c/${community.code}/projects/${number}`;
    return act(req, reply, rt, `${here}#broadcasts`, async () => {
      const ids = numbers(fields(req.body, 'group'));
      if (ids.length === 0) throw new AppError('NO_GROUPS');
      const groups = await rt.ctx.prisma.group.findMany({ where: { id: { in: ids }, communityId: community.id }, select: { externalId: true } });
      if (groups.length !== ids.length) throw new AppError('NO_GROUPS');
      const total = await rt.ctx.prisma.group.count({ where: { communityId: community.id } });
      let sendAt: Date | null = null;
      if (field(req.body, 'mode') === 'at') {
        const [d = '', tm = ''] = field(req.body, 'at').split('T');
        sendAt = localTime(d, tm, community.timezone);
        if (!sendAt) throw new AppError('INVALID_INPUT', { field: 'at', why: t('publishAtBad') });
        if (sendAt.getTime() < rt.ctx.clock.now().getTime() - 60_000) throw new AppError('INVALID_INPUT', { field: 'at', why: t('publishAtPast') });
      }
      const r = await publishProject(rt.ctx, {
        communityId: community.id,
        number,
        // Every group chosen: the broadcast follows the community's groups (also ones bound later).
        groups: groups.length === total ? [] : groups.map((g) => g.externalId),
        sendAt,
        actorId: s.user.personId,
        via: 'console',
      }, announceProject);
      await rt.effects.apply(r.effects);
      const at = sendAt ? DateTime.fromJSDate(sendAt, { zone: community.timezone }).toFormat('yyyy-MM-dd HH:mm') : '';
      return sendAt ? t('publishScheduled', { groups: r.groupCount, at }) : t('publishedNow', { groups: r.groupCount });
    });
  });

  c.post('/broadcasts/:id/cancel', async (req, reply) => {
    const s = signedIn(req);
    const community = communityOf(req);
    const raw = (req.params as { id?: string }).id ?? '';
    const id = parseId(raw);
    // Not a number an id can be (99999999999, abc): no such broadcast, a 404 page.
    if (id === null) throw new AppError('BROADCAST_NOT_FOUND', { id: raw.slice(0, 20) });
    const back = backTo(req, `/console/c/${community.code}/projects`);
    return act(req, reply, rt, back, async () => {
      const r = await cancelBroadcast(rt.ctx, { communityId: community.id, broadcastId: id, actorId: s.user.personId, via: 'console' });
      await rt.effects.apply(r.effects);
      return s.t('broadcastCancelled', { count: r.deliveriesCancelled });
    });
  });

  c.post('/signups/:id/attend', async (req, reply) => {
    const s = signedIn(req);
    const community = communityOf(req);
    const raw = (req.params as { id?: string }).id ?? '';
    const id = parseId(raw);
    if (id === null) throw new AppError('SIGNUP_NOT_FOUND', { id: raw.slice(0, 20) });
    const back = backTo(req, `/console/c/${community.code}/projects`);
    return act(req, reply, rt, back, async () => {
      const r = await markAttendance(rt.ctx, { communityId: community.id, signUpId: id, actorId: s.user.personId, via: 'console' });
      await rt.effects.apply(r.effects);
      return s.t('markedPresent', { name: r.name, label: r.shift.label });
    });
  });
}

export { formatShiftTime };
