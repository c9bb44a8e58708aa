import type OpenAI from 'openai';
import { z } from 'zod';
import type { LlmConfig } from '../../config.ts';
import { maskPersonalData } from '../../lib/mask.ts';
import type { Logger } from '../../lib/logger.ts';
import type { CoreContext } from '../context.ts';
import { llmCallsToday, recordLlmCall, type LlmOutcome } from './record-llm-call.ts';
import { llmCalls, llmLatency } from '../../lib/metrics.ts';

/** One question to the LLM: fixed instructions, the data apart, the shape the answer must have. */
export interface LlmQuestion<T> {
  /** What asks, for the record: "understand", "draft_project", … */
  purpose: string;
  /** The version of `system`, recorded with every call. */
  promptVersion: string;
  /** Whose budget the call spends (null: words from no community). */
  communityId: number | null;
  /** Instructions only: a constant, never a resident's words, a name or a group title. */
  system: string;
  /**
   * The data, sent as the user message in JSON (so a resident's words arrive as one quoted,
   * escaped string). Every string in it is masked (phone, ID and room numbers) before it leaves.
   */
  data: unknown;
  /** The answer's name in the json_schema response format (letters, digits, _ and -). */
  schemaName: string;
  /**
   * What a valid answer is. Its input side is the JSON schema the endpoint gets (structured outputs:
   * every field required, null for none, no other keys); its output is what the caller receives.
   */
  schema: z.ZodType<T>;
}

/** Why an answer did not come, or `ok`: what `LlmClient.ask` tells a caller that wants to know. */
export type LlmAnswer<T> = { ok: true; value: T } | { ok: false; outcome: Exclude<LlmOutcome, 'ok'> };

/** Time left below which a second attempt is not started: it could not finish. */
const MIN_ATTEMPT_MS = 250;

/**
 * The SDK, imported when the first client is made: a process without LLM_BASE_URL never loads it
 * (some 7 MB of heap and 20 MB resident for code it would not run).
 */
let sdk: typeof import('openai').default | undefined;
const loadSdk = async () => (sdk ??= (await import('openai')).default);

/**
 * The one way Linli talks to an OpenAI-compatible endpoint. Never trusted, never waited on:
 * - every string of the data is masked (phone, ID and room numbers) before anything is sent;
 * - one deadline (`timeoutMs`, default 4 s) covers the whole question, a retry included;
 * - an empty or invalid answer is asked again once; a timeout or an error is not;
 * - over the community's daily budget, or with LLM=off, nothing is sent;
 * - every call, sent or held back, is one LlmCall row (purpose, prompt version, latency, tokens, outcome).
 * It returns a validated value or null; it never throws for the endpoint's sake, so every caller has
 * a way on without it (the offline understander, or no draft at all).
 */
export class LlmClient {
  private readonly openai: Promise<OpenAI>;

  constructor(
    private readonly ctx: CoreContext,
    readonly config: LlmConfig,
    private readonly log?: Logger,
  ) {
    // Started now, so the first question does not wait for the import.
    this.openai = loadSdk().then((OpenAI) => new OpenAI({ baseURL: config.baseUrl, apiKey: config.apiKey, timeout: config.timeoutMs, maxRetries: 0 }));
    this.openai.catch(() => undefined); // a failed import surfaces on the first question, as an error outcome
  }

  /** The validated answer, or null when there is none in time (the reason is recorded). */
  async ask<T>(q: LlmQuestion<T>): Promise<T | null> {
    const a = await this.answer(q);
    return a.ok ? a.value : null;
  }

