import type { Problem } from './project.js';

/**
 * A project file's bytes as text, or where they stop being UTF-8. Read leniently, a stray byte
 * would become U+FFFD and reach the compiled SQL ('Logged �In' never matches an event name).
 */
export function utf8Text(file: string, bytes: Uint8Array): string | Problem {
  let text: string;
  try {
    text = decoder().decode(bytes);
  } catch {
    const at = firstInvalidByte(bytes);
    const before = bytes.subarray(0, at);
    const lineStart = before.lastIndexOf(0x0a) + 1;
    const line = before.filter((b) => b === 0x0a).length + 1;
    const column = [...decoder().decode(bytes.subarray(lineStart, at))].length + 1;
    const byte = bytes[at].toString(16).padStart(2, '0');
    return { file, line, column, message: `the file is not UTF-8 text (byte 0x${byte} here): save it as UTF-8` };
  }
  // No engine's text holds a NUL: a SQL file's would fail at run time, away from its place here.
  const nul = text.indexOf('\u0000');
  if (nul < 0) return text;
  const before = text.slice(0, nul);
  const line = before.split('\n').length;
  const column = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
  return { file, line, column, message: 'the file holds a NUL character (byte 0x00) here, which no warehouse\'s text can hold' };
}

// The BOM is kept, as reading with 'utf8' kept it: the YAML parser skips it itself.
const decoder = (): TextDecoder => new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The offset of the first byte that is not part of valid UTF-8: the longest prefix that decodes, by bisection. */
function firstInvalidByte(bytes: Uint8Array): number {
  // A prefix decodes (a sequence cut at its end is allowed while streaming) iff no byte in it is invalid.
  const decodes = (n: number): boolean => {
    try {
      decoder().decode(bytes.subarray(0, n), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let [good, bad] = [0, bytes.length];
  while (bad - good > 1) {
    const mid = Math.floor((good + bad) / 2);
    if (decodes(mid)) good = mid;
    else bad = mid;
  }
  // The byte that makes it fail; or, where it interrupts a character begun before it, that character's first byte.
  const failing = bad - 1;
  let start = failing - 1;
  while (start > failing - 4 && start >= 0 && (bytes[start] & 0xc0) === 0x80) start--;
  return start >= 0 && bytes[start] >= 0xc0 && sequenceLength(bytes[start]) > failing - start ? start : failing;
}

/** How many bytes a character starting with this lead byte takes. */
function sequenceLength(lead: number): number {
  return lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
}
