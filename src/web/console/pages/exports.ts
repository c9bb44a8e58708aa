import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { AppError } from '../../../lib/errors.ts';
import { recordFullExport } from '../../../core/audit/record-full-export.ts';
import { html } from '../html.ts';
import { act, communityOf, field, sendPage, signedIn, type ConsoleRuntime } from '../context.ts';
import { csrfField, page } from '../layout.ts';
import type { Key } from '../i18n.ts';
import { exportKinds, exportKindsWithPhones, exportSheet, toCsv, toXlsx, voteAuditSheet, type ExportKind, type Sheet } from '../export-data.ts';
import { auditedVoteExport } from '../../../core/ventures/vote-audit.ts';
import { isCommunityAdmin } from '../../../core/roles/is-admin.ts';
import { needFilter } from './needs.ts';

const kindKey: Record<ExportKind, Key> = {
  needs: 'exportNeeds',
  signups: 'exportSignUps',
  hours: 'exportHours',
  evaluations: 'exportEvaluations',
  proposals: 'exportProposals',
  ballots: 'exportBallots',
  results: 'exportResults',
};

function target(req: FastifyRequest): { kind: ExportKind; format: 'xlsx' | 'csv' } {
  const p = req.params as { file?: string };
  const m = /^([a-z]+)\.(xlsx|csv)$/.exec(p.file ?? '');
  if (!m || !(exportKinds as readonly string[]).includes(m[1] ?? '')) throw new AppError('INVALID_INPUT', { field: 'file', why: String(p.file ?? '').slice(0, 40) });
  return { kind: m[1] as ExportKind, format: m[2] as 'xlsx' | 'csv' };
}

async function sendExport(rt: ConsoleRuntime, req: FastifyRequest, reply: FastifyReply, full: boolean, reason = '') {
  const s = signedIn(req);
  const community = communityOf(req);
  const { kind, format } = target(req);
  const query = req.query as Record<string, unknown>;
  if (full && !exportKindsWithPhones.includes(kind)) throw new AppError('INVALID_INPUT', { field: 'file', why: kind });
  const sheet = await exportSheet(rt.ctx, community, kind, { full, worker: s.canWrite, needFilter: kind === 'needs' ? needFilter({ status: 'all', ...query }) : undefined });
  if (full) {
    // Recorded before the file leaves (and refused for anyone but a worker of the community).
    await recordFullExport(rt.ctx, { communityId: community.id, actorId: s.user.personId, kind, format, rows: sheet.rows.length, reason, via: 'console' });
  }
  return sendSheet(rt, req, reply, sheet, { kind, format, suffix: full ? ['-full', '-完整'] : ['', ''] });
}

async function sendSheet(rt: ConsoleRuntime, req: FastifyRequest, reply: FastifyReply, sheet: Sheet, o: { kind: string; format: 'xlsx' | 'csv'; suffix: [string, string] }) {
  const s = signedIn(req);
  const community = communityOf(req);
  const { kind, format } = o;
  const day = DateTime.fromJSDate(rt.ctx.clock.now(), { zone: community.timezone }).toFormat('yyyyMMdd');
  const ascii = `${kind}-${community.code}-${day}${o.suffix[0]}.${format}`;
  const pretty = `${sheet.name}-${community.name}-${day}${o.suffix[1]}.${format}`;
  reply.header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(pretty)}`);
  reply.header('cache-control', 'no-store');
  if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(toCsv(sheet));
  const body = await toXlsx(sheet, { title: pretty, creator: `Linli · ${s.user.name}` });
  return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(body);
}

/** Exports (XLSX, CSV) of needs, sign-ups, the hours ledger and evaluations; phones masked unless a full, audited export. */
export function exportRoutes(c: FastifyInstance, rt: ConsoleRuntime): void {
  c.get('/exports', async (req, reply) => {
    const s = signedIn(req);
    const { t } = s;
    const community = communityOf(req);
    const base = `/console/c/${community.code}`;
    const flash = await rt.sessions.takeFlash(s.session);
    const admin = await isCommunityAdmin(rt.ctx, s.user.personId, community.id);
    const content = html`<div class="page-head"><h1>${t('exportsTitle')}</h1></div>
<p class="muted">${t('exportsLead')}</p>
<div class="grid two">${exportKinds.map(
      (k) => html`<section class="card export-card"><h2>${t(kindKey[k])}</h2>
  <p><a class="btn" href="${base}/exports/${k}.xlsx" data-testid="export-${k}-xlsx" download>${t('downloadXlsx')}</a> <a class="btn ghost" href="${base}/exports/${k}.csv" data-testid="export-${k}-csv" download>${t('downloadCsv')}</a></p>
  ${
    s.canWrite && exportKindsWithPhones.includes(k)
      ? html`<details><summary>${t('fullExport')}</summary><form method="post" action="${base}/exports/${k}.xlsx" class="form">${csrfField(req)}
      <p class="muted small">${t('fullExportWarning')}</p>
      <label>${t('fullExportReason')}<input name="reason" required maxlength="200"></label>
      <label class="check"><input type="checkbox" name="confirm" value="1" required> ${t('fullExportConfirm')}</label>
      <button class="btn danger" type="submit" data-testid="export-${k}-full">${t('downloadFull')}</button></form></details>`
      : ''
  }
</section>`,
    )}
${
  admin
    ? html`<section class="card export-card" data-testid="export-votes"><h2>${t('exportVotes')}</h2>
  <p class="muted small">${t('exportVotesLead')}</p>
  <form method="post" action="${base}/exports/votes.xlsx" class="form">${csrfField(req)}
    <label>${t('fullExportReason')}<input name="reason" required maxlength="200"></label>
    <label class="check"><input type="checkbox" name="confirm" value="1" required> ${t('fullExportConfirm')}</label>
    <button class="btn danger" type="submit" data-testid="export-votes-xlsx">${t('downloadXlsx')}</button>
    <button class="btn danger ghost" type="submit" formaction="${base}/exports/votes.csv" data-testid="export-votes-csv">${t('downloadCsv')}</button>
  </form></section>`
    : ''
}</div>`;
    return sendPage(reply, page(req, { title: t('exportsTitle'), content, active: 'exports', flash }));
  });

  c.get('/exports/:file', async (req, reply) => sendExport(rt, req, reply, false));

  c.post('/exports/:file', async (req, reply) => {
    const s = signedIn(req);
    const community = communityOf(req);
    const reason = field(req.body, 'reason');
    if (!reason || field(req.body, 'confirm') !== '1') {
      return act(req, reply, rt, `/console/c/${community.code}/exports`, async () => {
        throw new AppError('INVALID_INPUT', { field: 'reason', why: s.t('fullExportNeedsReason') });
      });
    }
    const votes = /^votes\.(xlsx|csv)$/.exec((req.params as { file?: string }).file ?? '');
    if (votes) {
      // Only an administrator of the community (NOT_AN_ADMIN: 403); recorded before the file leaves.
      const rows = await auditedVoteExport(rt.ctx, { communityId: community.id, actorId: s.user.personId, reason, via: 'console' });
      return sendSheet(rt, req, reply, voteAuditSheet(rows, community.timezone), { kind: 'votes', format: votes[1] as 'xlsx' | 'csv', suffix: ['-audit', '-审计'] });
    }
    return sendExport(rt, req, reply, true, reason);
  });
}
