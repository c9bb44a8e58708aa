import type { CoreContext } from '../context.ts';
import { AppError } from '../../lib/errors.ts';
import { createConsoleUser } from '../console-users/console-users.ts';
import { grantScopedRole } from '../roles/grant-scoped-role.ts';
import { demoCommunityCodes } from './load-demo.ts';

/** The console login of the web chat's worker persona 王书记. */
export const demoWorkerLogin = 'wang';

/**
 * The console opens on the demo: once the demo is loaded, the first administrator (`adminLogin`,
 * made on this start) is given the demo communities as a worker, and the web chat's worker 王书记
 * (web:wang-shuji) gets a console account of her own with a generated password, returned once for
 * the start banner. Without the demo, or when 王书记's account exists already, nothing is made and
 * `worker` is null. Safe to run on every start.
 */
export async function ensureDemoConsoleAccounts(
  ctx: CoreContext,
  input: { adminLogin: string | null },
): Promise<{ worker: { login: string; password: string } | null; adminCommunities: string[] }> {
  const codes = await demoCommunityCodes(ctx);
  if (codes.length === 0) return { worker: null, adminCommunities: [] };
  const adminCommunities: string[] = [];
  if (input.adminLogin) {
    const admin = await ctx.prisma.consoleUser.findUnique({ where: { login: input.adminLogin }, select: { personId: true } });
    if (admin) {
      for (const code of codes) {
        await grantScopedRole(ctx, { personId: admin.personId, role: 'worker', scope: { community: code }, actorId: null, via: 'cli' });
        adminCommunities.push(code);
      }
    }
  }
  const identity = await ctx.prisma.identity.findUnique({ where: { platform_externalId: { platform: 'web', externalId: 'wang-shuji' } }, select: { personId: true } });
  const hasAccount = await ctx.prisma.consoleUser.findFirst({
    where: { OR: [{ login: demoWorkerLogin }, ...(identity ? [{ personId: identity.personId }] : [])] },
    select: { id: true },
  });
  if (hasAccount) return { worker: null, adminCommunities };
  try {
    const r = await createConsoleUser(ctx, {
      login: demoWorkerLogin,
      name: '王书记',
      identity: { platform: 'web', user: 'wang-shuji' },
      grants: codes.includes('HT01') ? [{ role: 'worker', scope: { community: 'HT01' } }] : [],
      actorId: null,
      via: 'cli',
    });
    return { worker: r.password ? { login: r.user.login, password: r.password } : null, adminCommunities };
  } catch (e) {
    // Another process made it at the same moment.
    if (e instanceof AppError && e.code === 'CONFLICT') return { worker: null, adminCommunities };
    throw e;
  }
}
