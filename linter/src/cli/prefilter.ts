/**
 * A cheap text scan that decides whether a file is parsed at all. Most files of a
 * codebase contain no retry code, and parsing is the expensive step, so a file is parsed
 * only when it contains something a frontend recognizer starts from.
 *
 * The contract is one-sided: it may keep a file that has nothing to report, but it must
 * never drop a file that a rule would flag. So the anchors below mirror the recognizers'
 * entry points, not a guess at what retry code usually says: a recognizer that starts from
 * a new name or shape needs its anchor here, or in typescript-anchors.ts for TypeScript
 * (test/linter/prefilter.test.ts runs every fixture, with its markers removed, and
 * anchor-free retry shapes through it).
 */
import type { Language } from '@retrylint/shared';
import { mayContainPythonRetry } from './python-prefilter.js';
import { mayContainTypeScriptRetry, mayContainTypeScriptRetryAcrossModules } from './typescript-anchors.js';

let acrossModules = false;

/** Project mode widens the TypeScript anchors: evidence may come from the modules a file imports. */
export function widenPrefilterAcrossModules(on: boolean): void {
  acrossModules = on;
}

/** False only when no rule can flag the file: it is then not parsed at all. */
export function mayContainRetryCode(text: string, language: Language): boolean {
  if (language === 'python') return mayContainPythonRetry(text);
  return acrossModules ? mayContainTypeScriptRetryAcrossModules(text) : mayContainTypeScriptRetry(text);
}
