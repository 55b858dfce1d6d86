import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * True when the bytes are UTF-8 that decodes and re-encodes to the same bytes: only such
 * files are rewritten, so a fix can never change an encoding it did not understand.
 */
export function isLosslessUtf8(bytes: Uint8Array): boolean {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Buffer.from(buffer.toString('utf8'), 'utf8').equals(buffer);
}

/** Writes through a temp file in the same folder and a rename, keeping the file's mode. */
export async function writeFileAtomically(filePath: string, text: string): Promise<void> {
  const folder = path.dirname(filePath);
  const temp = path.join(folder, `.${path.basename(filePath)}.${randomBytes(6).toString('hex')}.retrylint-tmp`);
  const stat = await fs.stat(filePath).catch(() => undefined);
  try {
    await fs.writeFile(temp, text, { encoding: 'utf8', mode: stat?.mode });
    await fs.rename(temp, filePath);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}
