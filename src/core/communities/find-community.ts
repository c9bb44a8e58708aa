import type { CoreContext } from '../context.ts';

/** A community as a chat turn needs it (id, code, name, time zone, language); null when there is none. */
export async function communitySummary(ctx: CoreContext, id: number) {
  return ctx.prisma.community.findUnique({ where: { id }, select: { id: true, code: true, name: true, timezone: true, locale: true } });
}
