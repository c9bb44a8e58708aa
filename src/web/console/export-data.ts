import { DateTime } from 'luxon';
import type { CoreContext } from '../../core/context.ts';
import type { VisibleCommunity } from '../../core/roles/communities-visible-to.ts';
import { evaluateProject } from '../../core/evaluation/evaluate-project.ts';
import { labelOf } from '../../flows/messages.ts';
import { maskPersonalData } from '../../lib/mask.ts';
import { countVotes } from '../../core/ventures/tally.ts';
import { talliesVisible, yuanOf } from '../../core/ventures/rounds.ts';
import type { AuditedVote } from '../../core/ventures/vote-audit.ts';
import { needWhere, type NeedFilter } from './pages/needs.ts';

export const exportKinds = ['needs', 'signups', 'hours', 'evaluations', 'proposals', 'ballots', 'results'] as const;
export type ExportKind = (typeof exportKinds)[number];
/** The exports with phone numbers, which a worker may also take unmasked (audited). */
export const exportKindsWithPhones: readonly ExportKind[] = ['needs', 'signups', 'hours'];

/** A sheet: Chinese column headers and rows of plain values. */
export interface Sheet {
  name: string;
  columns: Array<{ header: string; width: number }>;
  rows: Array<Array<string | number | null>>;
}

const needStatus: Record<string, string> = { open: '待解决', in_project: '已立项', merged: '已合并', resolved: '已解决', rejected: '不予处理', referred: '已转交' };
const signUpStatus: Record<string, string> = { confirmed: '已报名', waitlisted: '候补', cancelled: '已取消', attended: '已到场', no_show: '缺席' };
const hoursStatus: Record<string, string> = { pending: '待审核', approved: '已通过', rejected: '未通过' };
const reasonLabel: Record<string, string> = { checkout: '签到签退', attended: '到场（按班次时长）', manual: '人工登记', correction: '更正' };
const roundPhase: Record<string, string> = { draft: '草稿', collecting: '征集提案', reviewing: '审核中', voting: '投票中', results: '公布结果', tracking: '项目实施', closed: '已结束' };
const proposalStatus: Record<string, string> = { submitted: '待审核', approved: '已通过', declined: '未通过', winner: '入选' };
const projectStatus: Record<string, string> = { draft: '草稿', review: '待审', published: '已发布', in_progress: '进行中', closed: '已结项', evaluated: '已评估', declined: '未立项' };

/**
 * The rows of an export, always within one community. Phone numbers are masked (138****5678)
 * unless `full` (a full export, which the caller audits). Values are plain text and numbers; the
 * writers below make them XLSX or CSV.
 */
