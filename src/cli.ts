import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { loadConfig } from './config.ts';
import { createLogger } from './lib/logger.ts';
import { isAppError } from './lib/errors.ts';
import { startDatabase } from './db/database.ts';
import { openDatabase } from './db/prisma.ts';
import { migrate } from './db/migrate.ts';
import { systemClock, type CoreContext } from './core/context.ts';
import { createCommunity } from './core/communities/create-community.ts';
import { grantRole } from './core/roles/grant-role.ts';
import { bindGroup } from './core/groups/bind-group.ts';
import { loadDemo } from './core/demo/load-demo.ts';
import { AppError } from './lib/errors.ts';
import { formatLocal, formatShiftTime, isPast, parseLocal, parseShiftRange, parseWhen, timeProblemText, type ShiftTimeProblem } from './lib/time.ts';
import { cleanText } from './lib/clean-text.ts';
import { platforms, type Platform } from './bots/types.ts';
import { groupChatIdOf, groupIdCandidates } from './bots/chat-ids.ts';
import type { Redis } from 'ioredis';
import type { EffectExecutor } from '../jobs/effects.ts';
import { remindersPlanned } from './core/effects.ts';

/** The `--shift` forms the usage and the refusals show (local time, capacity, place). */
export const shiftSpecExample = '2026-12-05 09:00-11:00|3|3号楼门口';
export const overnightSpecExample = '2026-12-05 22:00-06:00|2|门卫室';

const usage = `Usage: npm run cli -- <command>

  community create --code HT01 --name 回天一社区 [--street 霍营街道] [--district 昌平区]
  community set --code HT01 [--reminders 24h,2h] [--quiet 22:00-08:00|off] [--tz Asia/Shanghai]
                [--silent-after 2h|90m|off] [--silent-release on|off]
                a volunteer who has not answered the last reminder by --silent-after before the shift
                is reported to the workers; with --silent-release on their place goes to the waitlist
  role grant --community HT01 --role worker --platform telegram --user 12345 [--name 王书记]
  group bind --community HT01 --platform telegram --chat -1001234567890 [--title 3号楼邻里群] [--building 3号楼]
              --chat as the platform shows it: a WeCom chatid (wr…), a Telegram chat id (-100…) or
              t.me/c/… link, a WeChat room id (…@chatroom); warns when the bot has not seen that chat yet
  project create --community HT01 --title 楼道灯维修 [--description …] [--category repair] [--needs 1,2]
                 [--claim volunteers|organization|both] [--shift "${shiftSpecExample}" …]
                 an overnight shift ends the next day: --shift "${overnightSpecExample}"
  project publish --community HT01 --project 1 [--groups -1001,-1002 (titles or the ids the platforms show)] [--at "2026-12-01 09:00"]
  org create --community HT01 --name 夕阳天使志愿服务队 [--kind resident_team|ngo|unit] [--serves elderly,repair]
             [--member telegram:2001 …]
  token create --community HT01 --platform web --user wang-shuji [--name console]
  user create --name 王书记 [--login wang] [--password …] [--role worker|admin|viewer]
              [--community HT01 | --street 霍营街道 | --district 昌平区] [--platform web --user wang-shuji] [--admin]
              a console account (/console), linked to the chat account's person when given; without
              --password one is generated and printed once; --admin manages accounts and sees the queues
  user password --login wang [--password …]   set (or generate) a console account's password
  round create --community HT01 --title "2027年微创投" --budget 30000 [--style approval --votes 3 |
               --style knapsack --min-share 0.7] [--hidden-tallies on|off] [--min-votes 5]
               [--voters seen-before|seen]
               a 微创投 round (budget in yuan), made as a draft; prints its number. Who may vote: people
               seen in the community's groups, by default only those seen before voting opened
               (--voters seen: also those seen later). --street 霍营街道
               instead of --community makes a street's round: announced in all its communities'
               groups, proposals and votes (one ballot a person) from any of them; round phase,
               round schedule and proposal review take --street (and --round) for it too
  round phase --community HT01 --round 1 --to collecting|reviewing|voting|results|tracking|closed
               moves the round on and tells the groups; --to results closes the vote and tallies it
  round schedule --community HT01 --round 1 --phase collecting|reviewing|voting|results|tracking|closed
               --at "2027-03-01 09:00" | --clear
               plans when the round enters the phase (the community's local time): the workers
               move it on within a minute of that time and tell the groups; round phase still
               moves it earlier
  proposal review --community HT01 --proposal 2 --approve | --decline "原因" [--round 1]
  doctor      checks the configuration, database, Redis, platforms, LLM and clock, one line each;
              exits 1 when any line is FAIL (read only: changes nothing)
  demo        load the demo data (what npm start loads on first run)
  migrate     apply the database migrations

Shifts and --at are in the community's local time; a shift's end earlier than its start is on the
next day, a full end ("2026-12-05 22:00-2026-12-06 06:00") is taken as written, and no shift lasts
more than 24 hours. --at must not be in the past. project create and publish queue messages in Redis
(REDIS_URL) for a running \`workers\` process to send.
Uses DATABASE_URL, or the embedded database under ./data (the running one, if npm start is up).`;

