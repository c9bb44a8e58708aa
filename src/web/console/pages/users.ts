import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { AppError, isAppError } from '../../../lib/errors.ts';
import { parseId } from '../../../lib/id-schema.ts';
import { platforms } from '../../../bots/types.ts';
import { createConsoleUser, setConsolePassword, setConsoleUserDisabled } from '../../../core/console-users/console-users.ts';
import { grantScopedRole, type GrantScope } from '../../../core/roles/grant-scoped-role.ts';
import { html, raw, type SafeHtml } from '../html.ts';
import { act, failureText, field, sendPage, signedIn, type ConsoleRuntime } from '../context.ts';
import { csrfField, page, pill, postButton } from '../layout.ts';

const roles = ['worker', 'admin', 'viewer'] as const;

/** A scope from the form: "community:HT01", "street:霍营街道", "district:昌平区". */
function scopeOf(value: string): GrantScope | null {
  const i = value.indexOf(':');
  const level = value.slice(0, i);
  const code = value.slice(i + 1).trim();
  if (!code) return null;
  if (level === 'community') return { community: code };
  if (level === 'street') return { street: code };
  if (level === 'district') return { district: code };
  return null;
}

async function scopeOptions(rt: ConsoleRuntime, req: FastifyRequest): Promise<SafeHtml> {
  const { t } = signedIn(req);
  const [communities, streets, districts] = await Promise.all([
    rt.ctx.prisma.community.findMany({ orderBy: { code: 'asc' }, select: { code: true, name: true } }),
    rt.ctx.prisma.street.findMany({ orderBy: { name: 'asc' }, select: { code: true, name: true } }),
    rt.ctx.prisma.district.findMany({ orderBy: { name: 'asc' }, select: { code: true, name: true } }),
  ]);
  return html`<optgroup label="${t('community')}">${communities.map((c) => html`<option value="community:${c.code}">${c.name}（${c.code}）</option>`)}</optgroup>
<optgroup label="${t('street')}">${streets.map((c) => html`<option value="street:${c.code}">${c.name}</option>`)}</optgroup>
<optgroup label="${t('district')}">${districts.map((c) => html`<option value="district:${c.code}">${c.name}</option>`)}</optgroup>`;
}

function roleSelect(req: FastifyRequest): SafeHtml {
  const { t } = signedIn(req);
  const label = { worker: t('roleWorker'), admin: t('roleAdmin'), viewer: t('roleViewer') };
  return html`<select name="role">${roles.map((r) => html`<option value="${r}">${label[r]}</option>`)}</select>`;
}

async function usersPage(rt: ConsoleRuntime, req: FastifyRequest, reply: FastifyReply, opts: { shown?: { login: string; password: string }; error?: string } = {}) {
  const s = signedIn(req);
  const { t } = s;
  const users = await rt.ctx.prisma.consoleUser.findMany({
    orderBy: { id: 'asc' },
    include: {
      person: {
        select: {
          displayName: true,
          identities: { select: { platform: true, externalId: true } },
          roles: { select: { role: true, community: { select: { name: true } }, street: { select: { name: true } }, district: { select: { name: true } } } },
        },
      },
    },
  });
  const flash = await rt.sessions.takeFlash(s.session);
  const scopes = await scopeOptions(rt, req);
  const roleLabel = { worker: t('roleWorker'), admin: t('roleAdmin'), viewer: t('roleViewer') };
  const content = html`<div class="page-head"><h1>${t('usersTitle')}</h1></div>
${opts.error ? html`<div class="flash error" role="alert" data-testid="flash">${opts.error}</div>` : ''}
${
  opts.shown
    ? html`<div class="card password-once" data-testid="password-once"><h2>${t('passwordOnceTitle')}</h2><p>${t('loginName')}: <strong>${opts.shown.login}</strong></p><p>${t('password')}: <code class="big">${opts.shown.password}</code></p><p class="muted small">${t('passwordOnce')}</p></div>`
    : ''
}
<section class="card"><div class="table-wrap"><table class="table responsive" data-testid="users-table"><thead><tr><th>${t('loginName')}</th><th>${t('name')}</th><th>${t('roles')}</th><th>${t('chatAccounts')}</th><th>${t('lastLogin')}</th><th>${t('status')}</th><th></th></tr></thead><tbody>${users.map(
    (u) => html`<tr>
  <td>${u.login}${u.isAdmin ? html` ${pill(t('consoleAdmin'), 'admin')}` : ''}</td>
  <td data-label="${t('name')}">${u.person.displayName}</td>
  <td data-label="${t('roles')}">${u.person.roles.map((r) => html`<span class="tag">${roleLabel[r.role]} · ${r.community?.name ?? r.street?.name ?? r.district?.name ?? ''}</span> `)}</td>
  <td data-label="${t('chatAccounts')}">${u.person.identities.map((i) => html`<span class="tag ghost">${i.platform}:${i.externalId}</span> `)}</td>
  <td data-label="${t('lastLogin')}" class="nowrap">${u.lastLoginAt ? DateTime.fromJSDate(u.lastLoginAt, { zone: 'Asia/Shanghai' }).toFormat('yyyy-MM-dd HH:mm') : '—'}</td>
  <td data-label="${t('status')}">${u.disabledAt ? pill(t('disabled'), 'cancelled') : pill(t('active'), 'published')}</td>
  <td><div class="row-actions">
    <form method="post" action="/console/admin/users/${u.id}/grant" class="inline">${csrfField(req)}${roleSelect(req)}<select name="scope" aria-label="${t('scope')}">${scopes}</select><button class="btn ghost small">${t('grant')}</button></form>
    ${postButton(req, `/console/admin/users/${u.id}/password`, t('resetPassword'), { cls: 'btn ghost small', confirm: t('resetPasswordConfirm') })}
    ${u.id === s.user.id ? '' : postButton(req, `/console/admin/users/${u.id}/${u.disabledAt ? 'enable' : 'disable'}`, u.disabledAt ? t('enable') : t('disable'), { cls: 'btn ghost small' })}
  </div></td>
</tr>`,
  )}</tbody></table></div></section>
<section class="card"><h2>${t('newUser')}</h2>
<form method="post" action="/console/admin/users" class="form grid-form" data-testid="new-user-form">${csrfField(req)}
  <label>${t('loginName')}<input name="login" required maxlength="64" pattern="[^\\s]{2,64}"></label>
  <label>${t('name')}<input name="name" required maxlength="100"></label>
  <label>${t('passwordOptional')}<input name="password" type="password" minlength="10" maxlength="200" autocomplete="new-password"></label>
  <label>${t('role')}${roleSelect(req)}</label>
  <label>${t('scope')}<select name="scope"><option value="">${t('none')}</option>${scopes}</select></label>
  <label>${t('linkChat')}<span class="pair"><select name="platform"><option value="">—</option>${platforms.map((p) => html`<option value="${p}">${p}</option>`)}</select><input name="user" maxlength="200" placeholder="wang-shuji"></span></label>
  <label class="check"><input type="checkbox" name="isAdmin" value="1"> ${t('consoleAdmin')}</label>
  <div class="form-actions"><button class="btn primary" type="submit">${t('createUser')}</button></div>
</form></section>`;
  return sendPage(reply, page(req, { title: t('usersTitle'), content, active: 'users', flash, wide: true }), opts.error ? 422 : 200);
}

