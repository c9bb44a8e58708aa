import { z } from 'zod';
import { platforms } from '../chat.ts';
import { AppError } from '../../lib/errors.ts';
import { isUniqueViolation } from '../../db/prisma.ts';
import type { CoreContext } from '../context.ts';
import { writeAudit } from '../audit/write-audit.ts';
import { ensurePerson } from '../people/resolve-person.ts';
import { grantScopedRoleIn, resolveScope, type GrantScope } from '../roles/grant-scoped-role.ts';
import { generatePassword, hashPassword, passwordProblem } from './passwords.ts';

/**
 * Console accounts (ConsoleUser): a login and a password for the workers' console, linked to one
 * Person. What the account may see and do is that person's RoleGrants (communitiesVisibleTo,
 * requireWorker), the same checks the chat and the API use; `isAdmin` adds only the console's own
 * administration (accounts, job queues), never access to a community.
 */

/** A login as stored and compared: NFKC, trimmed, lower case. */
export function normalizeLogin(login: string): string {
  return login.normalize('NFKC').trim().toLowerCase();
}

export const loginSchema = z
  .string()
  .transform(normalizeLogin)
  .pipe(z.string().min(2).max(64).regex(/^[\p{L}\p{N}._@-]+$/u, 'letters, digits, . _ @ -'));

export const createConsoleUserInput = z.object({
  login: loginSchema,
  name: z.string().trim().min(1).max(100),
  password: z.string().max(200).optional(),
  isAdmin: z.boolean().default(false),
  /** Link to the person behind an existing chat account (so the console and the chat are one worker). */
  identity: z.object({ platform: z.enum(platforms), user: z.string().trim().min(1).max(200) }).optional(),
  /** Role grants to give the person: community, street or district. */
  grants: z
    .array(
      z.object({
        role: z.enum(['worker', 'admin', 'viewer']),
        scope: z.union([z.object({ community: z.string().min(1) }), z.object({ street: z.string().min(1) }), z.object({ district: z.string().min(1) })]),
      }),
    )
    .max(20)
    .default([]),
  actorId: z.number().int().nullable(),
  via: z.enum(['chat', 'cli', 'api', 'console']),
});
export type CreateConsoleUserInput = z.input<typeof createConsoleUserInput>;

/** What a password or login refusal says: INVALID_INPUT with the field and why. */
function refuse(field: string, why: string): never {
  throw new AppError('INVALID_INPUT', { field, why });
}

/**
 * Creates a console account: the person (the chat identity's, or a new one named `name`), the
 * account with an argon2id hash, and the role grants, in one transaction once every grant's scope
 * is found (COMMUNITY_NOT_FOUND otherwise, and nothing is made). Without a password one is
 * generated and returned (shown once, never stored in the clear). Audited (no password or hash in
 * the log). A login already taken is ALREADY_… (CONFLICT). Not idempotent.
 */
