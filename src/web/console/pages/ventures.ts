import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { AppError } from '../../../lib/errors.ts';
import { listRounds, listStreetRounds, roundOverview } from '../../../core/ventures/round-overview.ts';
import { createRound } from '../../../core/ventures/create-round.ts';
import { changePhase } from '../../../core/ventures/change-phase.ts';
import { closeVoting } from '../../../core/ventures/close-voting.ts';
import { reviewProposal } from '../../../core/ventures/review-proposal.ts';
import { addProgress } from '../../../core/ventures/add-progress.ts';
import { plannedAt, schedulePhase, type PlannedPhase } from '../../../core/ventures/schedule-phase.ts';
import { parseLocal } from '../../../lib/time.ts';
import { minSpendFen, phaseIndex, phases, yuanOf, type RoundPhase } from '../../../core/ventures/rounds.ts';
import { ventureAnnouncer } from '../../../notices/venture-announce.ts';
import { html, raw } from '../html.ts';
import { act, communityOf, field, sendPage, signedIn, type ConsoleRuntime } from '../context.ts';
import { csrfField, empty, page, pill, postButton } from '../layout.ts';
import type { Key } from '../i18n.ts';

export const roundPhaseKey: Record<RoundPhase, Key> = {
  draft: 'rpDraft',
  collecting: 'rpCollecting',
  reviewing: 'rpReviewing',
  voting: 'rpVoting',
  results: 'rpResults',
  tracking: 'rpTracking',
  closed: 'rpClosed',
};
const proposalStatusKey = { submitted: 'prSubmitted', approved: 'prApproved', declined: 'prDeclined', winner: 'prWinner' } as const satisfies Record<string, Key>;

function roundNumber(req: FastifyRequest): number {
  const n = Number((req.params as { number?: string }).number);
  if (!Number.isInteger(n) || n < 1 || n > 2_147_483_647) throw new AppError('ROUND_NOT_FOUND', { number: 0 });
  return n;
}

function proposalNumber(req: FastifyRequest): number {
  const n = Number((req.params as { proposal?: string }).proposal);
  if (!Number.isInteger(n) || n < 1 || n > 2_147_483_647) throw new AppError('PROPOSAL_NOT_FOUND', { number: 0 });
  return n;
}

/** A positive whole number from a form field, or INVALID_INPUT naming the field. */
function wholeNumber(body: unknown, name: string, min: number, max: number): number {
  const v = field(body, name).replace(/[%％]$/, '');
  const n = Number(v);
  if (!/^\d{1,9}$/.test(v) || n < min || n > max) throw new AppError('INVALID_INPUT', { field: name, why: v.slice(0, 20) || '—' });
  return n;
}

/**
 * 微创投 in the console: the community's rounds (and a new one), and a round's page where workers
 * review proposals (the proposer is told in private), move the round on (each move announced to
 * the groups), see the live tallies (workers always; others only once the round shows them),
 * publish the results (closing the vote) and record the winners' progress (announced). Every
 * change is a core use case with the worker as actor, via 'console'; its effects are carried out.
 */
