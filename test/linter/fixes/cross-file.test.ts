import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LineIndex, type Fix, type OptionSlot } from '@retrylint/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyCrossFileFixes } from '../../../linter/src/fixes/apply-cross-file.js';
import { renderCrossFileFix, type TargetText } from '../../../linter/src/fixes/render-cross-file.js';
import { applyEditsTo, renderFix } from '../../../linter/src/fixes/render.js';
import { mapSpan, textChanges } from '../../../linter/src/fixes/text-changes.js';
import { frontendFor } from '../../../linter/src/frontends/index.js';

const typescript = await frontendFor('typescript');
const parses = (file: string, text: string) => typescript.parses(text, file);

/** The span of the `occurrence`-th `open`..matching-close bracket run starting at `marker`. */
function bracketSpan(text: string, marker: string) {
  const start = text.indexOf(marker);
  if (start < 0) throw new Error(`${marker} not in text`);
  const closer = { '{': '}', '(': ')' }[text[start] as '{' | '('];
  let depth = 0;
  for (let at = start; at < text.length; at++) {
    if (text[at] === text[start]) depth++;
    else if (text[at] === closer && --depth === 0) return new LineIndex(text).span(start, at + 1);
  }
  throw new Error('unbalanced');
}

function maxRetriesSlot(text: string, file: string, marker: string, extra: Partial<OptionSlot> = {}): OptionSlot {
  return { name: 'maxRetries', style: 'object-property', unit: 'retries', container: bracketSpan(text, marker), file, ...extra };
}

function switchOff(slot: OptionSlot): Fix {
  return { title: 'Switch off the client retries', applicability: 'unsafe', intents: [{ kind: 'set-option', slot, value: 1 }] };
}

function target(text: string, changes: TargetText['changes'] = []): TargetText {
  return { text, language: 'typescript', changes };
}

async function rendered(fix: Fix, texts: Record<string, TargetText>): Promise<string | Record<string, string>> {
  const result = await renderCrossFileFix(fix, '/p/jobs/summarise.ts', async (file) => texts[file] ?? 'unreadable');
  if ('declined' in result) return result.declined.why;
  return Object.fromEntries([...result.edits].map(([file, edits]) => [file, applyEditsTo(texts[file].text, edits)]));
}

const CLIENT = '/p/llm/client.ts';

