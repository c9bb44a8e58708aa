import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { findPhone, hasPersonalData, maskPersonalData } from '../../src/lib/mask.ts';
import { createLogger } from '../../src/lib/logger.ts';

describe('maskPersonalData', () => {
  test.each([
    ['电话13812345678', '电话138****5678'],
    ['电话 138-1234-5678 找我', '电话 138****5678 找我'],
    ['+86 13912345678', '139****5678'],
    ['座机010-62345678', '座机010-****78'],
    ['身份证110101199003071234', '身份证110101********1234'],
    ['3号楼2单元501漏水', '3号楼2单元***漏水'],
    ['12栋1203室', '12栋***'],
    // Regression: a room number without its building ("2单元301", "301室", "3-2-301") went out in the clear.
    ['2单元301室的水管爆了', '2单元***的水管爆了'],
    ['我家301室漏水', '我家***漏水'],
    ['3-2-301楼上漏水', '3-2-***楼上漏水'],
    ['room 301 leaks', 'room *** leaks'],
    // Regression: the space after a masked room was swallowed ("3号楼2单元***漏水").
    ['3号楼2单元501 漏水', '3号楼2单元*** 漏水'],
  ])('%s → %s', (input, masked) => {
    expect(maskPersonalData(input)).toBe(masked);
    expect(hasPersonalData(input)).toBe(true);
  });

  test('leaves ordinary texts and numbers alone', () => {
    for (const s of ['3号楼楼道灯坏了', '+1 12', '报名 3 B', '2026-12-05 09:00', '一共 13812 元', '订单号 20261122123456789012', '2单元楼道灯坏了', '东门3号楼门口']) {
      expect(maskPersonalData(s)).toBe(s);
    }
  });

  test('findPhone returns the digits', () => {
    expect(findPhone('我的电话 138 1234 5678')).toBe('13812345678');
    expect(findPhone('没有电话')).toBeNull();
  });
});

describe('logger', () => {
  test('masks phone numbers in every line it writes', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = createLogger({ level: 'info', destination });
    log.info({ text: '需求 我的电话13812345678' }, 'message from 13912345678');
    await new Promise((r) => setTimeout(r, 20));
    const out = lines.join('');
    expect(out).toContain('138****5678');
    expect(out).toContain('139****5678');
    expect(out).not.toContain('13812345678');
    expect(out).not.toContain('13912345678');
  });
});
