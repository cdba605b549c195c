import { describe, expect, it } from 'vitest';
import { round12 } from '../../src/support/round12.js';

describe('round12 (JavaScript, as the dialects round in SQL)', () => {
  it('rounds the number as written, half away from zero: ties as written round up, digits below a tie down', () => {
    // [double, rounded], worked out by hand from the digits String() writes
    const cases: [number, number][] = [
      [0.1234567890125, 0.123456789013], [-0.1234567890125, -0.123456789013], [0.1234567890124999, 0.123456789012],
      [123456789012.5, 123456789013], [123456789012.49998, 123456789012], [9.9999999999995, 10], [0.1 + 0.2, 0.3],
      [2.5, 2.5], [5e-324, 5e-324], [1.7976931348623157e308, 1.79769313486e308], [0, 0], [Infinity, Infinity],
    ];
    expect(cases.map(([x]) => [x, round12(x)])).toEqual(cases);
  });
});
