import { open, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SegmentMessage } from '../emit/change.js';
import { makeFolders } from '../support/make-folders.js';
import { DeliveryError, jsonLine, MAX_DELIVERY_STEP, type DeliveryTarget } from './delivery-target.js';

/** Tuning for the tail scan of `alreadyDelivered`; defaults suit production. */
export interface JsonlOptions {
  /**
   * Stop scanning backwards after this many lines (default MAX_DELIVERY_STEP): a crash leaves
   * at most one delivery step's lines after the last acknowledged one, at the end of the file.
   * Without it, a pending batch that is not in a large file (every scheduled run's first)
   * would be looked for through the whole byte budget: 0.6 s for 256 MiB.
   */
  readonly maxScanLines?: number;
  /**
   * Stop scanning backwards after this many bytes (default 256 MiB): a whole delivery step
   * of up to ~13 KB per message on average.
   */
  readonly maxScanBytes?: number;
  /** Read size when scanning backwards (default 1 MiB). */
  readonly chunkBytes?: number;
  /** Bytes per write() when appending (default 4 MiB). */
  readonly writeChunkBytes?: number;
}

const NEWLINE = 0x0a;
/** How every line roster writes starts: a Segment message's JSON, `type` first (emit/render.ts). */
const MESSAGE_START = Buffer.from('{"type":"');
/** The most of an unended last line read to tell a torn one (see isTorn). */
const MAX_TAIL_READ = 64 * 1024 * 1024;

/**
 * Appends one JSON line per message to a file and fsyncs before `send` resolves. On open
 * it cuts a torn last line of its own (a crash mid-write), so the file never holds half a line; with
 * `alreadyDelivered` reading the tail, a re-drained outbox never writes a message twice.
 * Calls must not overlap (the outbox drains one batch at a time).
 */
export class JsonlDestination implements DeliveryTarget {
  private handle: Promise<FileHandle> | undefined;
  private readonly maxScanLines: number;
  private readonly maxScanBytes: number;
  private readonly chunkBytes: number;
  private readonly writeChunkBytes: number;
  private lines: LineBuffer | undefined; // reused by every send: one chunk-sized allocation

  constructor(readonly name: string, readonly path: string, options: JsonlOptions = {}) {
    this.maxScanLines = options.maxScanLines ?? MAX_DELIVERY_STEP;
    this.maxScanBytes = options.maxScanBytes ?? 256 * 1024 * 1024;
    this.chunkBytes = options.chunkBytes ?? 1024 * 1024;
    this.writeChunkBytes = options.writeChunkBytes ?? 4 * 1024 * 1024;
  }

  async alreadyDelivered(messageIds: readonly string[]): Promise<Set<string>> {
    const wanted = new Set(messageIds);
    if (wanted.size === 0) return new Set();
    try {
      return await this.findInTail(await this.file(), wanted);
    } catch (err) {
      await this.reset();
      throw new DeliveryError({
        destination: this.name, failedMessageIds: messageIds, retryable: true,
        message: `cannot open or read ${this.path}: ${(err as Error).message}`, cause: err,
      });
    }
  }

  /** The ids of `wanted` among the file's last lines (within the scan limits). */
  private async findInTail(fh: FileHandle, wanted: ReadonlySet<string>): Promise<Set<string>> {
    const found = new Set<string>();
    let pos = (await fh.stat()).size;
    let scanned = 0;
    let lines = 0; // complete lines read (a few more than maxScanLines may be: never wrong)
    let head: Buffer = Buffer.alloc(0); // the start of a line whose beginning lies in an earlier chunk
    while (pos > 0 && scanned < this.maxScanBytes && lines < this.maxScanLines && found.size < wanted.size) {
      const length = Math.min(this.chunkBytes, pos, this.maxScanBytes - scanned);
      pos -= length;
      scanned += length;
      const chunk = Buffer.alloc(length);
      await readFully(fh, chunk, pos);
      const bytes = Buffer.concat([chunk, head]);
      // Split on byte 0x0A: it never occurs inside a multi-byte UTF-8 character.
      const firstComplete = pos === 0 ? 0 : bytes.indexOf(NEWLINE) + 1;
      if (firstComplete === 0 && pos > 0) {
        head = bytes;
        continue;
      }
      head = bytes.subarray(0, firstComplete);
      for (const line of bytes.subarray(firstComplete).toString('utf8').split('\n')) {
        if (line !== '') lines++;
        if (!mayHoldWantedId(line, wanted)) continue;
        const id = lineMessageId(line);
        if (id !== undefined && wanted.has(id)) found.add(id);
      }
    }
    return found;
  }