type Out = (line: string) => void;

/** The queues the project commands feed; Redis-backed, so connected only when a command needs them. */
export interface CliQueues {
  /** Carries out what the use cases decided (jobs/effects.ts). */
  effects: EffectExecutor;
}

/** What runCli may use besides the database: the queues (or why they are unavailable) and a warning line. */
export interface CliServices {
  queues?: () => Promise<CliQueues | { unavailable: string }>;
  warn?: Out;
}

/** One CLI command against a core context. Exported for tests; `main` wires it to the process. */
export async function runCli(argv: string[], ctx: CoreContext, out: Out, services: CliServices = {}): Promise<void> {
  const [noun, verb] = argv;
  const rest = argv.slice(verb && !verb.startsWith('--') ? 2 : 1);
  const key = `${noun ?? ''} ${verb && !verb.startsWith('--') ? verb : ''}`.trim();
  /** Options that take no value (`--admin`): read from `rest` directly, left out of the parse. */
  const flagsOf: Record<string, string[]> = { 'user create': ['--admin'], 'proposal review': ['--approve'], 'round schedule': ['--clear'] };
  /** Parses the options: `names` once each, `lists` repeatable (--shift a --shift b). */
  const parse = (names: string[], lists: string[] = []) => {
    const values = parseArgs({
      args: joinNegativeValues(rest.filter((a) => !(flagsOf[key] ?? []).includes(a))),
      options: Object.fromEntries([
        ...names.map((n) => [n, { type: 'string' as const }]),
        ...lists.map((n) => [n, { type: 'string' as const, multiple: true }]),
      ]),
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | string[] | undefined>;
    // Every value but a password is cleaned as the web's input is (src/lib/clean-text.ts): a name
    // with NUL, control or right-to-left override characters would otherwise be stored and exported.
    const clean = (n: string, v: string) => (n === 'password' ? v : cleanText(v));
    const one = Object.fromEntries(names.map((n) => [n, typeof values[n] === 'string' ? clean(n, values[n]) : undefined]));
    const many = Object.fromEntries(lists.map((n) => [n, ((values[n] as string[] | undefined) ?? []).map((v) => clean(n, v))]));
    return { o: one, many };
  };
  const opts = (names: string[]) => parse(names).o;
  const warn = services.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  const queues = async () => (services.queues ? services.queues() : { unavailable: 'no Redis configured for this run' });

  switch (key) {
    case 'community create': {
      const o = opts(['code', 'name', 'street', 'district', 'tz']);
      const c = await createCommunity(ctx, { code: need(o, 'code'), name: need(o, 'name'), street: o.street, district: o.district, timezone: o.tz });
      out(`community ${c.code} ${c.name} (id ${c.id})`);
      return;
    }
    case 'community set':
      return communitySet(rest, ctx, out, queues, warn);
    case 'role grant': {
      const o = opts(['community', 'role', 'platform', 'user', 'name']);
      const g = await grantRole(ctx, {
        community: need(o, 'community'),
        role: need(o, 'role') as 'worker',
        platform: need(o, 'platform') as 'web',
        user: need(o, 'user'),
        name: o.name,
      });
      out(`role ${g.role} granted in ${o.community} to ${o.platform}:${o.user} (person ${g.personId})`);
      return;
    }
    case 'group bind': {
      const o = opts(['community', 'platform', 'chat', 'title', 'building']);
      const platform = need(o, 'platform');
      if (!isPlatform(platform)) throw new UsageError(`--platform must be one of ${platforms.join(', ')}`);
      // The id as the platform shows it (a WeCom chatid, a Telegram -100…, a WeChat …@chatroom); core gets the adapter's.
      const typed = need(o, 'chat').trim();
      const read = groupChatIdOf(platform, typed);
      if (read.problem !== undefined) throw new UsageError(`--chat ${read.problem}`);
      const { group, community, chatSeen } = await bindGroup(ctx, {
        community: need(o, 'community'),
        platform,
        chat: read.chatId,
        title: o.title,
        building: o.building,
      });
      out(`group ${platform}:${typed} bound to ${community.code} ${community.name}${group.building ? ` (${group.building})` : ''}`);
      if (!chatSeen) {
        warn(`warning: the bot has not seen ${platform} chat ${typed} yet (nobody has @-mentioned it there), so this id is unchecked.`);
        warn(`  The group is bound anyway. Check the id: once the bot is @-mentioned there, 需求清单 in the group lists ${community.name}'s needs.`);
      }
      return;
    }
    // The project, org and token commands load their modules (flows, queues) only when run,
    // so the other commands start as fast as before.
    case 'project create': {
      const { createProject } = await import('./core/projects/create-project.ts');
      const { o, many } = parse(['community', 'title', 'description', 'category', 'needs', 'claim'], ['shift']);
      const community = await communityByCode(ctx, need(o, 'community'));
      const claim = o.claim ?? 'volunteers';
      if (claim !== 'volunteers' && claim !== 'organization' && claim !== 'both') throw new UsageError('--claim must be volunteers, organization or both');
      const { project, effects } = await createProject(ctx, {
        communityId: community.id,
        title: need(o, 'title'),
        description: o.description,
        category: o.category,
        needs: o.needs === undefined ? [] : numberList(o.needs, 'needs'),
        claimType: claim,
        shifts: many.shift?.map((spec) => parseShiftSpec(spec, community.timezone)) ?? [],
        actorId: null,
        via: 'cli',
      });
      const n = project.shifts.length;
      out(`project ${project.number} ${project.title} (${project.status}, ${n} shift${n === 1 ? '' : 's'})`);
      for (const s of project.shifts) {
        out(`  shift ${s.label}: ${formatShiftTime(s.startsAt, s.endsAt, community.timezone)}, ${s.capacity} ${s.capacity === 1 ? 'person' : 'people'}${s.place ? `, ${s.place}` : ''}`);
      }
      const notices = effects.reduce((n, e) => n + (e.kind === 'notify' ? e.notices.length : 0), 0);
      if (notices) {
        const q = await queues();
        if ('unavailable' in q) warn(`warning: ${notices} notice(s) to the needs' supporters were not queued: ${q.unavailable}`);
        else {
          const done = await q.effects.apply(effects);
          out(`${done.messages} supporter notice(s) queued`);
        }
      }
      return;
    }
    case 'round create': {
      const { createRound } = await import('./core/ventures/create-round.ts');
      const o = opts(['community', 'street', 'title', 'budget', 'style', 'votes', 'min-share', 'hidden-tallies', 'min-votes', 'voters']);
      const { owner } = await roundOwnerOption(ctx, o);
      const style = o.style ?? 'approval';
      if (style !== 'approval' && style !== 'knapsack') throw new UsageError('--style must be approval or knapsack');
      if (style === 'approval' && o['min-share'] !== undefined) throw new UsageError('--min-share is for --style knapsack');
      if (style === 'knapsack' && o.votes !== undefined) throw new UsageError('--votes is for --style approval');
      const hidden = o['hidden-tallies'] ?? 'on';
      if (hidden !== 'on' && hidden !== 'off') throw new UsageError('--hidden-tallies must be on or off');
      const voters = o.voters ?? 'seen-before';
      if (voters !== 'seen-before' && voters !== 'seen') throw new UsageError('--voters must be seen-before or seen');
      const r = await createRound(ctx, {
        ...owner,
        title: need(o, 'title'),
        budgetYuan: numberOption(need(o, 'budget'), '--budget'),
        style,
        maxVotes: o.votes === undefined ? undefined : numberOption(o.votes, '--votes'),
        minShare: o['min-share'] === undefined ? undefined : numberOption(o['min-share'], '--min-share'),
        hiddenTallies: hidden === 'on',
        votersSeenBefore: voters === 'seen-before',
        minVotes: o['min-votes'] === undefined ? undefined : numberOption(o['min-votes'], '--min-votes'),
        actorId: null,
        via: 'cli',
      });
      const rule = r.round.ballotStyle === 'approval' ? `${r.round.maxVotes} votes each` : `knapsack, ballots count from ${Math.round((r.round.minShare ?? 0) * 100)}% of the budget`;
      out(`round ${r.round.number} ${r.round.title}: budget ¥${r.round.budgetFen / 100}, ${rule} (draft: move it on with round phase --to collecting)`);
      return;
    }
    case 'round phase': {
      const [{ changePhase }, { ventureAnnouncer }, { phases }] = await Promise.all([
        import('./core/ventures/change-phase.ts'),
        import('./notices/venture-announce.ts'),
        import('./core/ventures/rounds.ts'),
      ]);
      const o = opts(['community', 'street', 'round', 'to']);
      const { owner } = await roundOwnerOption(ctx, o);
      const to = need(o, 'to');
      const phase = phases.find((p) => p === to && p !== 'draft');
      if (!phase || phase === 'draft') throw new UsageError(`--to must be one of ${phases.slice(1).join(', ')}`);
      const q = await queues();
      if ('unavailable' in q) throw new Error(`not changed: ${q.unavailable}`);
      const r = await changePhase(ctx, { ...owner, round: numberOption(need(o, 'round'), '--round'), to: phase, actorId: null, via: 'cli' }, ventureAnnouncer);
      await q.effects.apply(r.effects);
      out(`round ${r.round.number} ${r.round.title}: ${r.from} → ${r.round.phase}${r.effects.some((e) => e.kind === 'broadcastScheduled') ? ', announced to the groups' : ''}`);
      return;
    }
    case 'round schedule': {
      const { schedulePhase, plannedDates } = await import('./core/ventures/schedule-phase.ts');
      const o = opts(['community', 'street', 'round', 'phase', 'at']);
      const clear = rest.includes('--clear');
      const { owner, timezone } = await roundOwnerOption(ctx, o);
      const named = need(o, 'phase');
      const phase = (['collecting', 'reviewing', 'voting', 'results', 'tracking', 'closed'] as const).find((p) => p === named);
      if (!phase) throw new UsageError('--phase must be one of collecting, reviewing, voting, results, tracking, closed');
      if (clear === (o.at !== undefined)) throw new UsageError('give either --at "2027-03-01 09:00" or --clear');
      let at: Date | null = null;
      if (o.at !== undefined) {
        at = parseWhen(o.at, timezone);
        if (!at) throw new UsageError(`--at "${o.at}": expected a local time like "2027-03-01 09:00"`);
      }
      const r = await schedulePhase(ctx, { ...owner, round: numberOption(need(o, 'round'), '--round'), phase, at, actorId: null, via: 'cli' });
      const plan = plannedDates(r.round).map((d) => `${d.phase} ${formatLocal(d.at, timezone)}`);
      out(`round ${r.round.number} ${r.round.title} (${r.round.phase}): ${plan.length ? `planned ${plan.join(', ')} (${timezone})` : 'no planned dates'}`);
      return;
    }
    case 'proposal review': {
      const { reviewProposal } = await import('./core/ventures/review-proposal.ts');
      const approve = rest.includes('--approve');
      const o = opts(['community', 'street', 'proposal', 'decline', 'round']);
      if (approve === (o.decline !== undefined)) throw new UsageError('give one of --approve or --decline "原因"');
      const { owner } = await roundOwnerOption(ctx, o);
      if ('streetId' in owner && o.round === undefined) throw new UsageError("a street's round needs --round");
      const q = await queues();
      if ('unavailable' in q) throw new Error(`not reviewed: ${q.unavailable}`);
      const r = await reviewProposal(ctx, {
        ...owner,
        round: o.round === undefined ? undefined : numberOption(o.round, '--round'),
        number: numberOption(need(o, 'proposal'), '--proposal'),
        approve,
        reason: o.decline ?? '',
        actorId: null,
        via: 'cli',
      });
      await q.effects.apply(r.effects);
      out(`proposal ${r.proposal.number} ${r.proposal.title}: ${r.proposal.status}${r.proposal.reviewReason ? ` (${r.proposal.reviewReason})` : ''}; the proposer is told`);
      return;
    }
    case 'project publish': {
      const [{ publishProject }, { announceProject }] = await Promise.all([import('./core/projects/publish-project.ts'), import('./notices/announce.ts')]);
      const o = opts(['community', 'project', 'groups', 'at']);
      const community = await communityByCode(ctx, need(o, 'community'));
      const number = numberList(need(o, 'project'), 'project')[0] ?? 0;
      let sendAt: Date | null = null;
      if (o.at !== undefined) {
        sendAt = parseLocal(o.at, community.timezone);
        if (!sendAt) throw new UsageError(`--at "${o.at}": expected a local time like "2026-12-01 09:00"`);
        // The API's rule and words (POST …/publish): a minute's grace, then too late.
        if (isPast(sendAt, ctx.clock.now())) throw new UsageError(`--at "${o.at}": ${timeProblemText('past')} (${timeProblemText('past', 'en')})`);
      }
      // Check Redis before publishing: a broadcast nobody schedules would never be sent.
      const q = await queues();
      if ('unavailable' in q) throw new Error(`not published: ${q.unavailable}`);
      const r = await publishProject(ctx, {
        communityId: community.id,
        number,
        // The ids the platforms show (a WeCom chatid, a Telegram -100…) or the groups' titles.
        groups: o.groups?.split(',').map((g) => g.trim()).filter(Boolean).map(groupIdCandidates),
        sendAt,
        actorId: null,
        via: 'cli',
      }, announceProject);
      await q.effects.apply(r.effects);
      const when = sendAt ? `at ${o.at} (${community.timezone})` : 'now';
      out(`project ${r.project.number} ${r.project.title} published: broadcast ${r.broadcast.id} to ${r.groupCount} group${r.groupCount === 1 ? '' : 's'}, sending ${when}`);
      return;
    }
    case 'org create': {
      const { createOrganization } = await import('./core/orgs/create-organization.ts');
      const { o, many } = parse(['community', 'name', 'kind', 'serves'], ['member']);
      const community = await communityByCode(ctx, need(o, 'community'));
      const kind = o.kind ?? 'resident_team';
      if (kind !== 'resident_team' && kind !== 'ngo' && kind !== 'unit') throw new UsageError('--kind must be resident_team, ngo or unit');
      const members = (many.member ?? []).map(parseAccount);
      const org = await createOrganization(ctx, {
        communityId: community.id,
        name: need(o, 'name'),
        kind,
        serves: o.serves ? o.serves.split(',').map((x) => x.trim()).filter(Boolean) : [],
        members,
        actorId: null,
        via: 'cli',
      });
      const count = await ctx.prisma.organizationMember.count({ where: { organizationId: org.id } });
      out(`organization ${org.name} in ${community.code} (id ${org.id}, ${count} member${count === 1 ? '' : 's'})`);
      return;
    }
    case 'token create': {
      const { issueApiToken } = await import('./web/api/auth.ts');
      const o = opts(['community', 'platform', 'user', 'name']);
      const community = await communityByCode(ctx, need(o, 'community'));
      const { platform, user } = parseAccount(`${need(o, 'platform')}:${need(o, 'user')}`);
      const identity = await ctx.prisma.identity.findUnique({ where: { platform_externalId: { platform, externalId: user } } });
      // Only a worker of the community gets a token; an unknown account is no worker either.
      if (!identity) throw new AppError('NOT_A_WORKER', { community: community.code });
      const name = o.name ?? 'api';
      const t = await issueApiToken(ctx, { communityId: community.id, personId: identity.personId, name, actorId: null, via: 'cli' });
      out(`api token ${t.id} "${name}" for ${platform}:${user} (person ${identity.personId}), worker of ${community.code}:`);
      out(t.token);
      out('It is shown only this once: keep it now. Send it as "Authorization: Bearer <token>".');
      return;
    }
    case 'user create': {
      const { createConsoleUser } = await import('./core/console-users/console-users.ts');
      const admin = rest.includes('--admin');
      const o = opts(['name', 'login', 'password', 'role', 'community', 'street', 'district', 'platform', 'user']);
      const scopes = [o.community ? { community: o.community } : null, o.street ? { street: o.street } : null, o.district ? { district: o.district } : null].filter((x) => x !== null);
      if (scopes.length > 1) throw new UsageError('give one of --community, --street, --district');
      const role = o.role ?? 'worker';
      if (role !== 'worker' && role !== 'admin' && role !== 'viewer') throw new UsageError('--role must be worker, admin or viewer');
      if ((o.platform === undefined) !== (o.user === undefined)) throw new UsageError('--platform and --user go together');
      const identity = o.platform !== undefined && o.user !== undefined ? parseAccount(`${o.platform}:${o.user}`) : undefined;
      const name = need(o, 'name');
      const r = await createConsoleUser(ctx, {
        login: o.login ?? identity?.user ?? name,
        name,
        password: o.password,
        isAdmin: admin,
        identity,
        grants: scopes.map((scope) => ({ role, scope })),
        actorId: null,
        via: 'cli',
      });
      const where = r.grants.map((g) => `${role} of ${g.label}`).join(', ') || 'no community yet';
      out(`console user ${r.user.login} (person ${r.user.personId}${identity ? `, ${identity.platform}:${identity.user}` : ''}): ${where}${admin ? ', console administrator' : ''}`);
      if (r.password) {
        out(`password: ${r.password}`);
        out('It is shown only this once: hand it over now.');
      }
      return;
    }
    case 'user password': {
      const { findConsoleUserByLogin, setConsolePassword } = await import('./core/console-users/console-users.ts');
      const o = opts(['login', 'password']);
      const u = await findConsoleUserByLogin(ctx, need(o, 'login'));
      if (!u) throw new UsageError(`no console user ${o.login}`);
      const r = await setConsolePassword(ctx, { userId: u.id, password: o.password, actorId: null, via: 'cli' });
      out(`password of ${u.login} changed; its sessions end${r.password ? `\npassword: ${r.password}\nIt is shown only this once.` : ''}`);
      return;
    }
    case 'demo': {
      const [{ announceProject, askForFeedback }, { ventureAnnouncer }, { ensureDemoConsoleAccounts }] = await Promise.all([
        import('./notices/announce.ts'),
        import('./notices/venture-announce.ts'),
        import('./core/demo/demo-accounts.ts'),
      ]);
      const r = await loadDemo(ctx, { botName: loadConfig().botName, writers: { announceProject, askForFeedback, ventureAnnouncer } });
      out(r.created ? 'demo data loaded: communities HT01, HT02; 3 web groups; 6 personas; projects, hours and a 微创投 round' : 'demo data already present: nothing duplicated');
      const accounts = await ensureDemoConsoleAccounts(ctx, { adminLogin: null });
      if (accounts.worker) out(`console account of 王书记: login ${accounts.worker.login}  password ${accounts.worker.password}\nIt is shown only this once.`);
      if (r.effects.length) {
        const q = await queues();
        if ('unavailable' in q) warn(`warning: the demo's announcements and reminders were not queued: ${q.unavailable}`);
        else await q.effects.apply(r.effects);
      }
      return;
    }
    case 'migrate':
      out('migrations applied');
      return;
    default:
      throw new UsageError(noun ? `unknown command: ${argv.join(' ')}` : 'no command given');
  }
}

export class UsageError extends Error {
  override name = 'UsageError';
}

function need(o: Record<string, string | undefined>, name: string): string {
  const v = o[name];
  if (v === undefined || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

/**
 * Whose round a command means: `--community HT01`, or `--street 霍营街道` (its code or name) for a
 * street's round; with the time zone its dates are typed in (a street's: its first community's).
 */
async function roundOwnerOption(ctx: CoreContext, o: Record<string, string | undefined>): Promise<{ owner: { communityId: number } | { streetId: number }; timezone: string }> {
  if ((o.community === undefined) === (o.street === undefined)) throw new UsageError('give one of --community or --street');
  if (o.community !== undefined) {
    const community = await communityByCode(ctx, o.community);
    return { owner: { communityId: community.id }, timezone: community.timezone };
  }
  const name = (o.street ?? '').trim();
  const street = await ctx.prisma.street.findFirst({ where: { OR: [{ code: name }, { name }] }, select: { id: true, communities: { select: { timezone: true }, orderBy: { code: 'asc' }, take: 1 } } });
  if (!street) throw new AppError('COMMUNITY_NOT_FOUND', { code: name });
  return { owner: { streetId: street.id }, timezone: street.communities[0]?.timezone ?? 'Asia/Shanghai' };
}

async function communityByCode(ctx: CoreContext, code: string) {
  const community = await ctx.prisma.community.findUnique({ where: { code: code.trim().toUpperCase() } });
  if (!community) throw new AppError('COMMUNITY_NOT_FOUND', { code });
  return community;
}

function numberList(text: string, name: string): number[] {
  const parts = text.split(',').map((x) => x.trim().replace(/^#/, ''));
  if (parts.some((p) => !/^\d{1,9}$/.test(p) || Number(p) < 1)) throw new UsageError(`--${name} "${text}": expected numbers like 1,2`);
  return parts.map(Number);
}

/**
 * "2026-12-05 09:00-11:00|3|3号楼门口": local start-end, capacity, place (the place may be left out).
 * The times are read by parseShiftRange, the rule every entry point shares: "22:00-06:00" ends the
 * next day.
 */
function parseShiftSpec(spec: string, zone: string) {
  const [range = '', capacity = '', ...place] = spec.split('|');
  const r = parseShiftRange(range, zone);
  if (!r.ok) throw new UsageError(`--shift "${spec}": ${shiftProblem(r.problem)}`);
  const cap = Number(capacity.trim());
  if (!Number.isInteger(cap) || cap < 1) throw new UsageError(`--shift "${spec}": expected "${shiftSpecExample}" (local time, capacity, place)`);
  return { startsAt: r.start, endsAt: r.end, capacity: cap, place: place.join('|').trim() };
}

function isPlatform(s: string): s is Platform {
  return (platforms as readonly string[]).includes(s);
}

/** A refused shift time in both languages; an unreadable one with the forms that read. */
function shiftProblem(problem: ShiftTimeProblem): string {
  const words = `${timeProblemText(problem)} (${timeProblemText(problem, 'en')})`;
  return problem === 'format' ? `expected "${shiftSpecExample}" (local time, capacity, place). ${words}` : words;
}

/** "telegram:2001" → a platform account. */
function parseAccount(text: string): { platform: Platform; user: string } {
  const i = text.indexOf(':');
  const platform = text.slice(0, i).trim();
  const user = text.slice(i + 1).trim();
  if (i < 1 || !user || !(platforms as readonly string[]).includes(platform)) {
    throw new UsageError(`"${text}": expected platform:user, e.g. telegram:2001 (platforms: ${platforms.join(', ')})`);
  }
  return { platform: platform as Platform, user };
}

/** `--chat -1001` is a Telegram group id, not an option: pass it as `--chat=-1001`. */
function joinNegativeValues(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    const next = args[i + 1];
    if (a.startsWith('--') && !a.includes('=') && next !== undefined && /^-\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
    process.stdout.write(`${usage}\n`);
    return;
  }
  if (argv[0] === 'doctor') {
    // Before loadConfig: a broken setting is one of the things doctor reports, not a reason to stop.
    const { runDoctor } = await import('./doctor.ts');
    const { failed } = await runDoctor({ out: (line) => process.stdout.write(`${line}\n`) });
    process.exitCode = failed ? 1 : 0;
    return;
  }
  const config = loadConfig();
  const log = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
  const database = await startDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
  const db = openDatabase(database.url, { max: 4 });
  const ctx: CoreContext = { prisma: db.prisma, clock: systemClock };
  let connected: Promise<(CliQueues & { redis: Redis }) | { unavailable: string }> | undefined;
  const queues = () =>
    (connected ??= (async () => {
      const [{ connectRedis }, { Outbox }, { BroadcastScheduler }, { ReminderScheduler }, { EffectExecutor }, { TicketScheduler }] = await Promise.all([
        import('../jobs/connection.ts'),
        import('../jobs/outbound.ts'),
        import('../jobs/broadcast.ts'),
        import('../jobs/reminders.ts'),
        import('../jobs/effects.ts'),
        import('../jobs/tickets.ts'),
      ]);
      try {
        const redis = await connectRedis(config.redisUrl);
        const p = config.queuePrefix;
        const effects = new EffectExecutor(ctx, { outbox: new Outbox(redis, p), broadcasts: new BroadcastScheduler(redis, p), reminders: new ReminderScheduler(redis, p), tickets: new TicketScheduler(redis, p) });
        return { redis, effects };
      } catch (err) {
        return { unavailable: err instanceof Error ? err.message : String(err) };
      }
    })());
  try {
    await migrate(db.pool);
    await runCli(argv, ctx, (line) => process.stdout.write(`${line}\n`), { queues });
  } finally {
    const q = await connected;
    if (q && !('unavailable' in q)) {
      await q.effects.close().catch(() => undefined);
      await q.redis.quit().catch(() => undefined);
    }
    await db.close();
    await database.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    if (err instanceof UsageError) process.stderr.write(`${err.message}\n\n${usage}\n`);
    else if (isAppError(err)) process.stderr.write(`error: ${err.code} ${JSON.stringify(err.details)}\n`);
    else if (err instanceof Error && err.name === 'ZodError') process.stderr.write(`invalid input: ${err.message}\n`);
    else process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}

/**
 * `community set --code HT01 [--reminders 24h,2h] [--quiet 22:00-08:00|off] [--tz Asia/Shanghai]`:
 * a community's reminder offsets (minutes allowed: 5m), quiet hours and time zone. Reminders still
 * scheduled for shifts to come are planned again; their jobs are queued when Redis is reachable.
 */
async function communitySet(args: string[], ctx: CoreContext, out: Out, queues: () => Promise<CliQueues | { unavailable: string }>, warn: Out): Promise<void> {
  const { updateCommunitySettings, formatSilentAfter } = await import('./core/communities/update-community-settings.ts');
  const { values: o } = parseArgs({
    args,
    options: { code: { type: 'string' }, reminders: { type: 'string' }, quiet: { type: 'string' }, tz: { type: 'string' }, 'silent-after': { type: 'string' }, 'silent-release': { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  if (!o.code) throw new UsageError('--code is required');
  if ([o.reminders, o.quiet, o.tz, o['silent-after'], o['silent-release']].every((v) => v === undefined)) {
    throw new UsageError('give at least one of --reminders, --quiet, --tz, --silent-after, --silent-release');
  }
  const release = o['silent-release']?.trim().toLowerCase();
  if (release !== undefined && release !== 'on' && release !== 'off') throw new UsageError('--silent-release must be on or off');
  const r = await updateCommunitySettings(ctx, {
    code: o.code,
    reminders: o.reminders,
    quiet: o.quiet,
    timezone: o.tz,
    silentAfter: o['silent-after'],
    silentReleasesPlace: release === undefined ? undefined : release === 'on',
    actorId: null,
    via: 'cli',
  });
  const c = r.community;
  out(`community ${c.code}: reminders ${c.reminderOffsets} before a shift, quiet hours ${c.quietHours ?? 'off'}, time zone ${c.timezone}`);
  out(`  silent after the last reminder: reported ${formatSilentAfter(c.silentReportMinutes)}${c.silentReportMinutes > 0 ? ' before a shift' : ''}, place released ${c.silentReleasesPlace ? 'on' : 'off'}`);
  const moved = r.reminders.add.length + r.reminders.remove.length + (r.reminders.checks?.length ?? 0);
  if (moved === 0) return;
  const q = await queues();
  if ('unavailable' in q) {
    warn(`warning: ${r.reminders.add.length} reminder(s) were planned again but not queued (a running worker's sweep queues them once due): ${q.unavailable}`);
    return;
  }
  await q.effects.apply(remindersPlanned(r.reminders));
  out(`${r.reminders.add.length} reminder(s) planned again`);
  if (r.reminders.checks?.length) out(`${r.reminders.checks.length} silence check(s) planned`);
}

/** A number option (--budget 30000, --min-share 0.7); the use case checks its range. */
function numberOption(raw: string, name: string): number {
  const n = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${name} "${raw}": expected a number`);
  return n;
}
