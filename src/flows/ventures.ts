import { submitProposal, proposalTextMax, proposalTitleMax } from '../core/ventures/submit-proposal.ts';
import { reviewProposal } from '../core/ventures/review-proposal.ts';
import { castVotes, withdrawVote, type BallotState } from '../core/ventures/cast-votes.ts';
import { myBallot } from '../core/ventures/my-ballot.ts';
import { listProposals } from '../core/ventures/list-proposals.ts';
import { changePhase } from '../core/ventures/change-phase.ts';
import { closeVoting } from '../core/ventures/close-voting.ts';
import { addProgress } from '../core/ventures/add-progress.ts';
import { currentRound, ownerOf, yuanOf } from '../core/ventures/rounds.ts';
import type { Session } from '../core/sessions/session-store.ts';
import { ventureAnnouncer } from '../notices/venture-announce.ts';
import { parseYuan } from './parse/arguments.ts';
import type { MessageKey } from './messages.ts';
import type { Turn } from './turn.ts';

/** The flow behind a bare `提案`: title, then content, then the amount, one message each. */
export const proposeFlow = { name: 'venture.propose', version: 1, ttlMs: 15 * 60_000 } as const;

/** Lists are cut to this many lines in a group (one phone screen), more in private. */
const groupListLimit = 10;
const directListLimit = 50;

/** `提案 标题；内容；预算 2000`. */
export async function proposeTurn(turn: Turn, title: string, description: string, yuan: number): Promise<void> {
  const community = turn.requireCommunity();
  const r = await submitProposal(turn.ctx, { communityId: community.id, personId: turn.personId, title, description, requestedYuan: yuan });
  turn.reply(turn.say('proposalSubmitted', { number: r.proposal.number, title: r.proposal.title, yuan: yuanOf(r.proposal.requestedFen) }));
  turn.apply(r.effects);
}

/** A bare `提案`: while the round collects, ask for the title and wait for this person's answer. */
export async function askForProposal(turn: Turn): Promise<void> {
  const community = turn.requireCommunity();
  const round = await currentRound(turn.ctx, community.id);
  if (round.phase !== 'collecting') {
    turn.reply(turn.say('usage_propose'));
    return;
  }
  await saveStep(turn, 'title', {});
  turn.reply(turn.say('proposeAskTitle'));
}

/** The answers after a bare `提案`: the title, the content, the amount; then the proposal is made. */
export async function resumePropose(turn: Turn, session: Session): Promise<void> {
  const text = turn.text.trim();
  if (session.step === 'title') {
    await saveStep(turn, 'text', { title: Array.from(text).slice(0, proposalTitleMax).join('') });
    turn.reply(turn.say('proposeAskText'));
    return;
  }
  if (session.step === 'text') {
    await saveStep(turn, 'budget', { ...session.answers, text: Array.from(text).slice(0, proposalTextMax).join('') });
    turn.reply(turn.say('proposeAskBudget'));
    return;
  }
  const yuan = parseYuan(text);
  if (yuan === null) {
    turn.reply(turn.say('proposeBadBudget'));
    return;
  }
  await turn.sessions.clear(turn.sessionKey);
  await proposeTurn(turn, String(session.answers.title ?? ''), String(session.answers.text ?? ''), yuan);
}

async function saveStep(turn: Turn, step: string, answers: Record<string, string>): Promise<void> {
  await turn.sessions.set(turn.sessionKey, {
    flow: proposeFlow.name,
    version: proposeFlow.version,
    step,
    answers,
    expiresAt: new Date(turn.ctx.clock.now().getTime() + proposeFlow.ttlMs),
  });
}

/** `提案清单`: the round's proposals; votes only when the round shows them, the ranking after the vote. */
export async function listProposalsTurn(turn: Turn): Promise<void> {
  const community = turn.requireCommunity();
  const { round, proposals } = await listProposals(turn.ctx, { communityId: community.id, viewerId: turn.personId });
  const phase = turn.say(`phase_${round.phase}` as MessageKey);
  if (proposals.length === 0) {
    turn.reply(turn.say('proposalsEmpty', { title: round.title, collecting: round.phase === 'collecting' ? 1 : '' }));
    return;
  }
  const limit = turn.inGroup ? groupListLimit : directListLimit;
  const lines = [turn.say('proposalsHeader', { title: round.title, phase, budget: yuanOf(round.budgetFen) })];
  for (const p of proposals.slice(0, limit)) {
    const status = p.status === 'approved' ? '' : turn.say(`proposalStatus_${p.status}` as MessageKey);
    lines.push(turn.say('proposalsLine', { number: p.number, title: p.title, yuan: yuanOf(p.requestedFen), votes: p.votes ?? '', status }));
  }
  if (round.phase === 'voting') {
    lines.push(
      round.ballotStyle === 'approval'
        ? turn.say('proposalsVoteApproval', { max: round.maxVotes ?? 1 })
        : turn.say('proposalsVoteKnapsack', { budget: yuanOf(round.budgetFen) }),
    );
  }
  turn.reply(lines.join('\n'));
}