  async send(messages: readonly SegmentMessage[]): Promise<void> {
    if (messages.length === 0) return;
    try {
      // A file deleted or moved away (a rotation) while open took the lines where no one reads
      // them: they are written again, once, to the file the path names now.
      if (!(await this.append(messages))) {
        await this.reset();
        if (!(await this.append(messages))) throw new Error('the file was deleted or moved twice while roster wrote to it');
      }
    } catch (err) {
      await this.reset(); // the next call reopens and cuts whatever half line this left
      throw new DeliveryError({
        destination: this.name, failedMessageIds: messages.map((m) => m.messageId), retryable: true,
        message: `cannot append to ${this.path}: ${(err as Error).message}`, cause: err,
      });
    }
  }

  /** Appends and fsyncs the lines; false when the path no longer names the file they went to. */
  private async append(messages: readonly SegmentMessage[]): Promise<boolean> {
    const fh = await this.file();
    const lines = (this.lines ??= new LineBuffer(this.writeChunkBytes));
    lines.take(); // drops what a failed send may have left behind
    for (const m of messages) {
      const line = jsonLine(m);
      if (!lines.hasRoomFor(line)) await writeFully(fh, lines.take());
      lines.add(line);
    }
    await writeFully(fh, lines.take());
    await fh.sync();
    const [written, named] = await Promise.all([fh.stat(), stat(this.path).catch(() => undefined)]);
    return named?.ino === written.ino && named.dev === written.dev;
  }

  async close(): Promise<void> {
    await this.reset();
  }

  private file(): Promise<FileHandle> {
    if (!this.handle) {
      this.handle = openRepaired(this.path);
      this.handle.catch(() => { this.handle = undefined; });
    }
    return this.handle;
  }

  private async reset(): Promise<void> {
    const pending = this.handle;
    this.handle = undefined;
    if (pending) await pending.then((fh) => fh.close(), () => undefined);
  }
}

/** Opens (creating folders and file) for append, after cutting a torn last line. */
async function openRepaired(path: string): Promise<FileHandle> {
  await makeFolders(dirname(path));
  const fh = await open(path, 'a+');
  try {
    const size = (await fh.stat()).size;
    if (size === 0) {
      await syncDirectory(dirname(path)); // make the new file's directory entry durable too
      return fh;
    }
    const keep = await lengthUpToLastNewline(fh, size);
    if (keep < size) {
      // Read whole to be parsed, up to MAX_TAIL_READ: a longer one is judged by its start.
      const tail = Buffer.alloc(Math.min(size - keep, MAX_TAIL_READ));
      await readFully(fh, tail, keep);
      if (isTorn(tail, tail.length < size - keep)) await fh.truncate(keep);
      else await writeFully(fh, Buffer.from('\n'));
      await fh.sync();
    }
    return fh;
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/**
 * Whether a last line without its newline is what a crash mid-write leaves: a part of roster's
 * own line (its message is sent again), or NUL bytes (a file extended but not written). Anything
 * else, a whole JSON line included, is kept and ended. `partial`: `tail` is only the line's start.
 */
function isTorn(tail: Buffer, partial: boolean): boolean {
  if (tail.every((b) => b === 0)) return true;
  const start = tail.subarray(0, MESSAGE_START.length);
  if (!MESSAGE_START.subarray(0, start.length).equals(start)) return false;
  if (partial) return true;
  try {
    JSON.parse(tail.toString('utf8'));
    return false;
  } catch {
    return true;
  }
}

/** The file length up to and including its last "\n" (0 when it has none). */
async function lengthUpToLastNewline(fh: FileHandle, size: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const view = chunk.subarray(0, end - start);
    await readFully(fh, view, start);
    const at = view.lastIndexOf(NEWLINE);
    if (at >= 0) return start + at + 1;
    end = start;
  }
  return 0;
}

// `"messageId": "<id>"`, with the whitespace JSON allows, as it reads in a line without escapes.
const MESSAGE_ID_MEMBER = /"messageId"[ \t\n\r]*:[ \t\n\r]*"([^"]*)"/g;