  /** Like `ask`, with the reason an answer did not come. */
  async answer<T>(q: LlmQuestion<T>): Promise<LlmAnswer<T>> {
    const deadline = performance.now() + this.config.timeoutMs;
    if (this.config.off) {
      await this.record(q, 'off', 0);
      return { ok: false, outcome: 'off' };
    }
    const jsonSchema = wireSchemaOf(q.schema);
    const messages = [
      { role: 'system' as const, content: this.config.responseFormat === 'json_object' ? withSchemaInPrompt(q.system, jsonSchema) : q.system },
      { role: 'user' as const, content: JSON.stringify(maskStrings(q.data)) },
    ];
    const response_format =
      this.config.responseFormat === 'json_object'
        ? ({ type: 'json_object' } as const)
        : ({ type: 'json_schema', json_schema: { name: q.schemaName, schema: jsonSchema, strict: true } } as const);
    let last: Exclude<LlmOutcome, 'ok'> = 'invalid';
    for (let attempt = 1; attempt <= 2; attempt++) {
      const left = deadline - performance.now();
      if (attempt > 1 && left < MIN_ATTEMPT_MS) break;
      if (!(await this.withinBudget(q))) {
        await this.record(q, 'budget', 0);
        return { ok: false, outcome: 'budget' };
      }
      const started = performance.now();
      const remaining = Math.max(1, Math.round(deadline - started));
      let completion: OpenAI.Chat.Completions.ChatCompletion;
      try {
        completion = await (await this.openai).chat.completions.create(
          { model: this.config.model, messages, response_format, temperature: 0 },
          { signal: AbortSignal.timeout(remaining), timeout: remaining, maxRetries: 0 },
        );
      } catch (err) {
        const outcome = isTimeout(err) ? 'timeout' : 'error';
        this.log?.warn({ purpose: q.purpose, outcome, err: describe(err) }, 'LLM call failed; answering without it');
        await this.record(q, outcome, performance.now() - started);
        return { ok: false, outcome };
      }
      const usage = { promptTokens: completion.usage?.prompt_tokens, completionTokens: completion.usage?.completion_tokens };
      const value = parseAnswer(completion, q.schema);
      if (value.ok) {
        await this.record(q, 'ok', performance.now() - started, usage);
        return { ok: true, value: value.value };
      }
      last = 'invalid';
      this.log?.warn({ purpose: q.purpose, attempt, why: value.why }, 'LLM answer invalid');
      await this.record(q, 'invalid', performance.now() - started, usage);
    }
    return { ok: false, outcome: last };
  }

  private async withinBudget(q: LlmQuestion<unknown>): Promise<boolean> {
    if (this.config.dailyCalls === null) return true;
    return (await llmCallsToday(this.ctx, q.communityId)) < this.config.dailyCalls;
  }

  /** A row for the call; a failure to write it is logged, never the reason a person gets no reply. */
  private async record(q: LlmQuestion<unknown>, outcome: LlmOutcome, latencyMs: number, usage: { promptTokens?: number; completionTokens?: number } = {}): Promise<void> {
    llmCalls.inc({ purpose: q.purpose, outcome });
    if (outcome !== 'budget' && outcome !== 'off') llmLatency.observe({ purpose: q.purpose }, latencyMs / 1000);
    try {
      await recordLlmCall(this.ctx, { communityId: q.communityId, purpose: q.purpose, promptVersion: q.promptVersion, model: this.config.model, latencyMs, outcome, ...usage });
    } catch (err) {
      this.log?.error({ err: describe(err), purpose: q.purpose, outcome }, 'could not record an LLM call');
    }
  }
}

/** The JSON schema of what the endpoint must answer: the input side of the zod schema. */
export function wireSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/** For endpoints without structured outputs (json_object): the schema goes in the instructions. */
export function withSchemaInPrompt(system: string, jsonSchema: Record<string, unknown>): string {
  return `${system}\n\nAnswer with one JSON object and nothing else. It must match this JSON Schema exactly (every key present, null where there is nothing, no other keys):\n${JSON.stringify(jsonSchema)}`;
}

/** Every string inside a JSON-able value with personal data masked (keys too). */
export function maskStrings(value: unknown): unknown {
  if (typeof value === 'string') return maskPersonalData(value);
  if (Array.isArray(value)) return value.map(maskStrings);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [maskPersonalData(k), maskStrings(v)]));
  return value;
}

function parseAnswer<T>(completion: OpenAI.Chat.Completions.ChatCompletion, schema: z.ZodType<T>): { ok: true; value: T } | { ok: false; why: string } {
  const message = completion.choices?.[0]?.message;
  // Some compatible servers answer structured output as a tool call.
  const call = message?.tool_calls?.find((c) => c.type === 'function');
  const text = (message?.content || (call && 'function' in call ? call.function.arguments : '') || '').trim();
  if (!text) return { ok: false, why: 'empty' };
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^```(?:json)?\s*|\s*```$/g, ''));
  } catch {
    return { ok: false, why: 'not JSON' };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, why: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 300) };
}

function isTimeout(err: unknown): boolean {
  if (sdk && (err instanceof sdk.APIConnectionTimeoutError || err instanceof sdk.APIUserAbortError)) return true;
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError');
}

function describe(err: unknown): string {
  if (sdk && err instanceof sdk.APIError) return `${err.status ?? ''} ${err.message}`.trim().slice(0, 200);
  return err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 200) : String(err).slice(0, 200);
}