export async function exportSheet(
  ctx: CoreContext,
  community: VisibleCommunity,
  kind: ExportKind,
  opts: { full: boolean; needFilter?: NeedFilter; /** A worker of the community: sees tallies a round still hides from residents. */ worker?: boolean },
): Promise<Sheet> {
  const zone = community.timezone;
  const when = (d: Date | null | undefined) => (d ? DateTime.fromJSDate(d, { zone }).toFormat('yyyy-MM-dd HH:mm') : '');
  const phone = (p: string | null | undefined) => (p ? (opts.full ? p : maskPersonalData(p)) : '');
  switch (kind) {
    case 'needs': {
      const where = opts.needFilter ? needWhere(community.id, opts.needFilter, zone) : { communityId: community.id };
      const needs = await ctx.prisma.need.findMany({
        where,
        orderBy: { number: 'asc' },
        take: 100_000,
        include: { author: { select: { displayName: true } }, group: { select: { title: true } }, mergedInto: { select: { number: true } }, projects: { select: { project: { select: { number: true } } } } },
      });
      return {
        name: '需求清单',
        columns: [
          { header: '编号', width: 8 },
          { header: '分类', width: 12 },
          { header: '内容', width: 50 },
          { header: '状态', width: 10 },
          { header: '同求人数', width: 10 },
          { header: '登记人', width: 12 },
          { header: '来源群', width: 18 },
          { header: '联系电话', width: 16 },
          { header: '登记时间', width: 18 },
          { header: '合并到', width: 8 },
          { header: '所属项目', width: 12 },
        ],
        rows: needs.map((n) => [
          n.number,
          labelOf(n.category, 'zh-Hans'),
          n.text,
          needStatus[n.status] ?? n.status,
          n.supportCount,
          n.author.displayName,
          n.group?.title ?? '',
          phone(n.contactPhone),
          when(n.createdAt),
          n.mergedInto ? `#${n.mergedInto.number}` : '',
          n.projects.map((p) => `#${p.project.number}`).join(' '),
        ]),
      };
    }
    case 'signups': {
      const signUps = await ctx.prisma.signUp.findMany({
        where: { shift: { project: { communityId: community.id } } },
        orderBy: [{ shift: { project: { number: 'asc' } } }, { shift: { label: 'asc' } }, { createdAt: 'asc' }],
        take: 200_000,
        include: {
          person: { select: { displayName: true, phone: true } },
          checkIn: { select: { checkedInAt: true, checkedOutAt: true } },
          shift: { select: { label: true, startsAt: true, endsAt: true, place: true, project: { select: { number: true, title: true } } } },
        },
      });
      return {
        name: '报名名单',
        columns: [
          { header: '项目编号', width: 10 },
          { header: '项目名称', width: 24 },
          { header: '班次', width: 6 },
          { header: '开始时间', width: 18 },
          { header: '结束时间', width: 18 },
          { header: '地点', width: 18 },
          { header: '志愿者', width: 12 },
          { header: '联系电话', width: 16 },
          { header: '状态', width: 8 },
          { header: '候补位次', width: 10 },
          { header: '报名时间', width: 18 },
          { header: '签到时间', width: 18 },
          { header: '签退时间', width: 18 },
        ],
        rows: signUps.map((u) => [
          u.shift.project.number,
          u.shift.project.title,
          u.shift.label,
          when(u.shift.startsAt),
          when(u.shift.endsAt),
          u.shift.place,
          u.person.displayName,
          phone(u.person.phone),
          signUpStatus[u.status] ?? u.status,
          u.status === 'waitlisted' ? u.waitlistPosition : null,
          when(u.createdAt),
          when(u.checkIn?.checkedInAt),
          when(u.checkIn?.checkedOutAt),
        ]),
      };
    }
    case 'hours': {
      const entries = await ctx.prisma.hoursEntry.findMany({
        where: { project: { communityId: community.id } },
        orderBy: { id: 'asc' },
        take: 200_000,
        include: { person: { select: { displayName: true, phone: true } }, project: { select: { number: true, title: true } }, shift: { select: { label: true } } },
      });
      const approvers = await ctx.prisma.person.findMany({
        where: { id: { in: [...new Set(entries.flatMap((e) => (e.approvedById === null ? [] : [e.approvedById])))] } },
        select: { id: true, displayName: true },
      });
      return {
        name: '志愿时长台账',
        columns: [
          { header: '记录号', width: 8 },
          { header: '志愿者', width: 12 },
          { header: '联系电话', width: 16 },
          { header: '项目编号', width: 10 },
          { header: '项目名称', width: 24 },
          { header: '班次', width: 6 },
          { header: '时长（小时）', width: 12 },
          { header: '状态', width: 8 },
          { header: '说明', width: 16 },
          { header: '更正记录号', width: 10 },
          { header: '审核人', width: 12 },
          { header: '审核时间', width: 18 },
          { header: '登记时间', width: 18 },
        ],
        rows: entries.map((e) => [
          e.id,
          e.person.displayName,
          phone(e.person.phone),
          e.project?.number ?? null,
          e.project?.title ?? '',
          e.shift?.label ?? '',
          Number(e.hours),
          hoursStatus[e.status] ?? e.status,
          reasonLabel[e.reason] ?? e.reason,
          e.correctsId,
          approvers.find((a) => a.id === e.approvedById)?.displayName ?? '',
          when(e.approvedAt),
          when(e.createdAt),
        ]),
      };
    }
    case 'evaluations': {
      const projects = await ctx.prisma.project.findMany({ where: { communityId: community.id }, orderBy: { number: 'asc' }, take: 5000, select: { number: true, category: true, publishedAt: true, closedAt: true } });
      const rows: Sheet['rows'] = [];
      for (const p of projects) {
        const e = await evaluateProject(ctx, { communityId: community.id, number: p.number });
        rows.push([
          e.number,
          e.title,
          p.category ? labelOf(p.category, 'zh-Hans') : '',
          projectStatus[e.status] ?? e.status,
          when(p.publishedAt),
          when(p.closedAt),
          e.shifts,
          e.signUps,
          e.attended,
          e.noShows,
          e.attendanceRate === null ? null : Math.round(e.attendanceRate * 1000) / 10,
          e.approvedHours,
          e.pendingHours,
          e.peopleServed,
          e.rating.count,
          e.rating.average === null ? null : Math.round(e.rating.average * 100) / 100,
        ]);
      }
      return {
        name: '项目评估',
        columns: [
          { header: '项目编号', width: 10 },
          { header: '项目名称', width: 24 },
          { header: '分类', width: 12 },
          { header: '状态', width: 8 },
          { header: '发布时间', width: 18 },
          { header: '结项时间', width: 18 },
          { header: '班次数', width: 8 },
          { header: '报名人数', width: 10 },
          { header: '到场人数', width: 10 },
          { header: '缺席人数', width: 10 },
          { header: '出勤率（%）', width: 12 },
          { header: '认定时长（小时）', width: 16 },
          { header: '待审时长（小时）', width: 16 },
          { header: '受益人次', width: 10 },
          { header: '评价人数', width: 10 },
          { header: '平均评分', width: 10 },
        ],
        rows,
      };
    }
    case 'proposals':
    case 'ballots':
    case 'results':
      return ventureSheet(ctx, community, kind, opts.worker ?? false, when);
  }
}