/**
 * False only when JSON.parse could not find a wanted messageId in the line either: in a line
 * without a backslash every string is written as is, so its messageId, if any, is one of the
 * `"messageId":"..."` members seen here. Parsing every line of a 64 MiB tail would cost ~0.3 s.
 */
function mayHoldWantedId(line: string, wanted: ReadonlySet<string>): boolean {
  if (line.includes('\\')) return true;
  MESSAGE_ID_MEMBER.lastIndex = 0;
  for (let member; (member = MESSAGE_ID_MEMBER.exec(line)) !== null; ) if (wanted.has(member[1])) return true;
  return false;
}

function lineMessageId(line: string): string | undefined {
  if (line === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(line);
    const id = (parsed as { messageId?: unknown } | null)?.messageId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined; // a line someone else wrote: not ours to judge
  }
}

async function readFully(fh: FileHandle, buf: Buffer, position: number): Promise<void> {
  for (let off = 0; off < buf.length; ) {
    const { bytesRead } = await fh.read(buf, off, buf.length - off, position + off);
    if (bytesRead === 0) throw new Error(`unexpected end of file at byte ${position + off}`);
    off += bytesRead;
  }
}

async function writeFully(fh: FileHandle, buf: Buffer): Promise<void> {
  for (let off = 0; off < buf.length; ) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off);
    off += bytesWritten;
  }
}

/**
 * Encodes lines, each followed by "\n", straight into one buffer of about `chunkBytes`:
 * one write() per chunk, with no joined string to build and encode first.
 */
class LineBuffer {
  private buf: Buffer;
  private used = 0;

  constructor(chunkBytes: number) {
    this.buf = Buffer.allocUnsafe(Math.max(1, chunkBytes));
  }

  /** True when `line` surely fits after what the buffer holds (always, when it holds nothing). */
  hasRoomFor(line: string): boolean {
    return this.used === 0 || this.used + maxUtf8Bytes(line) <= this.buf.length;
  }

  add(line: string): void {
    const need = this.used + maxUtf8Bytes(line);
    if (need > this.buf.length) this.buf = Buffer.concat([this.buf.subarray(0, this.used)], need); // a line longer than a chunk
    this.used += this.buf.write(line, this.used, 'utf8');
    this.buf[this.used++] = NEWLINE;
  }

  /** The bytes added so far; the buffer is reused afterwards, so write them before the next add. */
  take(): Buffer {
    const bytes = this.buf.subarray(0, this.used);
    this.used = 0;
    return bytes;
  }
}

// A UTF-16 code unit takes at most 3 bytes in UTF-8 (a surrogate pair, two units, takes 4); +1 for "\n".
function maxUtf8Bytes(line: string): number {
  return line.length * 3 + 1;
}

async function syncDirectory(dir: string): Promise<void> {
  try {
    const dh = await open(dir, 'r');
    try { await dh.sync(); } finally { await dh.close(); }
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the file's own fsync still holds.
  }
}
