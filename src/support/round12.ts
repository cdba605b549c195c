/**
 * A double rounded to 12 significant digits as SPEC 3 keeps numbers, as every dialect's round12
 * does in SQL: the number as JSON and JavaScript write it (its shortest digits), half away from
 * zero. Number's toPrecision(12) rounds the double's exact binary value instead, and the two part
 * at a tie: 0.1234567890125 is 0.12345678901249999837 in binary, a tie as written.
 *
 * As in SQL: the double's 15 digits rounded to 12, but where they end in 500 (a tie of 12 digits)
 * and the double is below the tie's own double, down (0.1234567890124999 has 15 digits
 * 1.23456789012500).
 */
export function round12(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const fifteen = Math.abs(x).toExponential(14);
  const [mantissa, exponent] = fifteen.split('e');
  const digits = mantissa.replace('.', '');
  const down = digits[12] < '5' || (digits.endsWith('500') && Math.abs(x) < Number(fifteen));
  const kept = BigInt(digits.slice(0, 12)) + (down ? 0n : 1n);
  return Math.sign(x) * Number(`${kept}e${Number(exponent) - 11}`);
}
