import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { createLogger } from '../../src/lib/logger.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { destination, text: () => lines.join('') };
}

describe('log format', () => {
  test('pretty: one human-readable line per entry, masked as the JSON is', () => {
    const out = capture();
    const log = createLogger({ level: 'info', destination: out.destination, format: 'pretty' });
    log.info({ text: '需求 我的电话13812345678' }, 'message from 13912345678');
    const text = out.text();
    expect(text).toMatch(/INFO.*message from 139\*\*\*\*5678/);
    expect(text).toContain('138****5678');
    expect(text).not.toContain('13812345678');
    expect(text).not.toContain('13912345678');
    expect(text.trimStart().startsWith('{')).toBe(false);
  });

  test('auto: JSON lines when the destination is not a terminal, pretty when it is', () => {
    const file = capture();
    createLogger({ destination: file.destination }).info('plain');
    expect(JSON.parse(file.text())).toMatchObject({ msg: 'plain', level: 30 });

    const terminal = capture();
    Object.assign(terminal.destination, { isTTY: true });
    createLogger({ destination: terminal.destination }).warn('on a terminal');
    expect(terminal.text()).toMatch(/WARN.*on a terminal/);
  });
});
