// Counts SQL statements (every pg Client.query, inside or outside transactions) and Redis
// commands (every command ioredis sends, pipelined or not) while enabled, with the time each
// SQL statement took from call to result. Used by the benchmarks' --queries mode.
import pg from 'pg';
import { Redis } from 'ioredis';

interface Tally {
  n: number;
  ms: number;
  sample: string;
}

export class QueryCounter {
  enabled = false;
  sqlTotal = 0;
  redisTotal = 0;
  readonly sql = new Map<string, Tally>();
  readonly redis = new Map<string, number>();

  reset(): void {
    this.sqlTotal = 0;
    this.redisTotal = 0;
    this.sql.clear();
    this.redis.clear();
  }

  /** Patches pg and ioredis for the whole process (once). */
  install(): this {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const counter = this;
    const clientProto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const query = clientProto.query;
    clientProto.query = function (this: unknown, ...args: unknown[]) {
      if (!counter.enabled) return query.apply(this, args);
      const first = args[0];
      const text = typeof first === 'string' ? first : (first as { text?: string } | undefined)?.text ?? '';
      const t0 = performance.now();
      const done = () => counter.addSql(text, performance.now() - t0);
      const cbIndex = args.findIndex((a) => typeof a === 'function');
      if (cbIndex >= 0) {
        const cb = args[cbIndex] as (...r: unknown[]) => void;
        args[cbIndex] = (...r: unknown[]) => {
          done();
          cb(...r);
        };
        return query.apply(this, args);
      }
      const result = query.apply(this, args) as Promise<unknown> | undefined;
      if (result && typeof result.then === 'function') result.then(done, done);
      return result;
    };
    const redisProto = Redis.prototype as unknown as { sendCommand: (...args: unknown[]) => unknown };
    const send = redisProto.sendCommand;
    redisProto.sendCommand = function (this: unknown, ...args: unknown[]) {
      if (counter.enabled) {
        const name = String((args[0] as { name?: string }).name ?? '?');
        counter.redisTotal++;
        counter.redis.set(name, (counter.redis.get(name) ?? 0) + 1);
      }
      return send.apply(this, args);
    };
    return this;
  }

  private addSql(text: string, ms: number): void {
    this.sqlTotal++;
    const key = summarizeSql(text);
    const t = this.sql.get(key) ?? { n: 0, ms: 0, sample: text };
    t.n++;
    t.ms += ms;
    this.sql.set(key, t);
  }
}

/** `SELECT Need`, `INSERT InboundMessage`, `BEGIN` …: the verb and the main table. */
export function summarizeSql(text: string): string {
  const s = text.replace(/\s+/g, ' ').trim();
  const verb = /^(\w+)/.exec(s)?.[1]?.toUpperCase() ?? '?';
  const table = (re: RegExp) => re.exec(s)?.[1] ?? '?';
  switch (verb) {
    case 'SELECT': {
      const t = table(/\bFROM (?:"[^"]+"\.)?"([^"]+)"/);
      return /\bCOUNT\(/i.test(s) ? `SELECT ${t} (count)` : `SELECT ${t}`;
    }
    case 'INSERT':
      return `INSERT ${table(/^INSERT INTO (?:"[^"]+"\.)?"([^"]+)"/i)}`;
    case 'UPDATE':
      return `UPDATE ${table(/^UPDATE (?:"[^"]+"\.)?"([^"]+)"/i)}`;
    case 'DELETE':
      return `DELETE ${table(/^DELETE FROM (?:"[^"]+"\.)?"([^"]+)"/i)}`;
    case 'WITH':
      return `WITH … ${table(/\b(?:INSERT INTO|UPDATE|FROM) (?:"[^"]+"\.)?"([^"]+)"/i)}`;
    default:
      return verb;
  }
}
