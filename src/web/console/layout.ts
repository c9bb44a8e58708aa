import type { FastifyRequest } from 'fastify';
import { html, raw, type SafeHtml } from './html.ts';
import { stateOf } from './context.ts';
import type { Key } from './i18n.ts';

export const assetVersion = '2';

/** The hidden CSRF field every console form carries. */
export function csrfField(req: FastifyRequest): SafeHtml {
  const s = stateOf(req).session;
  return s ? html`<input type="hidden" name="_csrf" value="${s.csrf}">` : html``;
}

/** A one-button form (POST with the CSRF token): approve, publish now, log out… */
export function postButton(
  req: FastifyRequest,
  action: string,
  label: string,
  opts: { cls?: string; hidden?: Record<string, string | number>; confirm?: string; testid?: string } = {},
): SafeHtml {
  return html`<form method="post" action="${action}" class="inline"${opts.confirm ? html` data-confirm="${opts.confirm}"` : ''}>${csrfField(req)}${Object.entries(
    opts.hidden ?? {},
  ).map(([k, v]) => html`<input type="hidden" name="${k}" value="${String(v)}">`)}<button type="submit" class="${opts.cls ?? 'btn'}"${opts.testid ? html` data-testid="${opts.testid}"` : ''}>${label}</button></form>`;
}

interface NavItem {
  key: Key;
  href: string;
  id: string;
}

/**
 * The page shell: top bar (brand, community switcher, account, language, log out), the community's
 * navigation, the flash message, the content. Phone first: the navigation scrolls sideways, tables
 * scroll inside their cards.
 */
export function page(
  req: FastifyRequest,
  opts: { title: string; content: SafeHtml; active?: string; flash?: { kind: 'ok' | 'error'; text: string } | null; wide?: boolean; bare?: boolean; scripts?: string[] },
): SafeHtml {
  const s = stateOf(req);
  const { t } = s;
  const c = s.community;
  const base = c ? `/console/c/${c.code}` : '';
  const nav: NavItem[] = c
    ? [
        { key: 'navHome', href: `${base}`, id: 'home' },
        { key: 'navNeeds', href: `${base}/needs`, id: 'needs' },
        { key: 'navProjects', href: `${base}/projects`, id: 'projects' },
        { key: 'navClaims', href: `${base}/claims`, id: 'claims' },
        { key: 'navHours', href: `${base}/hours`, id: 'hours' },
        { key: 'navRounds', href: `${base}/rounds`, id: 'rounds' },
        { key: 'navReports', href: `/console/reports?area=community:${c.id}`, id: 'reports' },
        { key: 'navExports', href: `${base}/exports`, id: 'exports' },
        { key: 'navAudit', href: `${base}/audit`, id: 'audit' },
      ]
    : [
        { key: 'navCommunities', href: '/console/', id: 'communities' },
        { key: 'navReports', href: '/console/reports', id: 'reports' },
      ];
  if (s.user?.isAdmin) nav.push({ key: 'navUsers', href: '/console/admin/users', id: 'users' }, { key: 'navQueues', href: '/console/admin/queues', id: 'queues' });
  const here = req.url.replace(/([?&])lang=[^&]*&?/, '$1');
  const lang = (l: string, label: string) =>
    html`<a href="/console/lang?to=${l}&amp;back=${encodeURIComponent(here)}" class="${s.locale === l ? 'on' : ''}" hreflang="${l}" data-testid="lang-${l}">${label}</a>`;
  const htmlLang = s.locale === 'en' ? 'en' : s.locale === 'zh-Hant' ? 'zh-Hant' : 'zh-Hans';
  return html`<!doctype html>
<html lang="${htmlLang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="referrer" content="same-origin">
<title>${opts.title} · ${t('appName')}</title>
<link rel="icon" href="/console/assets/icon.svg">
<link rel="stylesheet" href="/console/assets/console.css?v=${assetVersion}">
</head>
<body class="${opts.bare ? 'bare' : ''}">
${
  opts.bare
    ? ''
    : html`<header class="topbar">
  <a class="brand" href="/console/"><img src="/console/assets/icon.svg" alt="" width="28" height="28"><span>${t('appName')}</span></a>
  ${
    s.user
      ? html`<div class="switch">${
          s.communities.length > 1 || (s.communities.length === 1 && !c)
            ? html`<form method="get" action="/console/go" class="inline"><select name="c" aria-label="${t('community')}" data-autosubmit data-testid="community-switch">${
                c ? '' : html`<option value="">${t('pickCommunity')}</option>`
              }${s.communities.map((x) => html`<option value="${x.code}"${c?.id === x.id ? raw(' selected') : ''}>${x.name}</option>`)}</select><noscript><button class="btn small">${t('go')}</button></noscript></form>`
            : c
              ? html`<span class="community-name">${c.name}</span>`
              : ''
        }</div>
  <div class="account">
    <span class="lang">${lang('zh-Hans', '简')}${lang('zh-Hant', '繁')}${lang('en', 'EN')}</span>
    <span class="who" title="${s.user.login}">${s.user.name}</span>
    <form method="post" action="/console/logout" class="inline">${csrfField(req)}<button type="submit" class="btn ghost small" data-testid="logout">${t('logout')}</button></form>
  </div>`
      : html`<div class="account"><span class="lang">${lang('zh-Hans', '简')}${lang('zh-Hant', '繁')}${lang('en', 'EN')}</span></div>`
  }
</header>
${
  s.user
    ? html`<nav class="nav" aria-label="${t('navigation')}">${nav.map(
        (n) => html`<a href="${n.href}" class="${opts.active === n.id ? 'on' : ''}" data-testid="nav-${n.id}">${t(n.key)}</a>`,
      )}</nav>`
    : ''
}`
}
<main class="${opts.wide ? 'main wide' : 'main'}">
${c && s.user && !s.canWrite && req.url.startsWith('/console/c/') ? html`<p class="flash info" data-testid="read-only">${t('readOnly')}</p>` : ''}
${opts.flash ? html`<div class="flash ${opts.flash.kind}" role="${opts.flash.kind === 'error' ? 'alert' : 'status'}" data-testid="flash">${opts.flash.text}</div>` : ''}
${opts.content}
</main>
<script src="/console/assets/console.js?v=${assetVersion}" defer></script>
${(opts.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`)}
</body>
</html>`;
}

/** A labelled status pill. */
export function pill(text: string, kind: string): SafeHtml {
  return html`<span class="pill ${kind}">${text}</span>`;
}

/** An empty-state line for a list with nothing in it. */
export function empty(text: string): SafeHtml {
  return html`<p class="empty">${text}</p>`;
}
