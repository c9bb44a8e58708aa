import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';
import { maskPersonalData } from './mask.ts';

export type { Logger } from 'pino';

/** `auto`: human-readable lines on a terminal, JSON lines otherwise (a file, journald, a log shipper). */
export type LogFormat = 'auto' | 'pretty' | 'json';

type PrettyFactory = (opts: Record<string, unknown>) => DestinationStream;

const require = createRequire(import.meta.url);
let pretty: PrettyFactory | null | undefined;

/** pino-pretty, when installed (it is a dependency; a copy of node_modules from before it was added lacks it). */
function prettyFactory(): PrettyFactory | null {
  if (pretty === undefined) {
    try {
      const mod = require('pino-pretty') as PrettyFactory | { default: PrettyFactory };
      pretty = typeof mod === 'function' ? mod : mod.default;
    } catch {
      pretty = null;
    }
  }
  return pretty;
}

/** Whether `auto` means pretty for this destination: a terminal does, anything else does not. */
function isTerminal(destination: NodeJS.WritableStream | undefined): boolean {
  const stream = (destination ?? process.stdout) as { isTTY?: boolean };
  return stream.isTTY === true;
}

/**
 * The process logger. Every line passes through maskPersonalData before it is written (the hook
 * sees pino's JSON line, before pino-pretty formats it), so a message text that slips into a log
 * line never carries a phone number in the clear, in either format.
 */
export function createLogger(
  opts: { level?: string; name?: string; destination?: NodeJS.WritableStream; format?: LogFormat } = {},
): Logger {
  const options = {
    name: opts.name ?? 'linli',
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    hooks: { streamWrite: (line: string) => maskPersonalData(line) },
  };
  const format = opts.format ?? 'auto';
  const wantsPretty = format === 'pretty' || (format === 'auto' && isTerminal(opts.destination));
  if (wantsPretty) {
    const factory = prettyFactory();
    if (factory) {
      const stream = factory({
        destination: opts.destination ?? 1,
        colorize: opts.destination ? false : process.stdout.isTTY === true,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname,name',
        // Synchronous, as pino's own stdout destination: the last lines before an exit are not lost.
        sync: true,
      });
      return pino(options, stream);
    }
    if (format === 'pretty') {
      process.stderr.write('LOG_FORMAT=pretty needs the pino-pretty package (npm install); logging JSON lines instead\n');
    }
  }
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

/** A logger that writes nothing, for tests and benchmarks. */
export const silentLogger: Logger = pino({ level: 'silent' });