/** `投票 N [M …]`: votes, and says what is left of the ballot. */
export async function voteTurn(turn: Turn, numbers: number[]): Promise<void> {
  const community = turn.requireCommunity();
  const r = await castVotes(turn.ctx, { communityId: community.id, personId: turn.personId, numbers });
  const list = r.added.map((n) => `#${n}`).join('、');
  turn.reply(
    r.round.style === 'approval'
      ? turn.say('votedApproval', { list, left: r.votesLeft ?? 0 })
      : turn.say('votedKnapsack', { list, spent: yuanOf(r.spentFen), left: yuanOf(r.fenLeft ?? 0) }) + notCountingYet(turn, r),
  );
}

/** `撤销投票 N`. */
export async function unvoteTurn(turn: Turn, number: number): Promise<void> {
  const community = turn.requireCommunity();
  const r = await withdrawVote(turn.ctx, { communityId: community.id, personId: turn.personId, number });
  turn.reply(
    r.round.style === 'approval'
      ? turn.say('unvotedApproval', { number, left: r.votesLeft ?? 0 })
      : turn.say('unvotedKnapsack', { number, left: yuanOf(r.fenLeft ?? 0) }) + notCountingYet(turn, r),
  );
}

function notCountingYet(turn: Turn, r: BallotState): string {
  return r.fenToCount > 0 ? turn.say('voteNotCountingYet', { yuan: yuanOf(r.fenToCount) }) : '';
}

/** `我的投票`: the person's ballot, always in private. */
export async function myBallotTurn(turn: Turn): Promise<void> {
  const community = turn.requireCommunity();
  const { round, proposals, state } = await myBallot(turn.ctx, { communityId: community.id, personId: turn.personId });
  const lines: string[] = [];
  if (proposals.length === 0) lines.push(turn.say('ballotEmpty'));
  else {
    lines.push(turn.say('ballotHeader', { title: round.title }));
    for (const p of proposals) lines.push(turn.say('ballotLine', { number: p.number, title: p.title, yuan: yuanOf(p.requestedFen) }));
  }
  if (round.phase === 'voting') {
    lines.push(
      state.round.style === 'approval'
        ? turn.say('ballotLeftApproval', { left: state.votesLeft ?? 0 })
        : turn.say('ballotLeftKnapsack', { spent: yuanOf(state.spentFen), left: yuanOf(state.fenLeft ?? 0) }) + notCountingYet(turn, state),
    );
  }
  if (turn.inGroup) {
    turn.replyPrivately(lines.join('\n'));
    turn.reply(turn.say('ballotPrivately'));
  } else {
    turn.reply(lines.join('\n'));
  }
}

/** `审核提案 N 通过|不通过 原因` by a worker: the proposer is told in private. */
export async function reviewProposalTurn(turn: Turn, number: number, approve: boolean, reason: string): Promise<void> {
  const community = turn.requireCommunity();
  const r = await reviewProposal(turn.ctx, { communityId: community.id, number, approve, reason, actorId: turn.personId, via: 'chat' });
  turn.reply(turn.say('proposalReviewed', { approved: approve ? 1 : '', number: r.proposal.number, title: r.proposal.title }));
  turn.apply(r.effects);
}

/** `开始投票` by a worker: the current round moves to voting, announced to the groups. */
export async function openVotingTurn(turn: Turn): Promise<void> {
  const community = turn.requireCommunity();
  const round = await currentRound(turn.ctx, community.id);
  // The community's own round or its street's: the worker must be one for that round.
  const r = await changePhase(turn.ctx, { ...ownerOf(round), round: round.number, to: 'voting', actorId: turn.personId, via: 'chat' }, ventureAnnouncer);
  turn.reply(turn.say('phaseChanged', { round: r.round.number, title: r.round.title, phase: turn.say('phase_voting'), groups: r.effects.length ? 1 : '' }));
  turn.apply(r.effects);
}

/** `结束投票` by a worker: the tally; winners become projects; the results go to the groups. */
export async function closeVotingTurn(turn: Turn): Promise<void> {
  const community = turn.requireCommunity();
  const r = await closeVoting(turn.ctx, { communityId: community.id, actorId: turn.personId, via: 'chat' }, ventureAnnouncer);
  const winners = r.ranking.filter((x) => x.winner).map((x) => `#${x.number}`).join('、');
  turn.reply(turn.say('votingClosed', { title: r.round.title, winners, groups: r.effects.some((e) => e.kind === 'broadcastScheduled') ? 1 : '' }));
  turn.apply(r.effects);
}

/** `提案进度 N 50% 说明` by a worker: recorded and announced to the groups. */
export async function progressTurn(turn: Turn, number: number, percent: number, note: string): Promise<void> {
  const community = turn.requireCommunity();
  const r = await addProgress(turn.ctx, { communityId: community.id, number, percent, note, actorId: turn.personId, via: 'chat' }, ventureAnnouncer);
  turn.reply(turn.say('progressAdded', { number, percent, groups: r.effects.length ? 1 : '' }));
  turn.apply(r.effects);
}
