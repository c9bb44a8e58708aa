import type { SendEffect } from '../core/effects.ts';
import type { GroupOffer } from '../core/substitutes/offer-to-groups.ts';
import { isLocale, t } from '../flows/messages.ts';
import { formatShiftTime } from '../lib/time.ts';

/**
 * A 找人替班 offer in the community's groups, in the community's language: what, when, where and
 * the word to take it (`接班 P`); never who asked. One message per group, keyed by the request and
 * the group, so a repeated job queues each once. Pure.
 */
export function substituteGroupMessages(offer: GroupOffer): SendEffect[] {
  const locale = isLocale(offer.locale) ? offer.locale : 'zh-Hans';
  const text = t(locale, 'substituteGroupOffer', {
    number: offer.project.number,
    title: offer.project.title,
    label: offer.shift.label,
    time: formatShiftTime(offer.shift.startsAt, offer.shift.endsAt, offer.timezone, locale),
    place: offer.shift.place,
  });
  return offer.groups.map((g) => ({ kind: 'send', key: `subst-group:${offer.requestId}:${g.id}`, to: g.to, message: { text } }));
}
