import { isWorker } from '../../../core/roles/is-worker.ts';
import { demoCommunityCodes } from '../../../core/demo/load-demo.ts';
import { html, type SafeHtml } from '../html.ts';
import type { ConsoleRuntime, signedIn } from '../context.ts';

type Signed = ReturnType<typeof signedIn>;

/**
 * The demo's "try this" list on the console's first page: five steps, each a link to where it is
 * done (merge two needs, make a project, publish it and see it in the web chat, approve hours, open
 * the report). Shown only for a demo community this account may change; empty otherwise.
 */
export async function tryThis(rt: ConsoleRuntime, s: Signed, only?: { code: string }): Promise<SafeHtml | ''> {
  const codes = await demoCommunityCodes(rt.ctx);
  const community = s.communities.find((c) => codes.includes(c.code) && (!only || c.code === only.code));
  if (!community || !(await isWorker(rt.ctx, s.user.personId, community.id))) return '';
  const { t } = s;
  const base = `/console/c/${community.code}`;
  const steps: Array<{ id: string; href: string; title: string; hint: string; extra?: SafeHtml }> = [
    { id: 'merge', href: `${base}/needs`, title: t('tryMerge'), hint: t('tryMergeHint') },
    { id: 'project', href: `${base}/needs`, title: t('tryProject'), hint: t('tryProjectHint') },
    {
      id: 'publish',
      href: `${base}/projects`,
      title: t('tryPublish'),
      hint: t('tryPublishHint'),
      extra: rt.webChat ? html` · <a href="/chat" target="_blank" rel="noopener" data-testid="try-chat">${t('tryOpenChat')}</a>` : undefined,
    },
    { id: 'hours', href: `${base}/hours`, title: t('tryHours'), hint: t('tryHoursHint') },
    { id: 'report', href: `/console/reports?area=community:${community.id}`, title: t('tryReport'), hint: t('tryReportHint') },
  ];
  return html`<section class="card try-this" data-testid="try-this" data-community="${community.code}">
<h2>${t('tryTitle')} · ${community.name}</h2>
<p class="muted small">${t('tryLead')}</p>
<ol class="try-steps">${steps.map(
    (x) => html`<li><a href="${x.href}" data-testid="try-${x.id}">${x.title}</a><span class="muted small"> — ${x.hint}</span>${x.extra ?? ''}</li>`,
  )}</ol>
</section>`;
}
