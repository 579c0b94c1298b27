/**
 * JSON encoded straight to UTF-8 bytes, a slice at a time. `JSON.stringify` of the engine state or of
 * a day's records builds one string as large as the file (two bytes per character as soon as one
 * curly quote appears), then the write converts it to UTF-8 again: at 10k articles those two copies
 * were the run's peak memory. Here large arrays and objects are walked and their members stringified
 * one by one into chunks of bytes, so the largest string alive is one member.
 * The output is byte-for-byte what `JSON.stringify` would give (tested).
 */

/** Characters gathered before they are turned into bytes: big enough that Buffer.from is cheap per byte. */
const CHUNK_CHARS = 256 * 1024;

/**
 * Arrays and objects with fewer members than this are stringified whole: an article record or a
 * story is a few kilobytes at most, and walking it member by member would only add calls.
 */
const WALK_MIN_MEMBERS = 64;

/** The UTF-8 bytes of `JSON.stringify(value)` (undefined is encoded as `null`). */
export function jsonBytes(value: unknown): Buffer {
  const chunks: Buffer[] = [];
  streamJson(value, (chunk) => chunks.push(chunk));
  return Buffer.concat(chunks);
}

/**
 * `jsonBytes` handed to `sink` a chunk at a time as it is made, so a writer that puts each chunk
 * straight to disk never holds more than one: a 10k-article state is about 90 MB of JSON, which as a
 * list of chunks was the local run's peak memory.
 */
export function streamJson(value: unknown, sink: (chunk: Buffer) => void): void {
  const writer = new ChunkWriter(sink);
  writeValue(writer, value);
  writer.finish();
}

/** JSON Lines: one `JSON.stringify(item)` per line, each line ending in a newline. */
export function jsonLinesBytes(items: Iterable<unknown>): Buffer {
  const chunks: Buffer[] = [];
  streamJsonLines(items, (chunk) => chunks.push(chunk));
  return Buffer.concat(chunks);
}

/** `jsonLinesBytes` handed to `sink` a chunk at a time (see streamJson). */
export function streamJsonLines(items: Iterable<unknown>, sink: (chunk: Buffer) => void): void {
  const writer = new ChunkWriter(sink);
  for (const item of items) {
    writer.write(JSON.stringify(item) ?? 'null');
    writer.write('\n');
  }
  writer.finish();
}

class ChunkWriter {
  private pending: string[] = [];
  private pendingChars = 0;

  constructor(private readonly sink: (chunk: Buffer) => void) {}

  write(text: string): void {
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= CHUNK_CHARS) this.flush();
  }

  finish(): void {
    this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.sink(Buffer.from(this.pending.join(''), 'utf8'));
    this.pending = [];
    this.pendingChars = 0;
  }
}

function isWalkable(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  // Anything with its own serialisation (Date, Map wrappers, ...) is left to JSON.stringify.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  return (
    Array.isArray(value) ||
    Object.getPrototypeOf(value) === Object.prototype ||
    Object.getPrototypeOf(value) === null
  );
}

function writeValue(writer: ChunkWriter, value: unknown): void {
  if (Array.isArray(value) && value.length >= WALK_MIN_MEMBERS) {
    writer.write('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) writer.write(',');
      const item: unknown = value[i];
      // JSON.stringify writes null for array members it cannot encode (undefined, functions, symbols).
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') writer.write('null');
      else writeValue(writer, item);
    }
    writer.write(']');
    return;
  }
  if (isWalkable(value) && !Array.isArray(value) && isLargeOrNested(value)) {
    writer.write('{');
    let first = true;
    for (const [key, member] of Object.entries(value)) {
      // JSON.stringify skips object members it cannot encode.
      if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
      writer.write(first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`);
      first = false;
      writeValue(writer, member);
    }
    writer.write('}');
    return;
  }
  writer.write(JSON.stringify(value) ?? 'null');
}

/** An object worth walking: many members, or a member that is itself a large array or object. */
function isLargeOrNested(value: object): boolean {
  const members = Object.values(value);
  if (members.length >= WALK_MIN_MEMBERS) return true;
  return members.some(
    (m) => isWalkable(m) && (Array.isArray(m) ? m.length >= WALK_MIN_MEMBERS : isLargeOrNested(m)),
  );
}