export async function createConsoleUser(ctx: CoreContext, input: CreateConsoleUserInput) {
  const parsed = createConsoleUserInput.safeParse(input);
  if (!parsed.success) refuse(String(parsed.error.issues[0]?.path.join('.') ?? ''), parsed.error.issues[0]?.message ?? '');
  const i = parsed.data;
  const password = i.password ?? generatePassword();
  const problem = passwordProblem(password, i.login);
  if (problem) refuse('password', problem);
  // Validate first: a login already taken, or a grant on a community, street or district that does
  // not exist, is refused before a person or chat identity is made for it.
  if (await ctx.prisma.consoleUser.findUnique({ where: { login: i.login }, select: { id: true } })) throw new AppError('CONFLICT', { field: 'login' });
  for (const g of i.grants) await resolveScope(ctx.prisma, g.scope as GrantScope);
  const passwordHash = await hashPassword(password);
  const personId = i.identity ? await ensurePerson(ctx, i.identity.platform, i.identity.user, i.name) : null;
  try {
    return await ctx.prisma.$transaction(async (tx) => {
      const pid = personId ?? (await tx.person.create({ data: { displayName: i.name }, select: { id: true } })).id;
      const created = await tx.consoleUser.create({
        data: { login: i.login, personId: pid, passwordHash, isAdmin: i.isAdmin, createdById: i.actorId, passwordChangedAt: ctx.clock.now(), createdAt: ctx.clock.now() },
      });
      await writeAudit(tx, {
        actorId: i.actorId,
        via: i.via,
        action: 'consoleuser.create',
        entity: 'ConsoleUser',
        entityId: created.id,
        after: { login: created.login, personId: pid, isAdmin: created.isAdmin, identity: i.identity ? `${i.identity.platform}:${i.identity.user}` : null },
      });
      const grants = [];
      for (const g of i.grants) grants.push(await grantScopedRoleIn(tx, { personId: pid, role: g.role, scope: g.scope as GrantScope, actorId: i.actorId, via: i.via }));
      return { user: created, password: i.password === undefined ? password : null, grants };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('CONFLICT', { field: 'login' });
    throw e;
  }
}

/** The account with this login, for signing in (null when there is none). */
export async function findConsoleUserByLogin(ctx: CoreContext, login: string) {
  const l = normalizeLogin(login);
  if (!l || l.length > 64) return null;
  return ctx.prisma.consoleUser.findUnique({ where: { login: l }, include: { person: { select: { id: true, displayName: true } } } });
}

/**
 * Sets an account's password (a reset by an administrator, or the person's own change). Bumps
 * passwordChangedAt so sessions opened before it are no longer accepted. Audited without the
 * password. Returns the generated password when none was given.
 */
export async function setConsolePassword(ctx: CoreContext, input: { userId: number; password?: string; actorId: number | null; via: 'cli' | 'console' }) {
  const user = await ctx.prisma.consoleUser.findUnique({ where: { id: input.userId } });
  if (!user) throw new AppError('INVALID_INPUT', { field: 'user' });
  const password = input.password ?? generatePassword();
  const problem = passwordProblem(password, user.login);
  if (problem) refuse('password', problem);
  const passwordHash = await hashPassword(password);
  await ctx.prisma.$transaction(async (tx) => {
    const now = ctx.clock.now();
    await tx.consoleUser.update({ where: { id: user.id }, data: { passwordHash, passwordChangedAt: now } });
    await writeAudit(tx, {
      actorId: input.actorId,
      via: input.via,
      action: 'consoleuser.password',
      entity: 'ConsoleUser',
      entityId: user.id,
      before: { passwordChangedAt: user.passwordChangedAt.toISOString() },
      after: { passwordChangedAt: now.toISOString() },
    });
  });
  return { password: input.password === undefined ? password : null };
}

/** Disables or re-enables an account; a disabled account cannot sign in and its sessions end. Audited. */
export async function setConsoleUserDisabled(ctx: CoreContext, input: { userId: number; disabled: boolean; actorId: number | null; via: 'cli' | 'console' }) {
  return ctx.prisma.$transaction(async (tx) => {
    const user = await tx.consoleUser.findUnique({ where: { id: input.userId } });
    if (!user) throw new AppError('INVALID_INPUT', { field: 'user' });
    if (user.disabledAt !== null === input.disabled) return { changed: false };
    const disabledAt = input.disabled ? ctx.clock.now() : null;
    await tx.consoleUser.update({ where: { id: user.id }, data: { disabledAt } });
    await writeAudit(tx, {
      actorId: input.actorId,
      via: input.via,
      action: input.disabled ? 'consoleuser.disable' : 'consoleuser.enable',
      entity: 'ConsoleUser',
      entityId: user.id,
      before: { disabledAt: user.disabledAt?.toISOString() ?? null },
      after: { disabledAt: disabledAt?.toISOString() ?? null },
    });
    return { changed: true };
  });
}

/** A successful sign-in: lastLoginAt, and an AuditLog row (who, when, from which address). */
export async function recordConsoleLogin(ctx: CoreContext, input: { userId: number; ip: string }): Promise<void> {
  await ctx.prisma.$transaction(async (tx) => {
    const user = await tx.consoleUser.findUniqueOrThrow({ where: { id: input.userId }, select: { personId: true, lastLoginAt: true } });
    const now = ctx.clock.now();
    await tx.consoleUser.update({ where: { id: input.userId }, data: { lastLoginAt: now } });
    await writeAudit(tx, {
      actorId: user.personId,
      via: 'console',
      action: 'consoleuser.login',
      entity: 'ConsoleUser',
      entityId: input.userId,
      before: { lastLoginAt: user.lastLoginAt?.toISOString() ?? null },
      after: { lastLoginAt: now.toISOString(), ip: input.ip.slice(0, 64) },
    });
  });
}

/**
 * On the very first start (no console account at all): one administrator, login `admin`, with a
 * generated password that the caller prints once. Returns null when any account exists (or another
 * process made the first one at the same moment). The administrator manages accounts and queues;
 * to look at a community it grants itself a role like any other account.
 */
export async function ensureFirstConsoleAdmin(ctx: CoreContext): Promise<{ login: string; password: string } | null> {
  if ((await ctx.prisma.consoleUser.count()) > 0) return null;
  try {
    const r = await createConsoleUser(ctx, { login: 'admin', name: '管理员', isAdmin: true, actorId: null, via: 'cli' });
    return r.password ? { login: r.user.login, password: r.password } : null;
  } catch (e) {
    if (e instanceof AppError && e.code === 'CONFLICT') return null;
    throw e;
  }
}
