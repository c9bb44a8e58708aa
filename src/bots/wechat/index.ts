// WeChat (a personal account through a wechaty puppet). Importing this costs nothing: wechaty
// itself is loaded only when an adapter built from configuration starts.
export { wechatConfigFromEnv, type WechatConfig } from './config.ts';
export {
  WechatAdapter,
  classifySendError,
  parseQuote,
  qrcodeUrl,
  stripMentions,
  type InboundOutcome,
  type WechatAdapterEvents,
  type WechatAdapterOptions,
  type WechatJoinEvent,
  type WechatQr,
  type WechatStatus,
} from './wechat-adapter.ts';