/**
 * 微创投 exports, every round of the community: the proposals; the ballot counts per proposal
 * (how many votes each got, counted as the tally counts them, and all cast; never who voted for
 * what); and the results of the rounds whose vote is over (rank, winners, grants, projects). A
 * round still voting with hidden tallies shows its counts only to the community's workers.
 */
async function ventureSheet(ctx: CoreContext, community: VisibleCommunity, kind: 'proposals' | 'ballots' | 'results', worker: boolean, when: (d: Date | null | undefined) => string): Promise<Sheet> {
  const rounds = await ctx.prisma.proposalRound.findMany({ where: { communityId: community.id }, orderBy: { number: 'asc' }, take: 1000 });
  if (kind === 'proposals') {
    const proposals = await ctx.prisma.proposal.findMany({
      where: { roundId: { in: rounds.map((r) => r.id) } },
      orderBy: [{ round: { number: 'asc' } }, { number: 'asc' }],
      take: 100_000,
      include: { author: { select: { displayName: true } }, project: { select: { number: true } }, round: { select: { number: true, title: true } } },
    });
    return {
      name: '微创投提案',
      columns: [
        { header: '轮次', width: 6 },
        { header: '活动名称', width: 20 },
        { header: '提案编号', width: 10 },
        { header: '标题', width: 24 },
        { header: '内容', width: 50 },
        { header: '提案人', width: 12 },
        { header: '申请金额（元）', width: 14 },
        { header: '状态', width: 8 },
        { header: '审核意见', width: 30 },
        { header: '提交时间', width: 18 },
        { header: '审核时间', width: 18 },
        { header: '资助金额（元）', width: 14 },
        { header: '项目编号', width: 10 },
        { header: '进度（%）', width: 10 },
      ],
      rows: proposals.map((p) => [
        p.round.number,
        p.round.title,
        p.number,
        p.title,
        p.description,
        p.author.displayName,
        yuanOf(p.requestedFen),
        proposalStatus[p.status] ?? p.status,
        p.reviewReason,
        when(p.createdAt),
        when(p.reviewedAt),
        p.grantFen === null ? null : yuanOf(p.grantFen),
        p.project?.number ?? null,
        p.status === 'winner' ? p.progress : null,
      ]),
    };
  }
  const rows: Sheet['rows'] = [];
  for (const r of rounds) {
    if (kind === 'results' && !['results', 'tracking', 'closed'].includes(r.phase)) continue;
    if (kind === 'ballots' && (r.phase === 'draft' || r.phase === 'collecting' || r.phase === 'reviewing')) continue;
    const show = worker || talliesVisible(r);
    const ranking = await countVotes(ctx.prisma, r);
    if (kind === 'ballots') {
      const cast = await ctx.prisma.vote.groupBy({ by: ['proposalId'], where: { roundId: r.id }, _count: { _all: true } });
      const castBy = new Map(cast.map((c) => [c.proposalId, c._count._all]));
      for (const p of [...ranking].sort((a, b) => a.number - b.number)) {
        rows.push([r.number, r.title, roundPhase[r.phase] ?? r.phase, p.number, p.title, show ? p.votes : null, show ? (castBy.get(p.id) ?? 0) : null]);
      }
      continue;
    }
    const details = await ctx.prisma.proposal.findMany({ where: { roundId: r.id }, select: { id: true, grantFen: true, progress: true, project: { select: { number: true, status: true } } } });
    const byId = new Map(details.map((d) => [d.id, d]));
    ranking.forEach((p, i) => {
      const d = byId.get(p.id);
      const won = p.status === 'winner';
      rows.push([
        r.number,
        r.title,
        i + 1,
        p.number,
        p.title,
        p.votes,
        yuanOf(p.requestedFen),
        won ? '入选' : '',
        won && d?.grantFen != null ? yuanOf(d.grantFen) : null,
        d?.project?.number ?? null,
        d?.project ? (projectStatus[d.project.status] ?? d.project.status) : '',
        won ? (d?.progress ?? 0) : null,
      ]);
    });
  }
  if (kind === 'ballots') {
    return {
      name: '微创投票数',
      columns: [
        { header: '轮次', width: 6 },
        { header: '活动名称', width: 20 },
        { header: '阶段', width: 10 },
        { header: '提案编号', width: 10 },
        { header: '标题', width: 24 },
        { header: '有效票数', width: 10 },
        { header: '投出票数', width: 10 },
      ],
      rows,
    };
  }
  return {
    name: '微创投结果',
    columns: [
      { header: '轮次', width: 6 },
      { header: '活动名称', width: 20 },
      { header: '名次', width: 6 },
      { header: '提案编号', width: 10 },
      { header: '标题', width: 24 },
      { header: '票数', width: 8 },
      { header: '申请金额（元）', width: 14 },
      { header: '结果', width: 8 },
      { header: '资助金额（元）', width: 14 },
      { header: '项目编号', width: 10 },
      { header: '项目状态', width: 10 },
      { header: '进度（%）', width: 10 },
    ],
    rows,
  };
}

