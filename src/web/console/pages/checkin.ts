import type { FastifyInstance, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { AppError } from '../../../lib/errors.ts';
import { formatShiftTime } from '../../../lib/time.ts';
import { checkinCodeFor } from '../../../core/checkins/check-in.ts';
import { html } from '../html.ts';
import { communityOf, sendPage, signedIn, type ConsoleRuntime } from '../context.ts';
import { page } from '../layout.ts';

function projectNumber(req: FastifyRequest): number {
  const n = Number((req.params as { number?: string }).number);
  if (!Number.isInteger(n) || n < 1 || n > 2_147_483_647) throw new AppError('PROJECT_NOT_FOUND', { number: 0 });
  return n;
}

/**
 * The current check-in code of a project's shift (src/core/checkins: a TOTP over the shift's
 * secret), as a QR code rendered here as an SVG data URL. The QR holds the very message a
 * volunteer sends, `签到 N 123456`, so scanning it in WeChat gives text to paste into the chat.
 */
async function currentCheckin(rt: ConsoleRuntime, req: FastifyRequest) {
  const s = signedIn(req);
  const community = communityOf(req);
  const number = projectNumber(req);
  const c = await checkinCodeFor(rt.ctx, { communityId: community.id, projectNumber: number, actorId: s.user.personId });
  const message = `签到 ${c.project.number} ${c.code}`;
  const svg = await QRCode.toString(message, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#111827', light: '#ffffff' } });
  return {
    project: c.project,
    shift: { label: c.shift.label, time: formatShiftTime(c.shift.startsAt, c.shift.endsAt, community.timezone, s.locale) },
    open: c.open,
    code: c.code,
    message,
    qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
    rotatesAt: c.rotatesAt.getTime(),
    validUntil: c.validUntil.getTime(),
    periodSeconds: c.periodSeconds,
  };
}

/** The check-in screen to project at the event: a large QR and the code, rotating by itself. */
export function checkinRoutes(c: FastifyInstance, rt: ConsoleRuntime): void {
  c.get('/projects/:number/checkin', async (req, reply) => {
    const { t } = signedIn(req);
    const community = communityOf(req);
    const x = await currentCheckin(rt, req);
    const content = html`<section class="checkin" data-checkin="/console/c/${community.code}/projects/${x.project.number}/checkin.json" data-rotates="${x.rotatesAt}">
  <a class="checkin-back" href="/console/c/${community.code}/projects/${x.project.number}">← ${t('back')}</a>
  <h1>#${x.project.number} ${x.project.title}</h1>
  <p class="checkin-shift">${t('shift')} <span data-checkin-label>${x.shift.label}</span> · <span data-checkin-time>${x.shift.time}</span></p>
  ${x.open ? '' : html`<p class="flash info" data-checkin-closed>${t('checkinNotOpen')}</p>`}
  <img class="qr" src="${x.qr}" alt="${x.message}" width="420" height="420" data-checkin-qr data-testid="checkin-qr">
  <p class="checkin-code" data-checkin-code data-testid="checkin-code">${x.code}</p>
  <p class="checkin-how">${t('checkinHow', { number: x.project.number })}</p>
  <p class="muted small">${t('checkinRotates', { minutes: Math.round(x.periodSeconds / 60) })} <span data-checkin-countdown></span></p>
  <button type="button" class="btn ghost small" data-fullscreen>${t('fullscreen')}</button>
</section>`;
    return sendPage(reply, page(req, { title: `${t('checkinQr')} #${x.project.number}`, content, bare: true }));
  });

  c.get('/projects/:number/checkin.json', async (req, reply) => {
    const x = await currentCheckin(rt, req);
    return reply.header('cache-control', 'no-store').send({ code: x.code, qr: x.qr, message: x.message, label: x.shift.label, time: x.shift.time, open: x.open, rotatesAt: x.rotatesAt });
  });
}
