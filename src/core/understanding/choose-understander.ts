import type { Config } from '../../config.ts';
import type { Logger } from '../../lib/logger.ts';
import type { CoreContext } from '../context.ts';
import { LlmClient } from '../llm/llm-client.ts';
import { LlmUnderstander } from './llm-understander.ts';
import type { Understander } from './understanding.ts';

/**
 * The LLM client of this process: undefined without LLM_BASE_URL. With LLM=off it exists but sends
 * nothing (each question is recorded `off` and answered null), so workers' drafts simply do not appear.
 */
export function llmClientFor(config: Pick<Config, 'llm'>, ctx: CoreContext, log?: Logger): LlmClient | undefined {
  return config.llm ? new LlmClient(ctx, config.llm, log) : undefined;
}

/**
 * Who understands residents' plain words: the LLM understander when an endpoint is configured and
 * LLM is not off (it falls back to `fallback` whenever it has no answer in time), else `fallback`.
 */
export function understanderFor(config: Pick<Config, 'llm'>, ctx: CoreContext, fallback: Understander, log?: Logger): Understander {
  if (!config.llm || config.llm.off) return fallback;
  return new LlmUnderstander(new LlmClient(ctx, config.llm, log), fallback);
}
