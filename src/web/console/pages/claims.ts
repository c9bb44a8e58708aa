import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { AppError } from '../../../lib/errors.ts';
import { parseId } from '../../../lib/id-schema.ts';
import { decideClaim } from '../../../core/claims/decide-claim.ts';
import type { VisibleCommunity } from '../../../core/roles/communities-visible-to.ts';
import { html, type SafeHtml } from '../html.ts';
import { act, communityOf, field, sendPage, signedIn, type ConsoleRuntime } from '../context.ts';
import { csrfField, empty, page, pill, postButton } from '../layout.ts';
import type { Key } from '../i18n.ts';
import { backTo } from './needs.ts';

const claimKey = { pending: 'clPending', approved: 'clApproved', declined: 'clDeclined', withdrawn: 'clWithdrawn' } as const satisfies Record<string, Key>;

interface ClaimRow {
  id: number;
  status: keyof typeof claimKey;
  organization: { name: string };
  requestedBy: { name: string };
  note: string;
  createdAt: Date;
  project: { number: number; title: string };
}

/** Claims as a table, with approve / decline (and a reason) for pending ones when the account may act. */
export function claimRows(req: FastifyRequest, community: VisibleCommunity, claims: ClaimRow[], back: string, showProject = true): SafeHtml {
  const s = signedIn(req);
  const { t } = s;
  const base = `/console/c/${community.code}`;
  if (claims.length === 0) return empty(t('noClaims'));
  return html`<div class="table-wrap"><table class="table responsive" data-testid="claims-table"><thead><tr><th>${t('claimNo')}</th>${showProject ? html`<th>${t('project')}</th>` : ''}<th>${t('organization')}</th><th>${t('requestedBy')}</th><th>${t('requestedAt')}</th><th>${t('status')}</th><th></th></tr></thead><tbody>${claims.map(
    (c) => html`<tr data-testid="claim-row" data-claim="${c.id}">
  <td class="num">${c.id}</td>
  ${showProject ? html`<td data-label="${t('project')}"><a href="${base}/projects/${c.project.number}">#${c.project.number} ${c.project.title}</a></td>` : ''}
  <td data-label="${t('organization')}">${c.organization.name}</td>
  <td data-label="${t('requestedBy')}">${c.requestedBy.name}</td>
  <td data-label="${t('requestedAt')}" class="nowrap">${DateTime.fromJSDate(c.createdAt, { zone: community.timezone }).toFormat('MM-dd HH:mm')}</td>
  <td data-label="${t('status')}">${pill(t(claimKey[c.status]), c.status)}${c.note ? html` <span class="muted small">${c.note}</span>` : ''}</td>
  <td>${
    s.canWrite && c.status === 'pending'
      ? html`<div class="row-actions">${postButton(req, `${base}/claims/${c.id}/approve`, t('approve'), { cls: 'btn primary small', hidden: { back }, testid: 'claim-approve' })}
    <form method="post" action="${base}/claims/${c.id}/decline" class="inline decline">${csrfField(req)}<input type="hidden" name="back" value="${back}"><input name="reason" maxlength="200" placeholder="${t('declineReason')}" aria-label="${t('declineReason')}"><button class="btn ghost small" type="submit">${t('decline')}</button></form></div>`
      : ''
  }</td>
</tr>`,
  )}</tbody></table></div>`;
}

/** Claims (认领): all of the community's, pending first; approve or decline, the claimant told in private. */
export function claimRoutes(c: FastifyInstance, rt: ConsoleRuntime): void {
  c.get('/claims', async (req, reply) => {
    const s = signedIn(req);
    const { t } = s;
    const community = communityOf(req);
    const base = `/console/c/${community.code}`;
    const q = (req.query as Record<string, unknown>).status;
    const status = typeof q === 'string' && q in claimKey ? (q as keyof typeof claimKey) : q === 'all' ? null : 'pending';
    const claims = await rt.ctx.prisma.claim.findMany({
      where: { project: { communityId: community.id }, ...(status ? { status } : {}) },
      orderBy: { id: 'desc' },
      take: 300,
      include: { project: { select: { number: true, title: true } }, organization: { select: { name: true } }, requestedBy: { select: { displayName: true } } },
    });
    const flash = await rt.sessions.takeFlash(s.session);
    const here = `${base}/claims${status === 'pending' ? '' : `?status=${status ?? 'all'}`}`;
    const content = html`<div class="page-head"><h1>${t('claimsTitle')}</h1></div>
<nav class="tabs">${(['pending', 'approved', 'declined'] as const).map((st) => html`<a href="${base}/claims?status=${st}" class="${status === st ? 'on' : ''}">${t(claimKey[st])}</a>`)}<a href="${base}/claims?status=all" class="${status === null ? 'on' : ''}">${t('all')}</a></nav>
<section class="card">${claimRows(
      req,
      community,
      claims.map((x) => ({ id: x.id, status: x.status, organization: x.organization, requestedBy: { name: x.requestedBy.displayName }, note: x.note, createdAt: x.createdAt, project: x.project })),
      here,
    )}</section>`;
    return sendPage(reply, page(req, { title: t('claimsTitle'), content, active: 'claims', flash, wide: true }));
  });

  const decide = (approve: boolean) => async (req: FastifyRequest, reply: import('fastify').FastifyReply) => {
    const s = signedIn(req);
    const community = communityOf(req);
    const raw = (req.params as { id?: string }).id ?? '';
    const id = parseId(raw);
    // Not a number an id can be (99999999999, abc): no such claim, a 404 page.
    if (id === null) throw new AppError('CLAIM_NOT_FOUND', { id: raw.slice(0, 20) });
    const back = backTo(req, `/console/c/${community.code}/claims`);
    return act(req, reply, rt, back, async () => {
      const d = await decideClaim(rt.ctx, { communityId: community.id, claimId: id, approve, reason: field(req.body, 'reason').slice(0, 200), actorId: s.user.personId, via: 'console' });
      await rt.effects.apply(d.effects);
      return s.t(approve ? 'claimApproved' : 'claimDeclined', { org: d.organization, number: d.projectNumber });
    });
  };
  c.post('/claims/:id/approve', decide(true));
  c.post('/claims/:id/decline', decide(false));
}
