/**
 * writeStreamAtomic (fs-store.ts): a body written chunk by chunk as it is made lands whole, with the
 * SHA-256 of exactly its bytes, and a body whose making fails leaves neither the file nor a temporary.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeStreamAtomic } from '../../../functions/adapters/fs-store.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'write-stream-'));
  dirs.push(dir);
  return dir;
}

describe('writeStreamAtomic', () => {
  it('writes every chunk in order and returns the hash of the bytes on disk', async () => {
    const path = join(scratch(), 'nested', 'state.json');
    const chunks = ['{"a":', '"ünïcödé ’quotes’"', ',"b":[1,2,3]}'].map((c) => Buffer.from(c, 'utf8'));
    const hash = await writeStreamAtomic(path, (sink) => {
      for (const chunk of chunks) sink(chunk);
    });
    const written = readFileSync(path);
    expect(written.equals(Buffer.concat(chunks))).toBe(true);
    expect(hash).toBe(createHash('sha256').update(written).digest('hex'));
  });

  it('leaves the previous file and no temporary behind when making the body fails', async () => {
    const dir = scratch();
    const path = join(dir, 'state.json');
    writeFileSync(path, 'previous');
    await expect(
      writeStreamAtomic(path, (sink) => {
        sink(Buffer.from('half a bo'));
        throw new Error('the state could not be serialised');
      }),
    ).rejects.toThrow('the state could not be serialised');
    expect(readFileSync(path, 'utf8')).toBe('previous');
    expect(readdirSync(dir)).toEqual(['state.json']);
    expect(existsSync(`${path}.tmp`)).toBe(false);
  });
});
