import { DeliveryError } from '../delivery-error.ts';
import type { Capability, ChatAdapter, ConversationRef, InboundEvent, OutboundMessage, SendResult } from '../types.ts';
import type { Logger } from '../../lib/logger.ts';
import { wecomAppConfig, wecomBotConfig } from './config.ts';
import { appPrefix, hookPrefix, WecomAppAdapter, type WecomCallbackRequest, type WecomCallbackResponse } from './wecom-app-adapter.ts';
import { botPrefix, WecomBotAdapter } from './wecom-bot-adapter.ts';

/**
 * WeCom as one platform (`wecom`): the 智能机器人 ({@link WecomBotAdapter}) and the self-built app
 * ({@link WecomAppAdapter}), either or both, behind the one adapter the app's map holds per platform.
 *
 * Chat ids say which part a chat belongs to:
 * | id | chat | sent by |
 * | --- | --- | --- |
 * | `bot:<chatid>` (group) | a group the bot is in | the bot |
 * | `hook:<name>` (group) | an internal group with a robot webhook (WECOM_ROBOT_WEBHOOKS) | the app's robot |
 * | `<userid>` (direct) | the member, in private | see below |
 * | `bot:<userid>` / `app:<userid>` (direct) | the member, through that part only | the bot / the app |
 *
 * A member is their corp userid on both parts (one Person), and a private chat is that userid,
 * because `Turn.direct` and everything keyed by a person (reminders, sessions) name it so. A reply
 * to a private message goes back the way the message came: the reply's `replyTo` is the message
 * id, `bot:<msgid>` or `app:<MsgId>`. Any other private message goes through the app when there
 * is one (it reaches every member in its visible range, whether or not they ever opened the
 * bot's chat), else through the bot. WeCom userids hold only letters, digits and `_-.@`, so they
 * never look like a prefixed id.
 *
 * `sendsFrom` is `session` when the bot is configured: the platform has one outbound queue, and
 * the bot's messages can only leave through the WebSocket the `bots` process holds, so that
 * process must work the whole queue (it sends the app's messages too: they need only
 * credentials). With the app alone, any `workers` process can send: `anywhere`.
 */
export class WecomAdapter implements ChatAdapter {
  readonly platform = 'wecom' as const;
  readonly capabilities: ReadonlySet<Capability>;
  readonly sendsFrom: 'anywhere' | 'session';

  constructor(readonly parts: { bot?: WecomBotAdapter; app?: WecomAppAdapter }) {
    if (!parts.bot && !parts.app) throw new Error('WecomAdapter needs the bot, the app, or both');
    this.capabilities = new Set<Capability>([...(parts.bot?.capabilities ?? []), ...(parts.app?.capabilities ?? [])]);
    this.sendsFrom = parts.bot ? 'session' : 'anywhere';
  }

  get bot(): WecomBotAdapter | undefined {
    return this.parts.bot;
  }

  get app(): WecomAppAdapter | undefined {
    return this.parts.app;
  }

  /**
   * Takes the app's callbacks and connects the bot. The bot's frames name a member by userid only;
   * with the app configured, its address book gives the name (cached), as the app's callbacks do.
   */
  async start(onEvent: (e: InboundEvent) => Promise<void>): Promise<void> {
    const named = this.withNames(onEvent);
    await this.parts.app?.start(named);
    await this.parts.bot?.start(named);
  }

  /**
   * Neither part's messages carry the sender's name, only their userid: with the app, the name is
   * asked of the corp's address book ({@link WecomAppAdapter.memberName}), so that what others
   * are told (提案人 张阿姨, a worker's list) names people as their neighbours know them. Without
   * the app, or when WeCom will not say, the userid stays the name.
   */
  private withNames(onEvent: (e: InboundEvent) => Promise<void>): (e: InboundEvent) => Promise<void> {
    const app = this.parts.app;
    if (!app) return onEvent;
    return async (e) => {
      if (e.sender.displayName !== e.sender.userId) return onEvent(e);
      const name = await app.memberName(e.sender.userId);
      return onEvent(name ? { ...e, sender: { ...e.sender, displayName: name } } : e);
    };
  }

  /**
   * Lets this process answer the app's callbacks without connecting the bot: for a `web` process
   * that is not the `bots` one (WeCom allows one connection per bot; a second would take over).
   */
  async acceptCallbacks(onEvent: (e: InboundEvent) => Promise<void>): Promise<void> {
    await this.parts.app?.start(this.withNames(onEvent));
  }

  /** The app's callback URL handler; 404 without an app. See {@link WecomAppAdapter.handleCallback}. */
  async handleCallback(req: WecomCallbackRequest): Promise<WecomCallbackResponse> {
    return this.parts.app ? this.parts.app.handleCallback(req) : { status: 404, body: 'no WeCom app configured' };
  }

  async send(to: ConversationRef, msg: OutboundMessage): Promise<SendResult> {
    const channel = wecomChannelFor(to, msg, { bot: !!this.parts.bot, app: !!this.parts.app });
    const part = channel === 'bot' ? this.parts.bot : this.parts.app;
    if (!part) throw new DeliveryError('blocked', `no WeCom ${channel} configured for ${to.kind} chat ${to.chatId}`);
    return part.send(to, msg);
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.parts.bot?.stop(), this.parts.app?.stop()]);
  }
}

/**
 * Which part sends a message (see {@link WecomAdapter}): by the chat id's prefix, then for a
 * private chat by the prefix of the message it answers, then the app if there is one. Pure.
 */
export function wecomChannelFor(to: ConversationRef, msg: Pick<OutboundMessage, 'replyTo'>, has: { bot: boolean; app: boolean }): 'bot' | 'app' {
  if (to.chatId.startsWith(botPrefix)) return 'bot';
  if (to.chatId.startsWith(appPrefix) || to.chatId.startsWith(hookPrefix)) return 'app';
  if (to.kind === 'group') return 'bot';
  if (msg.replyTo?.startsWith(botPrefix) && has.bot) return 'bot';
  if (msg.replyTo?.startsWith(appPrefix) && has.app) return 'app';
  return has.app ? 'app' : 'bot';
}

/**
 * The WeCom adapter the environment asks for, or null when neither part is configured (see
 * config.ts for the variables). `botName` is what residents @ when WECOM_BOT_NAME is unset.
 */
export function createWecomAdapter(opts: { env?: NodeJS.ProcessEnv; log?: Logger; botName: string }): WecomAdapter | null {
  const env = opts.env ?? process.env;
  const botConfig = wecomBotConfig(env);
  const appConfig = wecomAppConfig(env);
  if (!botConfig && !appConfig) return null;
  return new WecomAdapter({
    bot: botConfig
      ? new WecomBotAdapter({
          botId: botConfig.botId,
          secret: botConfig.secret,
          wsUrl: botConfig.wsUrl,
          botName: botConfig.botName ?? opts.botName,
          log: opts.log,
        })
      : undefined,
    app: appConfig ? new WecomAppAdapter({ ...appConfig, log: opts.log }) : undefined,
  });
}
