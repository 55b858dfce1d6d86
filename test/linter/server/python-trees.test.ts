import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { extractPython } from '../../../linter/src/frontends/python/extract.js';
import { frontend } from '../../../linter/src/frontends/python/index.js';
import { editBetween, IncrementalPythonTrees } from '../../../linter/src/server/python-trees.js';
import { listFixtures } from '../fixture-harness.js';
import { cliFindings, described } from './cli-compare.js';
import { repoRoot, serverSessions } from './lsp-harness.js';

/** A seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Typing, deleting, pasting lines, breaking and mending syntax, non-ASCII text. */
const INSERTS = ['x', '1', ' ', '\n', '(', ')', ':', '"', 'ü', '😀', '\n    time.sleep(1)\n', 'for attempt in range(3):\n    pass\n', '# retry\n', '\r\n'];

function randomEdit(text: string, next: () => number): { start: number; end: number; insert: string } {
  const start = Math.floor(next() * (text.length + 1));
  const kind = next();
  if (kind < 0.45) return { start, end: start, insert: INSERTS[Math.floor(next() * INSERTS.length)] };
  if (kind < 0.8) return { start, end: Math.min(text.length, start + 1 + Math.floor(next() * 40)), insert: '' };
  const end = Math.min(text.length, start + Math.floor(next() * 200));
  return { start, end, insert: INSERTS[Math.floor(next() * INSERTS.length)].repeat(1 + Math.floor(next() * 3)) };
}

/**
 * Edits that mostly keep a file valid: typing into a string, a comment, a blank line or an
 * assignment before a top-level statement, a top-level statement copied elsewhere or removed.
 */
function candidateEdit(text: string, next: () => number): string {
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(next() * items.length)];
  const kind = next();
  if (kind < 0.4) {
    const quotes = [...text.matchAll(/"[^"\n]*"/g)].map((match) => (match.index ?? 0) + 1);
    const at = pick(quotes);
    if (at !== undefined) return text.slice(0, at) + pick(['x', 'é', '😀', '/']) + text.slice(at);
  }
  const statements = [...text.matchAll(/^(?:[A-Za-z_@].*(?:\r?\n(?:[ \t]+.*|[ \t]*))*(?:\r?\n|$))/gm)].map((match) => ({ start: match.index ?? 0, text: match[0] }));
  const statement = pick(statements);
  if (!statement) return text;
  if (kind < 0.6) return text.slice(0, statement.start) + pick(['\n', '# note\n', 'x = 1\n']) + text.slice(statement.start);
  if (kind < 0.8 && statements.length > 3) return text.slice(0, statement.start) + text.slice(statement.start + statement.text.length);
  const target = pick(statements) ?? statement;
  return text.slice(0, target.start) + statement.text.replace(/\r?\n?$/, '\n') + text.slice(target.start);
}

/** Never split a surrogate pair: an editor does not either. */
function onCharacter(text: string, index: number): number {
  const code = text.charCodeAt(index - 1);
  return code >= 0xd800 && code <= 0xdbff ? index - 1 : index;
}

const fixtures = listFixtures('python').filter((file) => !file.endsWith('.fixed.py'));

beforeAll(() => frontend.load());

describe('editBetween', () => {
  it('spans exactly what changed, with rows and UTF-16 columns', () => {
    expect(editBetween('a = 1\nb = 2\n', 'a = 1\nb = 23\n')).toEqual({
      startIndex: 11,
      oldEndIndex: 11,
      newEndIndex: 12,
      startPosition: { row: 1, column: 5 },
      oldEndPosition: { row: 1, column: 5 },
      newEndPosition: { row: 1, column: 6 },
    });
    expect(editBetween('x = "ü"\ny\n', 'x = "ü"\n\nz\ny\n')).toMatchObject({ startIndex: 8, oldEndIndex: 8, newEndIndex: 11, newEndPosition: { row: 3, column: 0 } });
    expect(editBetween('aaaa', 'aa')).toMatchObject({ startIndex: 2, oldEndIndex: 4, newEndIndex: 2 });
    expect(editBetween('same', 'same')).toMatchObject({ startIndex: 4, oldEndIndex: 4, newEndIndex: 4 });
  });
});

