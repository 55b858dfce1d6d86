/**
 * The run's cross-file fixes, once every file's own fixes are done: rendered against the
 * files as the run leaves them (for the reporters), and with `--fix --unsafe-fixes` (or
 * `--fix-dry-run --unsafe-fixes`) applied together, all target files or none.
 */
import { promises as fs } from 'node:fs';
import type { TextEdit } from '@retrylint/shared';
import {
  applyCrossFileFixes,
  applyEditsTo,
  isLosslessUtf8,
  renderCrossFileFix,
  type ChangedFile,
  type CrossFileEdits,
  type CrossFileOutcome,
  type TargetText,
} from '../fixes/index.js';
import { frontendFor, languageOf } from '../frontends/index.js';
import { displayPath, fileDiff, lintFile, type LintFileSettings } from './lint-file.js';
import { fileNotice } from './messages.js';
import type { FileEdits, FileResult, ResultMessage } from './results.js';

export interface CrossFileSettlement {
  readonly results: readonly FileResult[];
  /** Cross-file fixes applied (or, for a dry run, that would be). */
  readonly applied: number;
  /** Files the cross-file fixes changed (or would change). */
  readonly changedFiles: readonly string[];
  /** Dry run: diffs of changed files the run did not lint (the others' diffs are in their results). */
  readonly otherDiffs: readonly string[];
  /** Said once on stderr: the cross-file fixes were not applied, and why. */
  readonly problem?: string;
}

interface Pending {
  readonly resultIndex: number;
  readonly messageIndex: number;
  readonly message: ResultMessage & Required<Pick<ResultMessage, 'crossFileFix'>>;
}

interface Declined {
  readonly item: Pending;
  readonly file: string;
  readonly why: string;
}

/** Where a target's text comes from: the disk, as this run's own fixes left it (or would leave it). */
interface Target extends TargetText {
  /** The text on disk now. */
  readonly disk: string;
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code ?? String(error);
}

async function readTarget(filePath: string, fixed: FileResult | undefined, dryRun: boolean): Promise<Target | string> {
  const language = languageOf(filePath);
  if (!language) return 'it is not a file retrylint edits';
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(filePath);
  } catch (error) {
    return `it cannot be read (${reasonOf(error)})`;
  }
  if (!isLosslessUtf8(bytes)) return 'its bytes are not UTF-8 that a rewrite would keep';
  const disk = bytes.toString('utf8');
  const changes = fixed?.fixChanges ?? [];
  // A dry run wrote nothing: the text its own fixes would leave is computed.
  const text = dryRun ? applyEditsTo(disk, changes) : disk;
  // Its result could not parse either, and would stop every other cross-file fix of the run.
  if (!(await frontendFor(language)).parses(text, filePath)) return 'it does not parse';
  return { disk, text, language, changes };
}

function rangeEdits(edits: readonly TextEdit[]): FileEdits['edits'] {
  return [...edits].sort((a, b) => a.start - b.start).map((edit) => ({ range: [edit.start, edit.end] as const, text: edit.text }));
}

export async function settleCrossFileFixes(results: readonly FileResult[], settings: LintFileSettings): Promise<CrossFileSettlement> {
  const pending: Pending[] = results.flatMap((result, resultIndex) =>
    result.messages.flatMap((message, messageIndex) =>
      message.crossFileFix ? [{ resultIndex, messageIndex, message: message as Pending['message'] }] : [],
    ),
  );
  const none = { results, applied: 0, changedFiles: [], otherDiffs: [] };
  if (pending.length === 0) return none;

  const byPath = new Map(results.map((result) => [result.filePath, result]));
  const targets = new Map<string, Promise<Target | string>>();
  const targetOf = (filePath: string) => {
    let target = targets.get(filePath);
    if (!target) {
      target = readTarget(filePath, byPath.get(filePath), settings.dryRun);
      targets.set(filePath, target);
    }
    return target;
  };

  const messages = results.map((result) => [...result.messages]);
  const requests: { id: Pending; edits: CrossFileEdits }[] = [];
  const declined: Declined[] = [];
  for (const item of pending) {
    const ownFile = results[item.resultIndex].filePath;
    const rendered = await renderCrossFileFix(item.message.crossFileFix.fix, ownFile, targetOf);
    if (!('edits' in rendered)) {
      declined.push({ item, ...rendered.declined });
      continue;
    }
    requests.push({ id: item, edits: rendered.edits });
    const files: FileEdits[] = [...rendered.edits].map(([filePath, edits]) => ({ filePath, edits: rangeEdits(edits) }));
    messages[item.resultIndex][item.messageIndex] = {
      ...item.message,
      unsafeFix: true,
      crossFileFix: { ...item.message.crossFileFix, files },
    };
  }
  const rendered = results.map((result, index) => ({ ...result, messages: messages[index] }));
  if (settings.fix !== 'unsafe') return { ...none, results: rendered };

  const texts = new Map<string, Target>();
  for (const [filePath, target] of targets) {
    const value = await target;
    if (typeof value !== 'string') texts.set(filePath, value);
  }
  const outcome = await applyCrossFileFixes(requests, {
    textOf: (filePath) => texts.get(filePath)!.text,
    parses: async (filePath, text) => (await frontendFor(texts.get(filePath)!.language)).parses(text, filePath),
    write: !settings.dryRun,
  });
  return settled(rendered, requests.map((request) => request.id), declined, outcome, texts, settings);
}