/** The administrator's audited export of individual votes (src/core/ventures/vote-audit.ts), as a sheet. */
export function voteAuditSheet(votes: readonly AuditedVote[], zone: string): Sheet {
  return {
    name: '微创投投票明细',
    columns: [
      { header: '轮次', width: 6 },
      { header: '活动名称', width: 20 },
      { header: '投票人（化名）', width: 18 },
      { header: '提案编号', width: 10 },
      { header: '提案标题', width: 24 },
      { header: '投票时间', width: 18 },
      { header: '计入结果', width: 10 },
    ],
    rows: votes.map((v) => [v.round, v.roundTitle, v.voter, v.proposal, v.proposalTitle, DateTime.fromJSDate(v.castAt, { zone }).toFormat('yyyy-MM-dd HH:mm'), v.counts ? '是' : '否']),
  };
}

/**
 * An XLSX workbook of one sheet: bold header row, frozen, widths set. ExcelJS is imported on the
 * first export rather than when the console starts (some 7 MB of heap and 17 MB resident that
 * only an export uses).
 */
export async function toXlsx(sheet: Sheet, meta: { title: string; creator: string }): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = meta.creator;
  wb.title = meta.title;
  wb.created = new Date();
  const ws = wb.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = sheet.columns.map((c, i) => ({ header: c.header, key: `c${i}`, width: c.width }));
  ws.getRow(1).font = { bold: true };
  for (const r of sheet.rows) ws.addRow(r.map((v) => (v === null ? '' : v)));
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}

/**
 * CSV for Excel: UTF-8 with a BOM (so Excel reads the Chinese), CRLF, fields quoted when needed,
 * and a cell that starts like a formula (= + - @, tab, CR) prefixed with ' so a resident's text can
 * never run as a formula in the worker's spreadsheet.
 */
export function toCsv(sheet: Sheet): string {
  const cell = (v: string | number | null) => {
    if (v === null) return '';
    let s = String(v);
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [sheet.columns.map((c) => cell(c.header)).join(','), ...sheet.rows.map((r) => r.map(cell).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
