import type { Logger } from '../lib/logger.ts';
import type { ChatAdapter, CommandMenu } from './types.ts';
import { TelegramAdapter, telegramConfigFromEnv } from './telegram/index.ts';
import { WechatAdapter, wechatConfigFromEnv } from './wechat/index.ts';
import { createWecomAdapter } from './wecom/wecom-adapter.ts';

/**
 * The platform adapters the environment configures (the web chat is always there, built by the
 * app). A platform without credentials is simply absent; half a configuration stops start-up with
 * one line naming the variables (each config.ts throws `Linli: …`). `commandMenus` is the `/` menu
 * for the platforms that show one (Telegram), handed in by the app.
 */
export function platformAdaptersFromEnv(opts: {
  env?: NodeJS.ProcessEnv;
  log: Logger;
  botName: string;
  commandMenus?: readonly CommandMenu[];
}): ChatAdapter[] {
  const env = opts.env ?? process.env;
  const adapters: ChatAdapter[] = [];
  const telegram = telegramConfigFromEnv(env);
  if (telegram) adapters.push(new TelegramAdapter(telegram, { log: opts.log, commandMenus: opts.commandMenus }));
  const wechat = wechatConfigFromEnv(env);
  if (wechat) adapters.push(new WechatAdapter(wechat, { log: opts.log.child({ platform: 'wechat' }) }));
  const wecom = createWecomAdapter({ env, log: opts.log, botName: opts.botName });
  if (wecom) adapters.push(wecom);
  return adapters;
}