function keyOf(item: Pick<Pending, 'resultIndex' | 'messageIndex'>): string {
  return `${item.resultIndex}:${item.messageIndex}`;
}

async function settled(
  results: readonly FileResult[],
  requested: readonly Pending[],
  declined: readonly Declined[],
  outcome: CrossFileOutcome<Pending>,
  texts: ReadonlyMap<string, Target>,
  settings: LintFileSettings,
): Promise<CrossFileSettlement> {
  const shown = (filePath: string) => displayPath(filePath, settings.cwd);
  const notices = new Map<number, string[]>();
  const notice = (resultIndex: number, text: string) => notices.set(resultIndex, [...(notices.get(resultIndex) ?? []), text]);
  // Asked to apply it, the user learns why a cross-file fix was not offered.
  for (const { item, file, why } of declined) notice(item.resultIndex, `Cross-file fix not applied to ${shown(file)}: ${why}.`);
  for (const { id, file } of outcome.conflicting) {
    notice(id.resultIndex, `Cross-file fix not applied: it overlaps another fix in ${shown(file)}.`);
  }
  let problem: string | undefined;
  if (outcome.failure) {
    const { file, reason, error } = outcome.failure;
    const why = reason === 'does-not-parse' ? `${shown(file)} would not parse after them` : `${shown(file)} cannot be written (${reasonOf(error)})`;
    problem = `Cross-file fixes not applied: ${why}; no file was changed.`;
    for (const resultIndex of new Set(requested.map((item) => item.resultIndex))) notice(resultIndex, problem);
  }
  // A finding whose fix was applied is fixed: it is no longer reported.
  const applied = new Set(outcome.applied.map(keyOf));
  let updated: FileResult[] = results.map((result, resultIndex) => ({
    ...result,
    messages: [
      ...(notices.get(resultIndex) ?? []).map((text) => fileNotice(text)),
      ...result.messages.filter((_, messageIndex) => !applied.has(keyOf({ resultIndex, messageIndex }))),
    ],
  }));

  const changedFiles = outcome.changed.map((change) => change.file);
  const resultIndexOf = new Map(updated.map((result, index) => [result.filePath, index]));
  const base = { applied: applied.size, changedFiles, ...(problem ? { problem } : {}) };
  if (settings.dryRun) return { ...base, ...dryRunDiffs(updated, outcome.changed, texts, resultIndexOf, settings) };
  // The files written have new text: their messages (and fix offsets) are read from it again.
  for (const change of outcome.changed) {
    const index = resultIndexOf.get(change.file);
    if (index === undefined) continue;
    const before = updated[index];
    const relinted = await lintFile(change.file, { ...settings, fix: 'off', dryRun: false });
    updated = updated.map((result, at) => (at === index ? { ...relinted, fixesApplied: before.fixesApplied, timings: before.timings } : result));
  }
  return { ...base, results: updated, otherDiffs: [] };
}

/** One diff per changed file, from the text on disk to the text after every fix of the run. */
function dryRunDiffs(
  results: readonly FileResult[],
  changed: readonly ChangedFile[],
  texts: ReadonlyMap<string, Target>,
  resultIndexOf: ReadonlyMap<string, number>,
  settings: LintFileSettings,
): { results: FileResult[]; otherDiffs: string[] } {
  const otherDiffs: string[] = [];
  const updated = [...results];
  for (const change of changed) {
    const diff = fileDiff(change.file, settings.cwd, texts.get(change.file)!.disk, change.after);
    const index = resultIndexOf.get(change.file);
    if (index === undefined) otherDiffs.push(diff);
    else updated[index] = { ...updated[index], diff };
  }
  return { results: updated, otherDiffs };
}
