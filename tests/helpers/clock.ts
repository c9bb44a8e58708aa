// A clock tests move by hand: core use cases read it instead of the system time, so a test can
// sign up "today", then jump to the day of the shift, without waiting.
import type { Clock } from '../../src/core/context.ts';

export class TestClock implements Clock {
  private at: number;
  constructor(start: string | Date) {
    this.at = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.at);
  }
  set(to: string | Date): void {
    this.at = new Date(to).getTime();
  }
  advance(ms: number): void {
    this.at += ms;
  }
}

/** A clock that runs with real time, shifted: `now()` is the real time plus `offsetMs`. */
export class ShiftedClock implements Clock {
  constructor(public offsetMs: number) {}
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}
