/** Which files the server lints, and where: a document's path, language and workspace folder. */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Language } from '@retrylint/shared';
import { languageOf } from '../frontends/index.js';

/** The LSP language ids of the languages retrylint reads (with their React variants). */
const LANGUAGE_IDS: Readonly<Record<string, Language>> = {
  python: 'python',
  typescript: 'typescript',
  typescriptreact: 'typescript',
  javascript: 'typescript',
  javascriptreact: 'typescript',
};

export function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function uriOf(filePath: string): string {
  return pathToFileURL(filePath).href;
}

/** The language from the file name, else from the editor's language id; undefined: not linted. */
export function languageFor(filePath: string, languageId: string): Language | undefined {
  if (filePath.endsWith('.d.ts')) return undefined;
  return languageOf(filePath) ?? LANGUAGE_IDS[languageId];
}

export function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The innermost workspace folder holding the file, else the file's own folder. */
export function folderOf(filePath: string, folders: readonly string[]): string {
  let best: string | undefined;
  for (const folder of folders) {
    if (isInside(filePath, folder) && (!best || folder.length > best.length)) best = folder;
  }
  return best ?? path.dirname(filePath);
}
