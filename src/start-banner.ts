import type { ChatAdapter } from './bots/types.ts';
import { TelegramAdapter } from './bots/telegram/index.ts';
import { WecomAdapter } from './bots/wecom/wecom-adapter.ts';
import type { Config } from './config.ts';

/**
 * What `npm start` prints once it is up: the roles, platforms, LLM, database and Redis this
 * process runs with, and where to open it. Hosts and names only: no password, key or token.
 */
export function startBanner(opts: { config: Config; adapters: readonly ChatAdapter[]; embeddedDatabase: boolean; databaseUrl: string; seconds: number }): string {
  const { config } = opts;
  const platforms = [
    ...(config.webChat ? ['web chat'] : []),
    ...opts.adapters.map((a) => {
      if (a instanceof TelegramAdapter) return `telegram (${a.usesWebhook ? 'webhook' : 'long polling'})`;
      if (a instanceof WecomAdapter) return `wecom (${[a.bot ? '智能机器人' : '', a.app ? '自建应用' : ''].filter(Boolean).join(', ')})`;
      return a.platform;
    }),
  ];
  const llm = config.llm
    ? `${config.llm.model} at ${hostOf(config.llm.baseUrl)}${config.llm.off ? ' (LLM=off: not used)' : ''}${config.llm.dailyCalls !== null ? `, ${config.llm.dailyCalls} calls a day per community` : ''}`
    : 'none (plain words read by the offline model)';
  const database = opts.embeddedDatabase ? `embedded PostgreSQL under ${config.dataDir} (for trying Linli; set DATABASE_URL in production)` : `PostgreSQL at ${hostOf(opts.databaseUrl)}`;
  const rows: Array<[string, string]> = [
    ['Roles', [...config.roles].join(', ')],
    ['Platforms', platforms.join(', ') || 'none'],
    ['LLM', llm],
    ['Database', database],
    ['Redis', hostOf(config.redisUrl)],
  ];
  const readers = config.metricsToken ? 'loopback, or the LINLI_METRICS_TOKEN bearer' : 'loopback only';
  if (config.roles.has('web')) {
    const where = `http://localhost:${config.port}`;
    if (config.webChat) rows.push(['Web chat', `${where}/chat`]);
    rows.push(['Console', `${where}/console`], ['Health', `${where}/healthz`], ['Metrics', `${where}/metrics (${readers})`]);
  } else if (config.metricsPort !== undefined) {
    rows.push(['Metrics', `http://localhost:${config.metricsPort}/metrics (${readers})`]);
  }
  return `\n  邻里 Linli is running in ${opts.seconds.toFixed(1)} s\n${rows.map(([k, v]) => `  ${`${k}:`.padEnd(11)}${v}\n`).join('')}\n`;
}

/** host:port/path of a URL, without user, password or query. */
function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol.startsWith('http') ? `${u.protocol}//` : ''}${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(unreadable URL)';
  }
}