export function ventureRoutes(c: FastifyInstance, rt: ConsoleRuntime): void {
  c.get('/rounds', async (req, reply) => {
    const s = signedIn(req);
    const { t } = s;
    const community = communityOf(req);
    const base = `/console/c/${community.code}`;
    const rounds = await listRounds(rt.ctx, { communityId: community.id });
    const streetRounds = await listStreetRounds(rt.ctx, { communityId: community.id });
    const flash = await rt.sessions.takeFlash(s.session);
    const content = html`<div class="page-head"><h1>${t('roundsTitle')}</h1></div>
<p class="muted">${t('roundsLead')}</p>
${
  rounds.length
    ? html`<div class="table-wrap"><table class="table" data-testid="rounds-table"><thead><tr><th>${t('roundNo')}</th><th>${t('roundTitle')}</th><th>${t('status')}</th><th>${t('budget')}</th><th>${t('proposalsCol')}</th><th>${t('votersCol')}</th><th>${t('grantedCol')}</th></tr></thead><tbody>${rounds.map(
        (r) => html`<tr data-testid="round-row"><td class="num">${r.round.number}</td><td><a href="${base}/rounds/${r.round.number}">${r.round.title}</a></td><td>${pill(t(roundPhaseKey[r.round.phase]), r.round.phase)}</td><td class="num">${yuanOf(r.round.budgetFen)}</td><td class="num">${r.proposals}${r.waiting ? html` <span class="muted small">${t('waitingReviewN', { count: r.waiting })}</span>` : ''}</td><td class="num">${r.voters}</td><td class="num">${yuanOf(r.grantedFen)}</td></tr>`,
      )}</tbody></table></div>`
    : empty(t('noRounds'))
}
${
  streetRounds.length
    ? html`<section class="card" data-testid="street-rounds"><h2>${t('streetRoundsTitle', { street: streetRounds[0]?.street ?? '' })}</h2><p class="muted small">${t('streetRoundsLead')}</p>
<div class="table-wrap"><table class="table"><thead><tr><th>${t('roundNo')}</th><th>${t('roundTitle')}</th><th>${t('status')}</th><th>${t('budget')}</th><th>${t('proposalsCol')}</th><th>${t('votersCol')}</th></tr></thead><tbody>${streetRounds.map(
        (r) => html`<tr data-testid="street-round-row"><td class="num">${r.round.number}</td><td>${r.round.title}</td><td>${pill(t(roundPhaseKey[r.round.phase]), r.round.phase)}</td><td class="num">${yuanOf(r.round.budgetFen)}</td><td class="num">${r.proposals}</td><td class="num">${r.voters}</td></tr>`,
      )}</tbody></table></div></section>`
    : ''
}
${
  s.canWrite
    ? html`<form method="post" action="${base}/rounds" class="card form" data-testid="round-form">${csrfField(req)}
  <h2>${t('newRound')}</h2>
  <label>${t('roundTitle')}<input name="title" required maxlength="100"></label>
  <label>${t('budgetYuan')}<input type="number" name="budget" required min="1" max="10000000" inputmode="numeric"></label>
  <fieldset class="radios"><legend>${t('ballotStyle')}</legend>
    <label class="radio"><input type="radio" name="style" value="approval" checked> ${t('styleApproval')} <input type="number" name="votes" min="1" max="100" value="3" aria-label="${t('votesEach')}"></label>
    <label class="radio"><input type="radio" name="style" value="knapsack"> ${t('styleKnapsack')} <input type="number" name="minShare" min="0" max="100" value="0" aria-label="${t('minSharePct')}">%</label>
  </fieldset>
  <label>${t('minVotes')}<input type="number" name="minVotes" min="0" max="1000000" value="0" inputmode="numeric"></label>
  <label class="check"><input type="checkbox" name="hiddenTallies" value="1" checked> ${t('hiddenTallies')}</label>
  <div class="form-actions"><button class="btn primary" type="submit" data-testid="round-create">${t('createRound')}</button></div>
</form>`
    : ''
}`;
    return sendPage(reply, page(req, { title: t('roundsTitle'), content, active: 'rounds', flash }));
  });

  c.post('/rounds', async (req, reply) => {
    const s = signedIn(req);
    const community = communityOf(req);
    const base = `/console/c/${community.code}`;
    return act(req, reply, rt, `${base}/rounds`, async () => {
      const style = field(req.body, 'style') === 'knapsack' ? 'knapsack' : 'approval';
      const { round } = await createRound(rt.ctx, {
        communityId: community.id,
        title: field(req.body, 'title').slice(0, 100),
        budgetYuan: wholeNumber(req.body, 'budget', 1, 10_000_000),
        style,
        ...(style === 'approval' ? { maxVotes: wholeNumber(req.body, 'votes', 1, 100) } : { minShare: wholeNumber(req.body, 'minShare', 0, 100) / 100 }),
        minVotes: wholeNumber(req.body, 'minVotes', 0, 1_000_000),
        hiddenTallies: field(req.body, 'hiddenTallies') === '1',
        actorId: s.user.personId,
        via: 'console',
      });
      return { ok: s.t('roundCreated', { number: round.number }), to: `${base}/rounds/${round.number}` };
    });
  });

  c.get('/rounds/:number', async (req, reply) => {
    const s = signedIn(req);
    const { t } = s;
    const community = communityOf(req);
    const number = roundNumber(req);
    const base = `/console/c/${community.code}`;
    const here = `${base}/rounds/${number}`;
    const o = await roundOverview(rt.ctx, { communityId: community.id, number, viewerId: s.user.personId });
    const r = o.round;
    const w = s.canWrite && o.worker;
    const reviewing = r.phase === 'collecting' || r.phase === 'reviewing';
    const tracking = r.phase === 'results' || r.phase === 'tracking';
    const fmt = (d: Date | null) => (d ? DateTime.fromJSDate(d, { zone: community.timezone }).toFormat('yyyy-MM-dd HH:mm') : '');
    const flash = await rt.sessions.takeFlash(s.session);
    const rule =
      r.ballotStyle === 'approval'
        ? t('ruleApproval', { max: r.maxVotes ?? 1 })
        : t('ruleKnapsack', { budget: yuanOf(r.budgetFen), min: yuanOf(minSpendFen(r)) });
    // The phases still ahead, with their planned dates (round schedule); workers may set or clear them.
    const ahead = (Object.keys(plannedAt) as PlannedPhase[]).filter((p) => phaseIndex(p) > phaseIndex(r.phase));
    const planCard = () =>
      ahead.length && (w || ahead.some((p) => r[plannedAt[p]]))
        ? html`<section class="card" data-testid="plan"><h2>${t('planTitle')}</h2><p class="muted small">${t('planNote')}</p>
<table class="table"><tbody>${ahead.map((p) => {
            const at = r[plannedAt[p]];
            return html`<tr data-testid="plan-${p}"><td>${t(roundPhaseKey[p])}</td><td>${at ? fmt(at) : html`<span class="muted">${t('planNone')}</span>`}</td><td>${
              w
                ? html`<form method="post" action="${here}/schedule" class="inline-form">${csrfField(req)}<input type="hidden" name="phase" value="${p}"><input type="datetime-local" name="at" required value="${at ? DateTime.fromJSDate(at, { zone: community.timezone }).toFormat("yyyy-MM-dd'T'HH:mm") : ''}" aria-label="${t(roundPhaseKey[p])}"><button class="btn small" type="submit" data-testid="plan-save-${p}">${t('planSave')}</button></form>${
                    at ? postButton(req, `${here}/schedule`, t('planClear'), { cls: 'btn ghost small', hidden: { phase: p, clear: '1' }, testid: `plan-clear-${p}` }) : ''
                  }`
                : ''
            }</td></tr>`;
          })}</tbody></table></section>`
        : '';
    const ordered = o.withTallies ? [...o.proposals].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.number - b.number) : o.proposals;
    const content = html`<div class="page-head"><h1><span class="num">${t('roundN', { number: r.number })}</span> <span data-testid="round-heading">${r.title}</span></h1>
  <div class="meta">${pill(t(roundPhaseKey[r.phase]), r.phase)}<span class="tag">${t('budget')} ${yuanOf(r.budgetFen)}</span><span class="tag ghost">${rule}</span></div></div>
<p class="muted small">${t('winnerRule', { min: r.minVotes })}${r.hiddenTallies ? ` ${t('talliesHiddenNote')}` : ''}</p>
<nav class="tabs">${phases
      .filter((p) => p !== 'draft')
      .map((p) => html`<span class="${p === r.phase ? 'on' : ''}">${t(roundPhaseKey[p])}</span>`)}</nav>
${
  w && o.moves.length
    ? html`<div class="actions-bar" data-testid="phase-actions">${o.moves.map((to) =>
        to === 'results'
          ? postButton(req, `${here}/close`, t('publishResults'), { cls: 'btn primary', confirm: t('publishResultsConfirm'), testid: 'publish-results' })
          : postButton(req, `${here}/phase`, t('moveTo', { status: t(roundPhaseKey[to]) }), { cls: 'btn ghost', hidden: { to }, testid: `phase-${to}` }),
      )}</div>`
    : ''
}
<dl class="kpis">
  <div><dt>${t('proposalsCol')}</dt><dd>${o.proposals.length}</dd></div>
  <div><dt>${t('votersCol')}</dt><dd data-testid="voters">${o.voters}</dd></div>
  <div><dt>${t('grantedCol')}</dt><dd>${yuanOf(o.proposals.reduce((a, p) => a + (p.grantFen ?? 0), 0))}</dd></div>
</dl>
${planCard()}
${o.withTallies && o.talliesHiddenFromResidents && r.phase === 'voting' ? html`<p class="flash info" data-testid="live-tallies">${t('liveTalliesNote')}</p>` : ''}
<section class="card" id="proposals"${r.phase === 'voting' && o.withTallies ? raw(' data-refresh="10000"') : ''}>
  <h2>${t('proposalsCol')}</h2>
  ${r.phase === 'voting' && o.withTallies ? html`<span hidden data-status="running"></span>` : ''}
  ${
    ordered.length
      ? html`<div class="table-wrap"><table class="table" data-testid="proposals-table"><thead><tr><th>#</th><th>${t('roundTitle')}</th><th>${t('proposer')}</th><th>${t('requested')}</th><th>${t('status')}</th>${o.withTallies ? html`<th>${t('votesCol')}</th>` : ''}<th></th></tr></thead><tbody>${ordered.map(
          (p) => html`<tr data-testid="proposal-row" data-number="${p.number}">
  <td class="num">${p.number}</td>
  <td><strong>${p.title}</strong>${p.description ? html`<div class="muted small prewrap">${p.description}</div>` : ''}${p.reviewReason ? html`<div class="small">${t('reviewReason')}: ${p.reviewReason}</div>` : ''}${
    p.project ? html`<div class="small"><a href="${base}/projects/${p.project.number}">${t('projectN', { number: p.project.number })}</a> · ${t('progressPct', { percent: p.progress })}</div>` : ''
  }</td>
  <td>${p.author}<div class="muted small">${fmt(p.createdAt)}</div></td>
  <td class="num">${yuanOf(p.requestedFen)}${p.grantFen !== null ? html`<div class="small">${t('grantYuan', { yuan: yuanOf(p.grantFen) })}</div>` : ''}</td>
  <td>${pill(t(proposalStatusKey[p.status]), p.status)}</td>
  ${o.withTallies ? html`<td class="num" data-testid="tally">${p.votes ?? '—'}</td>` : ''}
  <td>${
    w && reviewing
      ? html`${p.status !== 'approved' ? postButton(req, `${here}/proposals/${p.number}/review`, t('approve'), { cls: 'btn small', hidden: { decision: 'approve' }, testid: `approve-${p.number}` }) : ''}
    ${p.status !== 'declined' ? html`<form method="post" action="${here}/proposals/${p.number}/review" class="inline-form">${csrfField(req)}<input type="hidden" name="decision" value="decline"><input name="reason" required maxlength="200" placeholder="${t('declineReason')}" aria-label="${t('declineReason')}"><button class="btn ghost small" type="submit" data-testid="decline-${p.number}">${t('decline')}</button></form>` : ''}`
      : ''
  }${
    w && tracking && p.status === 'winner'
      ? html`<form method="post" action="${here}/proposals/${p.number}/progress" class="form compact" data-testid="progress-${p.number}">${csrfField(req)}
    <label>${t('percent')}<input type="number" name="percent" min="0" max="100" required value="${p.progress}" inputmode="numeric"></label>
    <label>${t('milestone')}<input name="milestone" maxlength="60"></label>
    <label>${t('progressNote')}<input name="note" maxlength="300"></label>
    <button class="btn small" type="submit">${t('recordProgress')}</button></form>`
      : ''
  }${
    p.updates.length
      ? html`<ul class="list small" data-testid="updates">${p.updates.map((u) => html`<li>${fmt(u.createdAt)} · ${u.percent}%${u.milestone ? html` · <strong>${u.milestone}</strong>` : ''}${u.note ? html` · ${u.note}` : ''}</li>`)}</ul>`
      : ''
  }</td>
</tr>`,
        )}</tbody></table></div>`
      : empty(t('noProposals'))
  }
</section>
<p><a href="${base}/rounds">← ${t('roundsTitle')}</a> · <a href="${base}/exports">${t('navExports')}</a></p>`;
    return sendPage(reply, page(req, { title: `${t('roundN', { number: r.number })} ${r.title}`, content, active: 'rounds', flash, wide: true }));
  });

  /** A form posted on a round's page: back to that page (at `anchor`) with the flash `run` returns. */
  const roundAction = (path: string, anchor: string, run: (req: FastifyRequest, s: ReturnType<typeof signedIn>, community: ReturnType<typeof communityOf>, number: number) => Promise<string>) =>
    c.post(path, async (req, reply) => {
      const s = signedIn(req);
      const community = communityOf(req);
      const number = roundNumber(req);
      return act(req, reply, rt, `/console/c/${community.code}/rounds/${number}${anchor}`, () => run(req, s, community, number));
    });

  roundAction('/rounds/:number/proposals/:proposal/review', '#proposals', async (req, s, community, number) => {
    const proposal = proposalNumber(req);
    const decision = field(req.body, 'decision');
    if (decision !== 'approve' && decision !== 'decline') throw new AppError('INVALID_INPUT', { field: 'decision', why: decision.slice(0, 20) });
    const r = await reviewProposal(rt.ctx, {
      communityId: community.id,
      round: number,
      number: proposal,
      approve: decision === 'approve',
      reason: field(req.body, 'reason').slice(0, 200),
      actorId: s.user.personId,
      via: 'console',
    });
    await rt.effects.apply(r.effects);
    return s.t(decision === 'approve' ? 'proposalApprovedFlash' : 'proposalDeclinedFlash', { number: r.proposal.number, title: r.proposal.title });
  });

  roundAction('/rounds/:number/phase', '', async (req, s, community, number) => {
    const to = field(req.body, 'to');
    if (!(phases as readonly string[]).includes(to) || to === 'draft' || to === 'results') throw new AppError('INVALID_INPUT', { field: 'to', why: to.slice(0, 20) });
    const r = await changePhase(rt.ctx, { communityId: community.id, round: number, to: to as Exclude<RoundPhase, 'draft'>, actorId: s.user.personId, via: 'console' }, ventureAnnouncer);
    await rt.effects.apply(r.effects);
    return s.t(r.effects.length ? 'phaseMovedAnnounced' : 'phaseMoved', { phase: s.t(roundPhaseKey[r.round.phase]) });
  });

  roundAction('/rounds/:number/schedule', '', async (req, s, community, number) => {
    const phase = field(req.body, 'phase');
    if (!(phase in plannedAt)) throw new AppError('INVALID_INPUT', { field: 'phase', why: phase.slice(0, 20) });
    const clear = field(req.body, 'clear') === '1';
    // A datetime-local value, "2027-03-01T09:00", in the community's time zone.
    const typed = field(req.body, 'at').trim();
    const at = clear ? null : /^\d{4}-\d{2}-\d{2}T\d{1,2}:\d{2}$/.test(typed) ? parseLocal(typed.replace('T', ' '), community.timezone) : null;
    if (!clear && !at) throw new AppError('INVALID_INPUT', { field: 'at', why: typed.slice(0, 20) });
    await schedulePhase(rt.ctx, { communityId: community.id, round: number, phase: phase as PlannedPhase, at, actorId: s.user.personId, via: 'console' });
    const phaseName = s.t(roundPhaseKey[phase as PlannedPhase]);
    return at ? s.t('planSaved', { phase: phaseName, at: DateTime.fromJSDate(at, { zone: community.timezone }).toFormat('yyyy-MM-dd HH:mm') }) : s.t('planCleared', { phase: phaseName });
  });

  roundAction('/rounds/:number/close', '', async (_req, s, community, number) => {
    const r = await closeVoting(rt.ctx, { communityId: community.id, round: number, actorId: s.user.personId, via: 'console' }, ventureAnnouncer);
    await rt.effects.apply(r.effects);
    const winners = r.ranking.filter((p) => p.winner).map((p) => `#${p.number}`);
    return s.t('resultsPublished', { winners: winners.length ? winners.join(' ') : '—' });
  });

  roundAction('/rounds/:number/proposals/:proposal/progress', '#proposals', async (req, s, community, number) => {
    const proposal = proposalNumber(req);
    const r = await addProgress(
      rt.ctx,
      {
        communityId: community.id,
        round: number,
        number: proposal,
        percent: wholeNumber(req.body, 'percent', 0, 100),
        milestone: field(req.body, 'milestone').slice(0, 60),
        note: field(req.body, 'note').slice(0, 300),
        actorId: s.user.personId,
        via: 'console',
      },
      ventureAnnouncer,
    );
    await rt.effects.apply(r.effects);
    return s.t('progressRecorded', { number: r.proposal.number, percent: r.update.percent });
  });
}
