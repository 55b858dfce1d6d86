import path from 'node:path';
import type { Language } from '@retrylint/shared';
import type { Frontend } from './frontend.js';

const EXTENSIONS: Readonly<Record<string, Language>> = {
  '.py': 'python',
  '.pyi': 'python',
  '.ts': 'typescript',
  '.tsx': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.js': 'typescript',
  '.jsx': 'typescript',
  '.mjs': 'typescript',
  '.cjs': 'typescript',
};

export function languageOf(filePath: string): Language | undefined {
  if (filePath.endsWith('.d.ts')) return undefined;
  return EXTENSIONS[path.extname(filePath).toLowerCase()];
}

export const lintableExtensions: readonly string[] = Object.keys(EXTENSIONS);

const loaded = new Map<Language, Promise<Frontend>>();

async function importFrontend(language: Language): Promise<Frontend> {
  const module =
    language === 'python' ? await import('./python/index.js') : await import('./typescript/index.js');
  const frontend = module.frontend;
  await frontend.load();
  return frontend;
}

/** The frontend for a language, its parser loaded on first use. */
export function frontendFor(language: Language): Promise<Frontend> {
  let pending = loaded.get(language);
  if (!pending) {
    pending = importFrontend(language);
    loaded.set(language, pending);
  }
  return pending;
}
