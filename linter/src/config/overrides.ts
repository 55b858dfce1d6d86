import path from 'node:path';
import type { ConfigOverride } from '@retrylint/shared';
import picomatch from 'picomatch';

function asList(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}

/** Like ESLint's overrides: a pattern without a slash (`*.test.py`) matches the file name anywhere below. */
function anywhereIfBare(pattern: string): string {
  const trimmed = pattern.startsWith('./') ? pattern.slice(2) : pattern;
  return trimmed.includes('/') ? trimmed : `**/${trimmed}`;
}

const matchers = new WeakMap<ConfigOverride, (relative: string) => boolean>();

function matcherFor(override: ConfigOverride): (relative: string) => boolean {
  let matcher = matchers.get(override);
  if (!matcher) {
    const options = { dot: true };
    const included = picomatch(asList(override.files).map(anywhereIfBare), options);
    const excludedPatterns = asList(override.excludedFiles).map(anywhereIfBare);
    const excluded = excludedPatterns.length > 0 ? picomatch(excludedPatterns, options) : () => false;
    matcher = (relative) => included(relative) && !excluded(relative);
    matchers.set(override, matcher);
  }
  return matcher;
}

/** Whether an override applies to a file; its globs are relative to the config's folder. */
export function overrideApplies(override: ConfigOverride, configDirectory: string, filePath: string): boolean {
  const relative = path.relative(configDirectory, filePath);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return false;
  return matcherFor(override)(relative.split(path.sep).join('/'));
}