/** Console accounts (administrators only): create, grant roles, reset passwords, disable. All audited in core. */
export function userRoutes(admin: FastifyInstance, rt: ConsoleRuntime): void {
  admin.get('/users', async (req, reply) => usersPage(rt, req, reply));

  admin.post('/users', async (req, reply) => {
    const s = signedIn(req);
    const scope = scopeOf(field(req.body, 'scope'));
    const role = field(req.body, 'role');
    const platform = field(req.body, 'platform');
    const user = field(req.body, 'user');
    const password = (req.body as Record<string, unknown>).password;
    try {
      const r = await createConsoleUser(rt.ctx, {
        login: field(req.body, 'login'),
        name: field(req.body, 'name'),
        password: typeof password === 'string' && password !== '' ? password : undefined,
        isAdmin: field(req.body, 'isAdmin') === '1',
        identity: platform && user ? { platform: platform as 'web', user } : undefined,
        grants: scope && (roles as readonly string[]).includes(role) ? [{ role: role as 'worker', scope }] : [],
        actorId: s.user.personId,
        via: 'console',
      });
      if (r.password) return usersPage(rt, req, reply, { shown: { login: r.user.login, password: r.password } });
      await rt.sessions.setFlash(s.session, { kind: 'ok', text: s.t('userCreated', { login: r.user.login }) });
      return reply.redirect('/console/admin/users', 303);
    } catch (err) {
      if (!isAppError(err)) throw err;
      return usersPage(rt, req, reply, { error: err.code === 'CONFLICT' ? s.t('loginTaken') : failureText(req, err) });
    }
  });

  const userId = (req: FastifyRequest) => {
    const n = parseId((req.params as { id?: string }).id);
    if (n === null) throw new AppError('INVALID_INPUT', { field: 'user' });
    return n;
  };

  admin.post('/users/:id/grant', async (req, reply) => {
    const s = signedIn(req);
    return act(req, reply, rt, '/console/admin/users', async () => {
      const u = await rt.ctx.prisma.consoleUser.findUnique({ where: { id: userId(req) } });
      const scope = scopeOf(field(req.body, 'scope'));
      const role = field(req.body, 'role');
      if (!u || !scope || !(roles as readonly string[]).includes(role)) throw new AppError('INVALID_INPUT', { field: 'scope' });
      const r = await grantScopedRole(rt.ctx, { personId: u.personId, role: role as 'worker', scope, actorId: s.user.personId, via: 'console' });
      return r.created ? s.t('granted', { login: u.login, scope: r.label }) : s.t('nothingChanged');
    });
  });

  admin.post('/users/:id/password', async (req, reply) => {
    const s = signedIn(req);
    try {
      const id = userId(req);
      const r = await setConsolePassword(rt.ctx, { userId: id, actorId: s.user.personId, via: 'console' });
      await rt.sessions.destroyAllOf(id);
      const u = await rt.ctx.prisma.consoleUser.findUniqueOrThrow({ where: { id } });
      return usersPage(rt, req, reply, { shown: { login: u.login, password: r.password ?? '' } });
    } catch (err) {
      if (!isAppError(err)) throw err;
      return usersPage(rt, req, reply, { error: failureText(req, err) });
    }
  });

  for (const [path, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    admin.post(`/users/:id/${path}`, async (req, reply) => {
      const s = signedIn(req);
      return act(req, reply, rt, '/console/admin/users', async () => {
        const id = userId(req);
        if (id === s.user.id) throw new AppError('INVALID_INPUT', { field: 'user' });
        const r = await setConsoleUserDisabled(rt.ctx, { userId: id, disabled, actorId: s.user.personId, via: 'console' });
        if (disabled) await rt.sessions.destroyAllOf(id);
        return r.changed ? s.t('saved') : s.t('nothingChanged');
      });
    });
  }
}

export { raw };
