import { pino, type Logger } from 'pino';
import { maskPersonalData } from './mask.ts';

export type { Logger } from 'pino';

/**
 * The process logger. Every string it writes passes through maskPersonalData, so a message
 * text that slips into a log line never carries a phone number in the clear.
 */
export function createLogger(opts: { level?: string; name?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const options = {
    name: opts.name ?? 'linli',
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    hooks: { streamWrite: (line: string) => maskPersonalData(line) },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

/** A logger that writes nothing, for tests and benchmarks. */
export const silentLogger: Logger = pino({ level: 'silent' });
