// What a good model answers for the plain-language transcript (tests/transcripts/plain-language.txt),
// served by the local OpenAI-compatible server: the structured output for each message the router
// hands the understander (normalised: half-width punctuation, the @mention gone). Words it has no
// answer for are recorded in `unknown` and get a 500, so a test can tell the LLM answered every turn
// rather than the offline fallback.
import { FakeOpenAiServer, reply, type RecordedRequest } from './openai-server.ts';

type Slots = Partial<Record<'category' | 'place' | 'when' | 'shift', string> & Record<'number' | 'rating', number> & { urgent: boolean }>;

/** An answer in the wire shape strict structured outputs require: every slot present, null for none. */
export const understood = (intent: string, slots: Slots = {}, confidence = 0.95) => ({
  intent,
  confidence,
  slots: { category: null, place: null, number: null, when: null, shift: null, rating: null, urgent: null, ...slots },
});

const answers: Array<[(words: string) => boolean, ReturnType<typeof understood>]> = [
  [(w) => w === '楼道灯坏了好几天了,晚上黑乎乎的', understood('report_need', { category: 'repair', place: '楼道' })],
  [(w) => w === '我也遇到了楼道灯不亮', understood('support_need', { category: 'repair' })],
  [(w) => w === '这周有什么活动', understood('ask_projects')],
  [(w) => w === '我周六上午可以去帮忙', understood('sign_up', { when: '周六上午' })],
  [(w) => w === '我周三晚上有空可以去帮忙', understood('sign_up', { when: '周三晚上' })],
  [(w) => w === '算我一个', understood('sign_up', {}, 0.9)],
  [(w) => w === '周六我去不了了', understood('cancel', { when: '周六' })],
  [(w) => w === '周日下午我能去', understood('sign_up', { when: '周日下午' })],
  [(w) => w === '我到了 签到码 001158', understood('check_in')],
  [(w) => w.startsWith('5号楼电梯坏了'), understood('report_need', { category: 'repair', place: '5号楼' })],
];

/** How many of the transcript's turns go to the understander (the others are commands or answers to a question). */
export const plainLanguageUnderstoodTurns = 9;

/** A mainland mobile number, as a resident may type it. */
export const PHONE = /(?<!\d)1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/;

/** The resident's words in an understanding request (the user message's JSON `words`). */
export function wordsOf(r: RecordedRequest): string {
  const user = r.body.messages.find((m) => m.role === 'user');
  return String((JSON.parse(user?.content ?? '{}') as { words?: unknown }).words ?? '');
}

/** A local OpenAI-compatible server answering as a good model would; `unknown` lists words it could not. */
export async function startGoodModel(): Promise<{ llm: FakeOpenAiServer; unknown: string[] }> {
  const llm = await FakeOpenAiServer.start();
  const unknown: string[] = [];
  llm.responder = (r) => {
    const words = wordsOf(r);
    const answer = answers.find(([matches]) => matches(words))?.[1];
    if (!answer) unknown.push(words);
    return answer ? reply.json(answer) : reply.status(500, { error: { message: `no answer for ${words}` } });
  };
  return { llm, unknown };
}