describe('incremental parsing of an open document', () => {
  it.each(fixtures.map((file) => [path.basename(file), file] as const))(
    'gives the same model as a fresh parse after each of 60 random edits to %s',
    (name, file) => {
      const trees = new IncrementalPythonTrees();
      const filePath = `/project/${name}`;
      trees.open(filePath);
      const next = random(name.length * 7919);
      let text = readFileSync(file, 'utf8');
      for (let step = 0; step < 60; step++) {
        const edit = randomEdit(text, next);
        const start = onCharacter(text, edit.start);
        text = text.slice(0, start) + edit.insert + text.slice(onCharacter(text, Math.max(start, edit.end)));
        const incremental = extractPython(text, filePath, trees);
        const fresh = extractPython(text);
        expect(JSON.stringify(incremental), `after edit ${step}`).toBe(JSON.stringify(fresh));
      }
      trees.close(filePath);
    },
  );

  it.each(fixtures.map((file) => [path.basename(file), file] as const))(
    'gives the same model as a fresh parse after each of 40 edits that keep %s valid (statements cloned from the last copy)',
    (name, file) => {
      const trees = new IncrementalPythonTrees();
      const filePath = `/project/${name}`;
      trees.open(filePath);
      const next = random(name.length * 104729);
      let text = readFileSync(file, 'utf8');
      let applied = 0;
      for (let step = 0; step < 80 && applied < 40; step++) {
        const edited = candidateEdit(text, next);
        // Only the edits after which the file still parses: the ones whose statements are cloned.
        if (!frontend.parses(edited, filePath)) continue;
        text = edited;
        applied++;
        const incremental = extractPython(text, filePath, trees);
        const fresh = extractPython(text);
        expect(JSON.stringify(incremental), `after edit ${step}`).toBe(JSON.stringify(fresh));
      }
      expect(applied).toBeGreaterThan(20);
    },
  );

  it('parses files that are not open afresh, and keeps nothing for them', () => {
    const trees = new IncrementalPythonTrees();
    const text = readFileSync(fixtures[0], 'utf8');
    expect(JSON.stringify(extractPython(text, '/elsewhere/a.py', trees))).toBe(JSON.stringify(extractPython(text)));
    trees.open('/project/a.py');
    const model = extractPython(text, '/project/a.py', trees);
    // The same text again reads the kept tree, which release() must not have freed.
    expect(JSON.stringify(extractPython(text, '/project/a.py', trees))).toBe(JSON.stringify(model));
    trees.close('/project/a.py');
    expect(JSON.stringify(extractPython(text, '/project/a.py', trees))).toBe(JSON.stringify(model));
  });
});

const { start, workspace } = serverSessions();

describe('the language server after a series of edits', () => {
  it('publishes the diagnostics a fresh lint of the final text gives', async () => {
    const original = readFileSync(path.join(repoRoot, 'test/fixtures/python/bounded-delay.py'), 'utf8');
    const ws = workspace({ 'job.py': original });
    const client = await start({ folders: [ws.dir] });
    const uri = await client.open(ws.file('job.py'), 'python', original);
    await client.diagnosticsFor(uri, 1);
    const next = random(42);
    let document = TextDocument.create(uri, 'python', 1, original);
    let version = 1;
    for (let step = 0; step < 25; step++) {
      const text = document.getText();
      const edit = randomEdit(text, next);
      const begin = onCharacter(text, edit.start);
      const change: TextDocumentContentChangeEvent = {
        range: { start: document.positionAt(begin), end: document.positionAt(onCharacter(text, Math.max(begin, edit.end))) },
        text: edit.insert,
      };
      version = await client.change(uri, [change]);
      document = TextDocument.update(document, [change], version);
      // Every few edits wait for the lint, so that the server's kept tree goes through many versions.
      if (step % 5 === 4) await client.diagnosticsFor(uri, version);
    }
    const diagnostics = await client.diagnosticsFor(uri, version);
    writeFileSync(ws.file('job.py'), document.getText());
    expect(described(diagnostics).sort()).toEqual(cliFindings(ws.dir, 'job.py').sort());
  });
});
