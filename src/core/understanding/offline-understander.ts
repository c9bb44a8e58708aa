import { analyzeNeed } from '../needs/classify-need.ts';
import { loadOfflineModel, type OfflineModel } from './offline-model.ts';
import { readSlots } from './slots.ts';
import { understandingSchema, type Understander, type Understanding, type UnderstandingContext } from './understanding.ts';

/** Below this the category model's guess is no category (as in classifyNeed). */
const UNSURE_CATEGORY = 0.3;
const WORDS = /[\p{L}]/u;
const CHECKIN_CODE = /(?<!\d)\d{6}(?!\d)/;
const ARRIVED = /签到|到了|到啦|已到|到达|到场|到现场|报到|码|arrived|i'm here|code/;

/**
 * The offline understander: the trained intent model, the category model for needs, and the slot
 * readers (src/core/understanding/slots.ts). Pure and synchronous after the model is loaded (no
 * I/O, no clock); `understand` is async only to fit {@link Understander}.
 */
export class OfflineUnderstander implements Understander {
  constructor(private readonly model: OfflineModel = loadOfflineModel()) {}

  async understand(text: string, context: UnderstandingContext): Promise<Understanding> {
    return this.read(text, context);
  }

  /** The same as {@link understand}, synchronously. */
  read(text: string, _context?: UnderstandingContext): Understanding {
    const normalized = this.model.normalize(typeof text === 'string' ? text : '');
    // Nothing but digits and signs ("2", "👍", "123456") names nothing to do: chatter, for help.
    if (!WORDS.test(normalized)) return { intent: 'chatter', confidence: 1, slots: {}, source: 'offline' };
    const analysis = analyzeNeed(normalized);
    const features = this.model.featuresOfNormalized(normalized, analysis);
    let { intent, p } = this.model.intentOf(features);
    const slots = readSlots(normalized);
    // A six-digit code said with "到了 / 签到 / 码" is a check-in, whatever else the words say.
    if (CHECKIN_CODE.test(normalized) && ARRIVED.test(normalized) && intent !== 'check_in') {
      intent = 'check_in';
      p = Math.max(p, 0.9);
    }
    if (intent === 'report_need' || intent === 'support_need') {
      const c = this.model.categoryOf(features);
      slots.category = c.p < UNSURE_CATEGORY ? 'other' : c.category;
    }
    return understandingSchema.parse({ intent, confidence: Math.round(p * 1000) / 1000, slots, source: 'offline' });
  }
}

let shared: OfflineUnderstander | undefined;

/** The process's offline understander over the committed model, made (and the model loaded) on first call. */
export function offlineUnderstander(): OfflineUnderstander {
  return (shared ??= new OfflineUnderstander());
}
