import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import { AppError, isAppError } from '../../../lib/errors.ts';
import { decideHoursEntry, approvePendingHours, hoursApprovedNotices } from '../../../core/hours/approve-hours.ts';
import { notify } from '../../../core/effects.ts';
import { html } from '../html.ts';
import { act, communityOf, field, fields, numbers, sendPage, signedIn, type ConsoleRuntime } from '../context.ts';
import { csrfField, empty, page, pill, postButton } from '../layout.ts';
import type { Key } from '../i18n.ts';
import { backTo } from './needs.ts';

const hoursKey = { pending: 'hsPending', approved: 'hsApproved', rejected: 'hsRejected' } as const satisfies Record<string, Key>;

/**
 * The hours ledger (公益银行) of a community: pending entries to approve one by one or in bulk,
 * and the decided ones. Decisions go through the hours use cases (src/core/hours), which the
 * ledger's trigger holds to: a pending entry is decided once, nothing else changes.
 */
export function hoursRoutes(c: FastifyInstance, rt: ConsoleRuntime): void {
  c.get('/hours', async (req, reply) => {
    const s = signedIn(req);
    const { t } = s;
    const community = communityOf(req);
    const base = `/console/c/${community.code}`;
    const q = req.query as Record<string, unknown>;
    const status = typeof q.status === 'string' && q.status in hoursKey ? (q.status as keyof typeof hoursKey) : q.status === 'all' ? null : 'pending';
    const projectNo = typeof q.project === 'string' && /^\d{1,9}$/.test(q.project) ? Number(q.project) : null;
    const entries = await rt.ctx.prisma.hoursEntry.findMany({
      where: { project: { communityId: community.id, ...(projectNo ? { number: projectNo } : {}) }, ...(status ? { status } : {}) },
      orderBy: { id: 'desc' },
      take: 500,
      include: { person: { select: { displayName: true } }, project: { select: { number: true, title: true } }, shift: { select: { label: true, startsAt: true } } },
    });
    const pendingTotal = entries.filter((e) => e.status === 'pending').reduce((a, e) => a + Number(e.hours), 0);
    const flash = await rt.sessions.takeFlash(s.session);
    const params = new URLSearchParams();
    if (status !== 'pending') params.set('status', status ?? 'all');
    if (projectNo) params.set('project', String(projectNo));
    const here = `${base}/hours${params.size ? `?${params}` : ''}`;
    const tab = (st: keyof typeof hoursKey | 'all', label: string) => {
      const p = new URLSearchParams({ status: st });
      if (projectNo) p.set('project', String(projectNo));
      return html`<a href="${base}/hours?${p.toString()}" class="${(status ?? 'all') === st ? 'on' : ''}">${label}</a>`;
    };
    const content = html`<div class="page-head"><h1>${t('hoursTitle')}${projectNo ? html` · ${t('project')} #${projectNo}` : ''}</h1>
  ${projectNo && s.canWrite ? postButton(req, `${base}/hours/approve-project`, t('approveAllOfProject', { number: projectNo }), { cls: 'btn', hidden: { project: projectNo, back: here }, confirm: t('approveAllConfirm') }) : ''}</div>
<nav class="tabs">${tab('pending', t('hsPending'))}${tab('approved', t('hsApproved'))}${tab('rejected', t('hsRejected'))}${tab('all', t('all'))}</nav>
<form method="post" action="${base}/hours/decide" class="card" data-testid="hours-form">
  ${csrfField(req)}<input type="hidden" name="back" value="${here}">
  ${
    s.canWrite && entries.some((e) => e.status === 'pending')
      ? html`<div class="toolbar"><span class="muted small">${t('pendingHoursTotal', { hours: pendingTotal.toFixed(1) })}</span>
    <button class="btn primary" name="do" value="approve" data-testid="hours-approve-selected">${t('approveSelected')}</button>
    <button class="btn ghost" name="do" value="reject" data-confirm="${t('rejectConfirm')}">${t('rejectSelected')}</button></div>`
      : ''
  }
  ${
    entries.length
      ? html`<div class="table-wrap"><table class="table responsive" data-testid="hours-table"><thead><tr>${s.canWrite ? html`<th><input type="checkbox" data-select-all aria-label="${t('selectAll')}"></th>` : ''}<th>${t('entryNo')}</th><th>${t('volunteer')}</th><th>${t('project')}</th><th>${t('shift')}</th><th>${t('hoursCol')}</th><th>${t('reason')}</th><th>${t('recordedAt')}</th><th>${t('status')}</th><th></th></tr></thead><tbody>${entries.map(
          (e) => html`<tr data-testid="hours-row" data-status="${e.status}">
      ${s.canWrite ? html`<td>${e.status === 'pending' ? html`<input type="checkbox" name="entry" value="${e.id}" aria-label="${e.id}" data-testid="hours-check">` : ''}</td>` : ''}
      <td class="num">${e.id}</td>
      <td data-label="${t('volunteer')}">${e.person.displayName}</td>
      <td data-label="${t('project')}">${e.project ? html`<a href="${base}/projects/${e.project.number}">#${e.project.number} ${e.project.title}</a>` : ''}</td>
      <td data-label="${t('shift')}">${e.shift ? html`${e.shift.label} <span class="muted small">${DateTime.fromJSDate(e.shift.startsAt, { zone: community.timezone }).toFormat('MM-dd')}</span>` : ''}</td>
      <td class="num" data-label="${t('hoursCol')}">${Number(e.hours).toFixed(2)}</td>
      <td data-label="${t('reason')}">${e.correctsId ? t('correctionOf', { id: e.correctsId }) : e.reason === 'checkout' ? t('reasonCheckout') : e.reason === 'attended' ? t('reasonAttended') : e.reason === 'manual' ? t('reasonManual') : e.reason}</td>
      <td data-label="${t('recordedAt')}" class="nowrap">${DateTime.fromJSDate(e.createdAt, { zone: community.timezone }).toFormat('MM-dd HH:mm')}</td>
      <td data-label="${t('status')}">${pill(t(hoursKey[e.status]), e.status)}</td>
      <td>${s.canWrite && e.status === 'pending' ? html`<button class="btn ghost small" name="one" value="${e.id}" data-testid="hours-approve-one">${t('approve')}</button>` : ''}</td>
    </tr>`,
        )}</tbody></table></div>`
      : empty(t('noHours'))
  }
</form>
${entries.filter((e) => e.status === 'pending' && s.canWrite).length ? html`<p class="muted small">${t('hoursHint')}</p>` : ''}`;
    return sendPage(reply, page(req, { title: t('hoursTitle'), content, active: 'hours', flash, wide: true }));
  });

  c.post('/hours/decide', async (req, reply) => {
    const s = signedIn(req);
    const community = communityOf(req);
    const back = backTo(req, `/console/c/${community.code}/hours`);
    return act(req, reply, rt, back, async () => {
      // A row's own button approves that entry alone; the toolbar's act on the ticked ones.
      const one = numbers([field(req.body, 'one')]);
      const ids = one.length ? one : numbers(fields(req.body, 'entry'));
      const approve = one.length > 0 || field(req.body, 'do') !== 'reject';
      if (ids.length === 0) throw new AppError('INVALID_INPUT', { field: 'entry', why: s.t('selectSome') });
      // One decision (and one AuditLog row) per entry; one decided meanwhile by someone else is skipped.
      const decided: Array<{ id: number; personId: number; hours: number; projectId: number | null }> = [];
      let skipped = 0;
      for (const entryId of ids) {
        try {
          const e = await decideHoursEntry(rt.ctx, { communityId: community.id, entryId, approve, actorId: s.user.personId, via: 'console' });
          decided.push({ id: e.id, personId: e.personId, hours: Number(e.hours), projectId: e.projectId });
        } catch (err) {
          if (!isAppError(err, 'HOURS_DECIDED')) throw err;
          skipped++;
        }
      }
      if (approve) await rt.effects.apply(notify(await hoursApprovedNotices(rt.ctx, decided)));
      const text = s.t(approve ? 'hoursApproved' : 'hoursRejected', { count: decided.length, hours: decided.reduce((a, e) => a + e.hours, 0).toFixed(1) });
      return skipped ? `${text} ${s.t('hoursSkipped', { count: skipped })}` : text;
    });
  });

  c.post('/hours/approve-project', async (req, reply) => {
    const s = signedIn(req);
    const community = communityOf(req);
    const back = backTo(req, `/console/c/${community.code}/hours`);
    return act(req, reply, rt, back, async () => {
      const number = numbers([field(req.body, 'project')])[0];
      if (!number) throw new AppError('PROJECT_NOT_FOUND', { number: 0 });
      const r = await approvePendingHours(rt.ctx, { communityId: community.id, number, actorId: s.user.personId, via: 'console' });
      await rt.effects.apply(r.effects);
      return s.t('hoursApproved', { count: r.entries.length, hours: r.entries.reduce((a, e) => a + e.hours, 0).toFixed(1) });
    });
  });
}