describe('rendering a fix in another file', () => {
  it('is never rendered into the finding\'s own text', () => {
    const text = "export const client = new OpenAI({ apiKey });\n";
    const fix = switchOff(maxRetriesSlot(text, CLIENT, '{ apiKey'));
    expect(renderFix(fix, 'const x = pRetry(() => client.chat(), { retries: 5 });\n', 'typescript')).toBeNull();
  });

  it('adds the option to a one-line object literal in the target, on the same line', async () => {
    const text = "import OpenAI from 'openai';\nexport const client = new OpenAI({ apiKey: process.env.KEY });\n";
    const fix = switchOff(maxRetriesSlot(text, CLIENT, '{ apiKey'));
    expect(await rendered(fix, { [CLIENT]: target(text) })).toEqual({
      [CLIENT]: "import OpenAI from 'openai';\nexport const client = new OpenAI({ apiKey: process.env.KEY, maxRetries: 0 });\n",
    });
  });

  it('adds a line in the style of a multi-line object (indentation, trailing comma, CRLF)', async () => {
    const text = 'function make() {\r\n\treturn new OpenAI({\r\n\t\tapiKey,\r\n\t\ttimeout: 5_000,\r\n\t});\r\n}\r\n';
    const fix = switchOff(maxRetriesSlot(text, CLIENT, '{\r\n\t\tapiKey'));
    expect(await rendered(fix, { [CLIENT]: target(text) })).toEqual({
      [CLIENT]: 'function make() {\r\n\treturn new OpenAI({\r\n\t\tapiKey,\r\n\t\ttimeout: 5_000,\r\n\t\tmaxRetries: 0,\r\n\t});\r\n}\r\n',
    });
  });

  it('keeps a byte-order mark and edits after it', async () => {
    const text = '\uFEFFexport const client = new OpenAI({ apiKey });\n';
    const fix = switchOff(maxRetriesSlot(text, CLIENT, '{ apiKey'));
    expect(await rendered(fix, { [CLIENT]: target(text) })).toEqual({ [CLIENT]: '\uFEFFexport const client = new OpenAI({ apiKey, maxRetries: 0 });\n' });
  });

  it('replaces the value of an option that is already set, and an empty object gets the property', async () => {
    const text = 'export const a = new OpenAI({ maxRetries: 5 });\nexport const b = new Anthropic({});\n';
    const valueStart = text.indexOf('5');
    const set = switchOff(maxRetriesSlot(text, CLIENT, '{ maxRetries', { valueSpan: new LineIndex(text).span(valueStart, valueStart + 1) }));
    const add = switchOff(maxRetriesSlot(text, CLIENT, '{}'));
    expect(await rendered(set, { [CLIENT]: target(text) })).toEqual({ [CLIENT]: text.replace('maxRetries: 5', 'maxRetries: 0') });
    expect(await rendered(add, { [CLIENT]: target(text) })).toEqual({ [CLIENT]: text.replace('({})', '({ maxRetries: 0 })') });
  });

  it('adds an options argument to an argument list', async () => {
    const text = 'export const client = new OpenAI();\n';
    const fix = switchOff({ name: 'maxRetries', style: 'options-argument', unit: 'retries', container: bracketSpan(text, '()'), file: CLIENT });
    expect(await rendered(fix, { [CLIENT]: target(text) })).toEqual({ [CLIENT]: 'export const client = new OpenAI({ maxRetries: 0 });\n' });
  });

  it('edits a Python target with the same-file renderer, on the target\'s text', async () => {
    const text = 'client = OpenAI(api_key=KEY)\n';
    const python = '/p/llm/client.py';
    const fix = switchOff({ name: 'max_retries', style: 'keyword-argument', unit: 'retries', container: bracketSpan(text, '(api_key'), file: python });
    expect(await rendered(fix, { [python]: { text, language: 'python', changes: [] } })).toEqual({ [python]: 'client = OpenAI(api_key=KEY, max_retries=0)\n' });
  });

  it('declines where the container is not the node the slot names, or a spread may override the option', async () => {
    const text = 'export const client = new OpenAI({ maxRetries: 2, ...overrides });\n';
    const valueStart = text.indexOf('2');
    const spread = switchOff(maxRetriesSlot(text, CLIENT, '{ maxRetries', { valueSpan: new LineIndex(text).span(valueStart, valueStart + 1) }));
    expect(typeof (await rendered(spread, { [CLIENT]: target(text) }))).toBe('string');
    const wrongSpan = switchOff({ ...maxRetriesSlot(text, CLIENT, '{ maxRetries'), container: new LineIndex(text).span(0, 6) });
    expect(typeof (await rendered(wrongSpan, { [CLIENT]: target(text) }))).toBe('string');
    expect(await rendered(spread, {})).toBe('unreadable');
  });

  it('follows the run\'s own earlier changes to the target, and declines where they replaced the container', async () => {
    const analysed = 'export const client = new OpenAI({ apiKey });\n';
    const fixedByRun = 'export const client = new OpenAI({ apiKey, timeout: 60000 });\n';
    const fix = switchOff(maxRetriesSlot(analysed, CLIENT, '{ apiKey'));
    expect(await rendered(fix, { [CLIENT]: target(fixedByRun, textChanges(analysed, fixedByRun)) })).toEqual({
      [CLIENT]: 'export const client = new OpenAI({ apiKey, timeout: 60000, maxRetries: 0 });\n',
    });
    const rewritten = 'export const client = makeClient();\n';
    expect(await rendered(fix, { [CLIENT]: target(rewritten, textChanges(analysed, rewritten)) })).toBe(
      'this run changed the file where the fix applies',
    );
  });
});

describe('text changes', () => {
  it('give back the new text, and map spans around them', () => {
    const before = 'a\nconst x = f({ b });\nc\nd\n';
    const after = 'a\nconst x = f({ b, t: 1 });\nC\ninserted\nd\n';
    const changes = textChanges(before, after);
    expect(applyEditsTo(before, changes)).toBe(after);
    const object = { start: before.indexOf('{'), end: before.indexOf('}') + 1 };
    const mapped = mapSpan(changes, object);
    expect(after.slice(mapped!.start, mapped!.end)).toBe('{ b, t: 1 }');
    const d = before.lastIndexOf('d');
    expect(mapSpan(changes, { start: d, end: d + 1 })).toEqual({ start: after.lastIndexOf('d'), end: after.lastIndexOf('d') + 1 });
    const c = before.indexOf('c\n');
    expect(mapSpan(changes, { start: c, end: c + 1 })).toBeUndefined();
  });
});

