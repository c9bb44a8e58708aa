// The plain-language golden transcript once more, unchanged, with the LLM configured (LLM_BASE_URL
// and LLM_MODEL through the harness's environment, so src/app.ts picks the LLM understander and
// the real client, openai SDK included, talks HTTP to a local OpenAI-compatible server). The
// server answers as a good model would: the structured output for each message of the transcript.
// Every understood turn must have been answered by it (no silent offline fallback), and no phone
// number may appear in anything it received.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.ts';
import { TestClock } from '../helpers/clock.ts';
import type { FakeOpenAiServer } from '../helpers/fakes/openai-server.ts';
import { PHONE, plainLanguageUnderstoodTurns, startGoodModel, wordsOf } from '../helpers/fakes/good-model.ts';
import { loadTranscript } from '../helpers/transcript.ts';
import { runTranscript } from '../helpers/run-transcript.ts';
import { webDriver } from '../helpers/web-driver.ts';

/** Sunday 2026-11-22 10:00 in Beijing; the transcript's shifts are on the Saturday and Sunday after. */
const clock = new TestClock('2026-11-22T10:00+08:00');

describe('plain-language golden transcript, web chat, with the LLM configured (a local OpenAI-compatible server)', () => {
  let llm: FakeOpenAiServer;
  let unknown: string[];
  let h: Harness;

  beforeAll(async () => {
    ({ llm, unknown } = await startGoodModel());
    h = await createHarness({ clock, env: { LLM_BASE_URL: llm.url, LLM_MODEL: 'good-model', LLM_API_KEY: 'test-key' } });
  });
  afterAll(async () => {
    await h?.close();
    await llm?.close();
  });

  test('plain-language.txt plays exactly, every understood turn answered by the LLM; no phone number sent', { timeout: 120_000 }, async () => {
    const driver = webDriver(h);
    await runTranscript(h.app.ctx, driver, loadTranscript('plain-language.txt'), { effects: h.app.effects, advance: (to) => h.advanceTo(to) });

    // One more report, with a phone number in it: recorded (the number kept for workers), never sent.
    await driver.say({ kind: 'say', person: '张阿姨', conv: 'g1', text: '@邻里助手 5号楼电梯坏了，有事打我电话 138-1234-5678', reply: false, again: false, line: 0, expected: [] });
    const lines = await driver.collect();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^bot @dm:张阿姨: 你在群里登记的需求 #2 已收到。你留的联系方式只给社区工作人员看/);
    expect(lines[1]).toMatch(/^bot @g1: @张阿姨 已登记需求 #2（物业维修）/);
    expect(lines.join('\n')).not.toMatch(PHONE);
    expect(await h.app.ctx.prisma.need.findFirstOrThrow({ where: { number: 2 } })).toMatchObject({ contactPhone: '13812345678' });

    // The understood turns of the transcript and the last one, each asked once, each answered.
    expect(unknown).toEqual([]);
    expect(llm.requests).toHaveLength(plainLanguageUnderstoodTurns + 1);
    expect(llm.requests.every((r) => r.body.model === 'good-model' && r.body.response_format?.type === 'json_schema' && r.authorization === 'Bearer test-key')).toBe(true);
    expect(await h.app.ctx.prisma.llmCall.groupBy({ by: ['purpose', 'outcome'], _count: true })).toEqual([{ purpose: 'understand', outcome: 'ok', _count: plainLanguageUnderstoodTurns + 1 }]);
    // Nothing that left the process holds a phone number (the last report's is masked: 138****5678).
    expect(wordsOf(llm.requests.at(-1)!)).toContain('138****5678');
    for (const r of llm.requests) expect(r.raw).not.toMatch(PHONE);
  });
});
