import { z } from 'zod';

/** An unset variable and an empty one mean the same: not configured. */
const optionalText = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().min(1).max(500).optional());

export const wechatEnvSchema = z.object({
  /**
   * The wechaty puppet (its npm name) that connects the WeChat account; setting it turns WeChat on.
   * `wechaty-puppet-service` (installed with wechaty) talks to a puppet service with a token.
   */
  WECHATY_PUPPET: optionalText.describe('The wechaty puppet (npm name, e.g. `wechaty-puppet-service`); setting it turns WeChat on. One login: exactly one `bots` process.'),
  /** The puppet service's token (`puppet_padlocal_…`, `puppet_workpro_…`), when the puppet needs one. */
  WECHATY_PUPPET_TOKEN: optionalText.describe('The puppet service\'s token (`puppet_padlocal_…`, `puppet_workpro_…`), when the puppet needs one.'),
  /**
   * `host:port` of the puppet service's gateway, skipping the token's `wechaty://` discovery. Needed
   * with wechaty 1.20's dependencies: that discovery (wechaty-token) crashes the process under the
   * installed @grpc/grpc-js 1.14. wechaty-puppet-service reads the same variable itself.
   */
  WECHATY_PUPPET_SERVICE_ENDPOINT: optionalText.describe('`host:port` of the puppet service\'s gateway, skipping the token\'s discovery (needed with wechaty 1.20\'s dependencies).'),
  /**
   * The memory card's name: wechaty keeps the login in `<name>.memory-card.json` (relative to the
   * working directory), so a restart does not ask for a new QR scan.
   */
  WECHATY_NAME: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z
      .string()
      .trim()
      .min(1)
      .max(200)
      .refine((s) => !s.split(/[\\/]/).includes('..'), 'must not contain ".." path segments')
      .default('linli'),
  ).describe('The memory card: the login is kept in `<name>.memory-card.json` in the working directory, so a restart needs no new QR scan.'),
});

/** How to connect the WeChat account. JSON-safe; the token is a secret: never log it. */
export interface WechatConfig {
  /** The puppet's npm name, e.g. `wechaty-puppet-service`. */
  puppet: string;
  token?: string;
  /** `host:port` of a puppet service gateway (wechaty-puppet-service only). */
  endpoint?: string;
  /** The memory-card name that keeps the login across restarts. */
  name: string;
}

/**
 * The WeChat configuration from the environment, or null when WECHATY_PUPPET is unset (WeChat off).
 * A bad value throws an Error whose message starts with `Linli:` and names the variable.
 */
export function wechatConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WechatConfig | null {
  const parsed = wechatEnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Linli: invalid WeChat configuration\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.WECHATY_PUPPET === undefined) return null;
  return {
    puppet: e.WECHATY_PUPPET,
    name: e.WECHATY_NAME,
    ...(e.WECHATY_PUPPET_TOKEN ? { token: e.WECHATY_PUPPET_TOKEN } : {}),
    ...(e.WECHATY_PUPPET_SERVICE_ENDPOINT ? { endpoint: e.WECHATY_PUPPET_SERVICE_ENDPOINT } : {}),
  };
}
