import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { settleCrossFileFixes } from '../../../linter/src/cli/cross-file-fixes.js';
import { DEFAULT_MAX_FILE_SIZE, lintFile, type LintFileSettings } from '../../../linter/src/cli/lint-file.js';
import type { FileResult, ResultMessage } from '../../../linter/src/cli/results.js';
import { switchOffInClient, twoFileProjectPerTest } from '../fixes/two-file-project.js';

const USE = 'export const models = () => client.models.list();\n';
const CLIENT_TEXT = `import OpenAI from 'openai';\nexport const client = new OpenAI({ timeout: 0 });\n${USE}`;
/** What the run's own (safe) fix of the client file gives: require-timeout sets a timeout. */
const CLIENT_WITH_TIMEOUT = `import OpenAI from 'openai';\nexport const client = new OpenAI({ timeout: 120000 });\n${USE}`;
const JOB_TEXT = "import { client } from '../llm/client';\nexport const summarise = () => client.chat.completions.create({});\n";

const project = twoFileProjectPerTest(CLIENT_TEXT, JOB_TEXT);

function settings(fix: LintFileSettings['fix'], dryRun = false): LintFileSettings {
  return { cwd: project.current.dir, maxFileSize: DEFAULT_MAX_FILE_SIZE, reportUnusedDisable: false, prefilter: true, fix, dryRun };
}

/** The finding project mode gives the job file: the client is built in llm/client.ts, whose text it read before the run's fixes. */
function jobResult(): FileResult {
  const fix = switchOffInClient(CLIENT_TEXT, project.current.clientFile, '{ timeout');
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
  return { filePath: project.current.jobFile, messages: [finding], parsed: true, timings: { readMs: 0, lintMs: 0, fixMs: 0 }, fixesApplied: 0 };
}

describe('cross-file fixes in a run', () => {
  it('--fix --unsafe-fixes sets the option in the other file, after that file\'s own fix, and the finding is gone', async () => {
    const run = settings('unsafe');
    const client = await lintFile(project.current.clientFile, run);
    expect(readFileSync(project.current.clientFile, 'utf8')).toBe(CLIENT_WITH_TIMEOUT);

    const settled = await settleCrossFileFixes([jobResult(), client], run);
    expect(readFileSync(project.current.clientFile, 'utf8')).toBe(`import OpenAI from 'openai';\nexport const client = new OpenAI({ timeout: 120000, maxRetries: 0 });\n${USE}`);
    expect(readFileSync(project.current.jobFile, 'utf8')).toBe(JOB_TEXT);
    expect(settled).toMatchObject({ applied: 1, changedFiles: [project.current.clientFile] });
    expect(settled.problem).toBeUndefined();
    expect(settled.results[0].messages).toEqual([]);
    // The written file is read again: its messages are those of the new text.
    expect(settled.results[1].messages.every((message) => message.ruleId !== 'require-timeout')).toBe(true);
  });

  it('--fix without --unsafe-fixes leaves it, and counts it as fixable with --unsafe-fixes', async () => {
    const run = settings('safe');
    const client = await lintFile(project.current.clientFile, run);
    const settled = await settleCrossFileFixes([jobResult(), client], run);
    expect(readFileSync(project.current.clientFile, 'utf8')).toBe(CLIENT_WITH_TIMEOUT);
    expect(settled.applied).toBe(0);
    const [message] = settled.results[0].messages;
    expect(message.unsafeFix).toBe(true);
    // Offsets into the file as the run left it.
    const [edit] = message.crossFileFix!.files![0].edits;
    expect(message.crossFileFix!.files![0].filePath).toBe(project.current.clientFile);
    expect(CLIENT_WITH_TIMEOUT.slice(0, edit.range[0]) + edit.text + CLIENT_WITH_TIMEOUT.slice(edit.range[1])).toContain('{ timeout: 120000, maxRetries: 0 }');
  });

  it('--fix-dry-run --unsafe-fixes gives one diff per touched file, from the disk to every fix of the run, and writes nothing', async () => {
    const run = settings('unsafe', true);
    const client = await lintFile(project.current.clientFile, run);
    const settled = await settleCrossFileFixes([jobResult(), client], run);
    expect(readFileSync(project.current.clientFile, 'utf8')).toBe(CLIENT_TEXT);
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
    rmSync(project.current.clientFile);
    const settled = await settleCrossFileFixes([jobResult()], settings('unsafe'));
    expect(settled).toMatchObject({ applied: 0, changedFiles: [] });
    const [notice, message] = settled.results[0].messages;
    expect(notice.message).toBe('Cross-file fix not applied to llm/client.ts: it cannot be read (ENOENT).');
    expect(message.unsafeFix).toBeUndefined();
    expect(message.crossFileFix?.files).toBeUndefined();
  });

  it('leaves a target that does not parse alone, and still fixes the others', async () => {
    const brokenFile = path.join(project.current.dir, 'llm/broken.ts');
    const brokenText = 'export const other = new OpenAI({ apiKey });\nexport const oops = (;\n';
    writeFileSync(brokenFile, brokenText);
    const broken = jobResult();
    const [message] = broken.messages;
    const brokenFix = switchOffInClient(brokenText, brokenFile, '{ apiKey');
    const twoFindings: FileResult = { ...broken, messages: [message, { ...message, line: 3, crossFileFix: { desc: brokenFix.title, fix: brokenFix } }] };

    const settled = await settleCrossFileFixes([twoFindings], settings('unsafe'));
    expect(readFileSync(brokenFile, 'utf8')).toBe(brokenText);
    expect(readFileSync(project.current.clientFile, 'utf8')).toContain('new OpenAI({ timeout: 0, maxRetries: 0 })');
    expect(settled).toMatchObject({ applied: 1, changedFiles: [project.current.clientFile] });
    expect(settled.results[0].messages.map((left) => left.message)).toEqual(['Cross-file fix not applied to llm/broken.ts: it does not parse.', message.message]);
    expect(settled.results[0].messages[1].line).toBe(3);
  });

  it('changes nothing for a run without cross-file fixes', async () => {
    const client = await lintFile(project.current.clientFile, settings('off'));
    const settled = await settleCrossFileFixes([client], settings('unsafe'));
    expect(settled.results).toEqual([client]);
  });
});