describe('applyCrossFileFixes on files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'retrylint-xfix-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function file(name: string, text: string): string {
    const filePath = path.join(dir, name);
    writeFileSync(filePath, text);
    return filePath;
  }

  async function renderedRequest(id: string, fix: Fix, texts: Record<string, string>) {
    const result = await renderCrossFileFix(fix, path.join(dir, 'job.ts'), async (at) => target(texts[at]));
    if (!('edits' in result)) throw new Error(result.declined.why);
    return { id, edits: result.edits };
  }

  it('writes every target, counts an edit shared by two findings once, and skips one that conflicts', async () => {
    const clientText = 'export const client = new OpenAI({ apiKey });\n';
    const otherText = 'export const other = new Anthropic({\n  apiKey,\n});\n';
    const client = file('client.ts', clientText);
    const other = file('other.ts', otherText);
    const texts = { [client]: clientText, [other]: otherText };
    const first = await renderedRequest('first', switchOff(maxRetriesSlot(clientText, client, '{ apiKey')), texts);
    const again = await renderedRequest('again', switchOff(maxRetriesSlot(clientText, client, '{ apiKey')), texts);
    const attempts: OptionSlot = { ...maxRetriesSlot(clientText, client, '{ apiKey'), name: 'retries' };
    const conflicting = await renderedRequest('conflicting', switchOff(attempts), texts);
    const second = await renderedRequest('second', switchOff(maxRetriesSlot(otherText, other, '{\n')), texts);

    const outcome = await applyCrossFileFixes([first, again, conflicting, second], { textOf: (at) => texts[at], parses, write: true });
    expect(outcome.failure).toBeUndefined();
    expect(outcome.applied).toEqual(['first', 'again', 'second']);
    expect(outcome.conflicting).toEqual([{ id: 'conflicting', file: client }]);
    expect(readFileSync(client, 'utf8')).toBe('export const client = new OpenAI({ apiKey, maxRetries: 0 });\n');
    expect(readFileSync(other, 'utf8')).toBe('export const other = new Anthropic({\n  apiKey,\n  maxRetries: 0,\n});\n');
    expect(readdirSync(dir).sort()).toEqual(['client.ts', 'other.ts']);
  });

  it('writes no file when one target would not parse', async () => {
    const clientText = 'export const client = new OpenAI({ apiKey });\n';
    const brokenText = 'export const other = new Anthropic({ apiKey });\n';
    const client = file('client.ts', clientText);
    const broken = file('broken.ts', brokenText);
    const texts = { [client]: clientText, [broken]: brokenText };
    const first = await renderedRequest('first', switchOff(maxRetriesSlot(clientText, client, '{ apiKey')), texts);
    // A written value that is not an expression stands for a renderer gone wrong.
    const second = { id: 'second', edits: new Map([[broken, [{ start: brokenText.indexOf('}'), end: brokenText.indexOf('}'), text: ', maxRetries: )' }]]]) };

    const outcome = await applyCrossFileFixes([first, second], { textOf: (at) => texts[at], parses, write: true });
    expect(outcome).toMatchObject({ applied: [], failure: { file: broken, reason: 'does-not-parse' }, changed: [] });
    expect(readFileSync(client, 'utf8')).toBe(clientText);
    expect(readFileSync(broken, 'utf8')).toBe(brokenText);
    expect(readdirSync(dir).sort()).toEqual(['broken.ts', 'client.ts']);
  });

  it('writes no file when one target cannot be written', async () => {
    const clientText = 'export const client = new OpenAI({ apiKey });\n';
    const client = file('client.ts', clientText);
    const missing = path.join(dir, 'gone', 'other.ts');
    const texts = { [client]: clientText, [missing]: clientText };
    const first = await renderedRequest('first', switchOff(maxRetriesSlot(clientText, client, '{ apiKey')), texts);
    const second = await renderedRequest('second', switchOff(maxRetriesSlot(clientText, missing, '{ apiKey')), texts);

    const outcome = await applyCrossFileFixes([first, second], { textOf: (at) => texts[at], parses, write: true });
    expect(outcome).toMatchObject({ applied: [], failure: { file: missing, reason: 'cannot-write' } });
    expect(readFileSync(client, 'utf8')).toBe(clientText);
    expect(readdirSync(dir)).toEqual(['client.ts']);
  });

  it('computes the results without writing on a dry run', async () => {
    const clientText = 'export const client = new OpenAI({ apiKey });\n';
    const client = file('client.ts', clientText);
    const request = await renderedRequest('only', switchOff(maxRetriesSlot(clientText, client, '{ apiKey')), { [client]: clientText });
    const outcome = await applyCrossFileFixes([request], { textOf: () => clientText, parses, write: false });
    expect(outcome.changed).toEqual([{ file: client, before: clientText, after: 'export const client = new OpenAI({ apiKey, maxRetries: 0 });\n' }]);
    expect(readFileSync(client, 'utf8')).toBe(clientText);
  });
});
