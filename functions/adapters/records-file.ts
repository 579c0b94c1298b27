/**
 * The local `articles.jsonl` (DESIGN.md §3: one line per input file ever seen), kept up to date without
 * rewriting it: line `seq` holds the record of the `seq`-th file seen, and an update rewrites the file only
 * from its first changed line on. New files are appended; an older record changes only when its story
 * does (a merge), so a batch added to a large history writes about its own lines. A sidecar file keeps
 * each line's byte offset; when it disagrees with the file (a crash between the two writes) it is rebuilt
 * from the file.
 */
import {
  closeSync,
  existsSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { RecordLine, RecordLines } from '../ports.ts';
import { writeFileAtomic, writeStreamAtomic } from './fs-store.ts';
import { streamJsonLines } from './json-bytes.ts';

const NEWLINE = 0x0a;

export class RecordsFile implements RecordLines {
  constructor(
    private readonly path: string,
    private readonly offsetsPath: string,
  ) {}

  /** Writes `lines` (new ones must continue the file without a gap); unchanged lines are left on disk. */
  async update(lines: readonly RecordLine[]): Promise<void> {
    if (lines.length === 0) return;
    mkdirSync(dirname(this.path), { recursive: true });
    const fd = openSync(this.path, existsSync(this.path) ? 'r+' : 'w+');
    try {
      const offsets = this.offsets(fd);
      const count = offsets.length - 1;
      const bySeq = new Map<number, unknown>();
      for (const line of lines) {
        if (!Number.isInteger(line.seq) || line.seq < 0)
          throw new RangeError(`Record position ${line.seq} is not a whole number from 0.`);
        bySeq.set(line.seq, line.record);
      }
      const last = Math.max(...bySeq.keys());
      for (let seq = count; seq <= last; seq++) {
        if (!bySeq.has(seq)) {
          throw new RangeError(
            `Record ${seq} is missing: the file holds ${count} lines and the update adds up to ${last}.`,
          );
        }
      }
      const first = Math.min(...bySeq.keys());
      const start = offsets[first] as number;
      // The lines kept from the old tail, read back only from the first change on.
      const oldTail =
        first < count ? readRange(fd, start, (offsets[count] as number) - start) : Buffer.alloc(0);
      const tailOffsets: number[] = [];
      const chunks: Buffer[] = [];
      let position = start;
      let cursor = 0;
      for (let seq = first; seq <= Math.max(last, count - 1); seq++) {
        let bytes: Buffer;
        if (seq < count) {
          const end = oldTail.indexOf(NEWLINE, cursor) + 1;
          const old = oldTail.subarray(cursor, end);
          cursor = end;
          bytes = bySeq.has(seq) ? lineBytes(bySeq.get(seq)) : old;
        } else {
          bytes = lineBytes(bySeq.get(seq));
        }
        tailOffsets.push(position);
        chunks.push(bytes);
        position += bytes.byteLength;
      }
      const tail = Buffer.concat(chunks);
      ftruncateSync(fd, start);
      for (let written = 0; written < tail.byteLength; ) {
        written += writeSync(fd, tail, written, tail.byteLength - written, start + written);
      }
      const next = new Float64Array(first + tailOffsets.length + 1);
      next.set(offsets.subarray(0, first));
      next.set(tailOffsets, first);
      next[next.length - 1] = position;
      await writeFileAtomic(this.offsetsPath, new Uint8Array(next.buffer));
    } finally {
      closeSync(fd);
    }
  }

  lineCount(): number {
    if (!existsSync(this.path)) return 0;
    const fd = openSync(this.path, 'r');
    try {
      return this.offsets(fd).length - 1;
    } finally {
      closeSync(fd);
    }
  }

  async replaceAll(records: readonly unknown[]): Promise<void> {
    const offsets = new Float64Array(records.length + 1);
    let position = 0;
    let line = 0;
    await writeStreamAtomic(this.path, (sink) =>
      streamJsonLines(records, (chunk) => {
        sink(chunk);
        for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1))
          offsets[++line] = position + at + 1;
        position += chunk.byteLength;
      }),
    );
    await writeFileAtomic(this.offsetsPath, new Uint8Array(offsets.buffer));
  }

  /** Line start offsets plus the end of the file (length lines + 1), from the sidecar when it agrees. */
  private offsets(fd: number): Float64Array {
    const size = fstatSync(fd).size;
    if (existsSync(this.offsetsPath)) {
      const raw = readFileSync(this.offsetsPath);
      if (raw.byteLength % 8 === 0 && raw.byteLength >= 8) {
        const stored = new Float64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
        if (stored[stored.length - 1] === size) return stored;
      }
    }
    return scanOffsets(readRange(fd, 0, size));
  }
}

function lineBytes(record: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
}

function readRange(fd: number, start: number, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const n = readSync(fd, bytes, filled, length - filled, start + filled);
    if (n === 0) break;
    filled += n;
  }
  return bytes.subarray(0, filled);
}

/** The offsets of a whole file; a last line without its newline (a torn write) is dropped. */
function scanOffsets(file: Buffer): Float64Array {
  const offsets = [0];
  for (let at = file.indexOf(NEWLINE); at !== -1; at = file.indexOf(NEWLINE, at + 1)) offsets.push(at + 1);
  return Float64Array.from(offsets);
}
