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

function tempPathFor(filePath: string): string {
  return path.join(path.dirname(filePath), `.${path.basename(filePath)}.${randomBytes(6).toString('hex')}.retrylint-tmp`);
}

/** Writes `text` to a new temp file beside `filePath`, with the file's mode. */
async function writeTemp(filePath: string, text: string): Promise<string> {
  const temp = tempPathFor(filePath);
  const stat = await fs.stat(filePath).catch(() => undefined);
  try {
    await fs.writeFile(temp, text, { encoding: 'utf8', mode: stat?.mode });
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  return temp;
}

/** Writes through a temp file in the same folder and a rename, keeping the file's mode. */
export async function writeFileAtomically(filePath: string, text: string): Promise<void> {
  const temp = await writeTemp(filePath, text);
  try {
    await fs.rename(temp, filePath);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

/** A file of a set written together could not be written; none of the set was changed. */
export class FilesNotWritten extends Error {
  constructor(
    readonly filePath: string,
    override readonly cause: unknown,
  ) {
    super(`${filePath}: ${String(cause)}`);
  }
}

export interface FileToWrite {
  readonly filePath: string;
  readonly text: string;
  /** The file's text now, written back if a later file of the set fails. */
  readonly original: string;
}

/**
 * Writes every file or none: all temp files first, then the renames. A failed rename puts
 * the files renamed before it back to their original text.
 */
export async function writeFilesTogether(files: readonly FileToWrite[]): Promise<void> {
  const temps: string[] = [];
  try {
    for (const file of files) {
      temps.push(
        await writeTemp(file.filePath, file.text).catch((error: unknown) => {
          throw new FilesNotWritten(file.filePath, error);
        }),
      );
    }
  } catch (error) {
    await Promise.all(temps.map((temp) => fs.rm(temp, { force: true })));
    throw error;
  }
  for (let index = 0; index < files.length; index++) {
    try {
      await fs.rename(temps[index], files[index].filePath);
    } catch (error) {
      await Promise.all(temps.slice(index).map((temp) => fs.rm(temp, { force: true })));
      for (const renamed of files.slice(0, index)) await writeFileAtomically(renamed.filePath, renamed.original).catch(() => undefined);
      throw new FilesNotWritten(files[index].filePath, error);
    }
  }
}
