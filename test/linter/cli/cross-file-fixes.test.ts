import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LineIndex, type Fix } from '@retrylint/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { settleCrossFileFixes } from '../../../linter/src/cli/cross-file-fixes.js';
import { DEFAULT_MAX_FILE_SIZE, lintFile, type LintFileSettings } from '../../../linter/src/cli/lint-file.js';
import type { FileResult, ResultMessage } from '../../../linter/src/cli/results.js';

const USE = 'export const models = () => client.models.list();\n';
const CLIENT_TEXT = `import OpenAI from 'openai';\nexport const client = new OpenAI({ timeout: 0 });\n${USE}`;
/** What the run's own (safe) fix of the client file gives: require-timeout sets a timeout. */
const CLIENT_WITH_TIMEOUT = `import OpenAI from 'openai';\nexport const client = new OpenAI({ timeout: 120000 });\n${USE}`;
const JOB_TEXT = "import { client } from '../llm/client';\nexport const summarise = () => client.chat.completions.create({});\n";

let dir: string;
let clientFile: string;
let jobFile: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'retrylint-xfix-cli-'));
  mkdirSync(path.join(dir, 'llm'));
  mkdirSync(path.join(dir, 'jobs'));
  clientFile = path.join(dir, 'llm/client.ts');
  jobFile = path.join(dir, 'jobs/summarise.ts');
  writeFileSync(clientFile, CLIENT_TEXT);
  writeFileSync(jobFile, JOB_TEXT);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function settings(fix: LintFileSettings['fix'], dryRun = false): LintFileSettings {
  return { cwd: dir, maxFileSize: DEFAULT_MAX_FILE_SIZE, reportUnusedDisable: false, prefilter: true, fix, dryRun };
}

/** The finding project mode gives the job file: the client is built in llm/client.ts, whose text it read before the run's fixes. */
function jobResult(): FileResult {
  const open = CLIENT_TEXT.indexOf('{ timeout');
  const close = CLIENT_TEXT.indexOf('}', open) + 1;
  const fix: Fix = {
    title: "Switch off the client's own retries where it is built (llm/client.ts:2): maxRetries = 0",
    applicability: 'unsafe',
    intents: [
      {
        kind: 'set-option',
        slot: { name: 'maxRetries', style: 'object-property', unit: 'retries', container: new LineIndex(CLIENT_TEXT).span(open, close), file: clientFile },
        value: 1,
      },
    ],
  };
  const finding: ResultMessage = {
    ruleId: 'no-nested-retries',
    messageId: 'clientRetriesThrough',
    severity: 2,
    message: 'Up to 9 requests per call',
    line: 2,
    column: 32,
    endLine: 2,
    endColumn: 70,
    lineText: '',
    crossFileFix: { desc: fix.title, fix },
  };
  return { filePath: jobFile, messages: [finding], parsed: true, timings: { readMs: 0, lintMs: 0, fixMs: 0 }, fixesApplied: 0 };
}

describe('cross-file fixes in a run', () => {
  it('--fix --unsafe-fixes sets the option in the other file, after that file\'s own fix, and the finding is gone', async () => {
    const run = settings('unsafe');
    const client = await lintFile(clientFile, run);
    expect(readFileSync(clientFile, 'utf8')).toBe(CLIENT_WITH_TIMEOUT);

    const settled = await settleCrossFileFixes([jobResult(), client], run);
    expect(readFileSync(clientFile, 'utf8')).toBe(`import OpenAI from 'openai';\nexport const client = new OpenAI({ timeout: 120000, maxRetries: 0 });\n${USE}`);
    expect(readFileSync(jobFile, 'utf8')).toBe(JOB_TEXT);
    expect(settled).toMatchObject({ applied: 1, changedFiles: [clientFile] });
    expect(settled.problem).toBeUndefined();
    expect(settled.results[0].messages).toEqual([]);
    // The written file is read again: its messages are those of the new text.
    expect(settled.results[1].messages.every((message) => message.ruleId !== 'require-timeout')).toBe(true);
  });

  it('--fix without --unsafe-fixes leaves it, and counts it as fixable with --unsafe-fixes', async () => {
    const run = settings('safe');
    const client = await lintFile(clientFile, run);
    const settled = await settleCrossFileFixes([jobResult(), client], run);
    expect(readFileSync(clientFile, 'utf8')).toBe(CLIENT_WITH_TIMEOUT);
    expect(settled.applied).toBe(0);
    const [message] = settled.results[0].messages;
    expect(message.unsafeFix).toBe(true);
    // Offsets into the file as the run left it.
    const [edit] = message.crossFileFix!.files![0].edits;
    expect(message.crossFileFix!.files![0].filePath).toBe(clientFile);
    expect(CLIENT_WITH_TIMEOUT.slice(0, edit.range[0]) + edit.text + CLIENT_WITH_TIMEOUT.slice(edit.range[1])).toContain('{ timeout: 120000, maxRetries: 0 }');
  });

  it('--fix-dry-run --unsafe-fixes gives one diff per touched file, from the disk to every fix of the run, and writes nothing', async () => {
    const run = settings('unsafe', true);
    const client = await lintFile(clientFile, run);
    const settled = await settleCrossFileFixes([jobResult(), client], run);
    expect(readFileSync(clientFile, 'utf8')).toBe(CLIENT_TEXT);
    expect(settled.applied).toBe(1);
    expect(settled.otherDiffs).toEqual([]);
    expect(settled.results[1].diff).toContain('--- a/llm/client.ts\n+++ b/llm/client.ts\n');
    expect(settled.results[1].diff).toContain('-export const client = new OpenAI({ timeout: 0 });\n+export const client = new OpenAI({ timeout: 120000, maxRetries: 0 });\n');
  });

  it('a dry run shows the diff of a target the run did not lint', async () => {
    const settled = await settleCrossFileFixes([jobResult()], settings('unsafe', true));
    expect(settled.otherDiffs).toHaveLength(1);
    expect(settled.otherDiffs[0]).toContain('+export const client = new OpenAI({ timeout: 0, maxRetries: 0 });\n');
  });

  it('offers nothing when the target cannot be read', async () => {
    rmSync(clientFile);
    const settled = await settleCrossFileFixes([jobResult()], settings('unsafe'));
    expect(settled).toMatchObject({ applied: 0, changedFiles: [] });
    const [message] = settled.results[0].messages;
    expect(message.unsafeFix).toBeUndefined();
    expect(message.crossFileFix?.files).toBeUndefined();
  });

  it('changes nothing for a run without cross-file fixes', async () => {
    const client = await lintFile(clientFile, settings('off'));
    const settled = await settleCrossFileFixes([client], settings('unsafe'));
    expect(settled.results).toEqual([client]);
  });
});
