/**
 * Files whose change on disk matters: configs (and what they extend) and ignore files change
 * any result; tsconfigs change which program governs a file; TS/JS sources change what the
 * programs read (project mode).
 */
import path from 'node:path';
import { languageOf } from '../frontends/index.js';
import { filePathOf } from './documents.js';

const CONFIG_PATTERNS = ['**/retrylint.config.json', '**/*.retrylint.json', '**/.retrylintignore', '**/.gitignore'];
const TSCONFIG_PATTERN = '**/tsconfig*.json';
const SOURCE_PATTERN = '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}';

export const WATCHED_FILE_PATTERNS: readonly string[] = [...CONFIG_PATTERNS, TSCONFIG_PATTERN, SOURCE_PATTERN];

export type WatchedFileKind = 'config' | 'tsconfig' | 'source' | 'other';

export function watchedFileKind(uri: string): WatchedFileKind {
  const filePath = filePathOf(uri);
  if (!filePath) return 'other';
  const name = path.basename(filePath);
  if (name === 'retrylint.config.json' || name.endsWith('.retrylint.json') || name === '.retrylintignore' || name === '.gitignore') return 'config';
  if (/^tsconfig.*\.json$/.test(name)) return 'tsconfig';
  return languageOf(filePath) === 'typescript' ? 'source' : 'other';
}
