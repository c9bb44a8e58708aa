import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import { html } from '../html.ts';
import { communityOf, sendPage, signedIn, type ConsoleRuntime } from '../context.ts';
import { empty, page } from '../layout.ts';

/** The community's audit log (AuditLog): who changed what, when, before and after; newest first. */
export function auditRoutes(c: FastifyInstance, rt: ConsoleRuntime): void {
  c.get('/audit', async (req, reply) => {
    const s = signedIn(req);
    const { t } = s;
    const community = communityOf(req);
    const rows = await rt.ctx.prisma.auditLog.findMany({ where: { communityId: community.id }, orderBy: { id: 'desc' }, take: 200 });
    const actors = await rt.ctx.prisma.person.findMany({
      where: { id: { in: [...new Set(rows.flatMap((r) => (r.actorId === null ? [] : [r.actorId])))] } },
      select: { id: true, displayName: true },
    });
    const json = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v));
    const content = html`<div class="page-head"><h1>${t('auditTitle')}</h1><span class="muted">${t('auditLead')}</span></div>
<section class="card">${
      rows.length
        ? html`<div class="table-wrap"><table class="table compact responsive" data-testid="audit-table"><thead><tr><th>${t('time')}</th><th>${t('who')}</th><th>${t('via')}</th><th>${t('action')}</th><th>${t('object')}</th><th>${t('before')}</th><th>${t('after')}</th></tr></thead><tbody>${rows.map(
            (r) => html`<tr><td class="nowrap">${DateTime.fromJSDate(r.createdAt, { zone: community.timezone }).toFormat('MM-dd HH:mm:ss')}</td><td data-label="${t('who')}">${r.actorId === null ? t('system') : (actors.find((a) => a.id === r.actorId)?.displayName ?? `#${r.actorId}`)}</td><td data-label="${t('via')}">${r.via}</td><td data-label="${t('action')}"><code>${r.action}</code></td><td data-label="${t('object')}">${r.entity} ${r.entityId ?? ''}</td><td data-label="${t('before')}"><code class="json">${json(r.before)}</code></td><td data-label="${t('after')}"><code class="json">${json(r.after)}</code></td></tr>`,
          )}</tbody></table></div>`
        : empty(t('noAudit'))
    }</section>`;
    return sendPage(reply, page(req, { title: t('auditTitle'), content, active: 'audit', wide: true }));
  });
}
