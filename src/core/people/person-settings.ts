import type { CoreContext } from '../context.ts';

/** The person's language from now on, on every platform (`语言 繁体`). */
export async function setLocale(ctx: CoreContext, personId: number, locale: 'zh-Hans' | 'zh-Hant' | 'en'): Promise<void> {
  await ctx.prisma.person.update({ where: { id: personId }, data: { locale } });
}

/** A person acting in a bound group makes that community their home for private chat. */
export async function setHomeCommunity(ctx: CoreContext, personId: number, communityId: number): Promise<void> {
  await ctx.prisma.person.update({ where: { id: personId }, data: { homeCommunityId: communityId } });
}
