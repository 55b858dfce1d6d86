import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSync } from 'oxc-parser';
import { frontend } from '../../../../linter/src/frontends/typescript/index.js';
import { parseText } from '../../../../linter/src/frontends/typescript/parse.js';
import type { Node } from '../../../../linter/src/frontends/typescript/syntax.js';
import { walk, walkWithinFunction, WalkOrder } from '../../../../linter/src/frontends/typescript/walk.js';

await frontend.load();
const fixtureDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/typescript');

/** A tree no walk order was built for (parseText builds one), with oxc's own ranges. */
function freshTree(name: string): Node {
  const text = readFileSync(path.join(fixtureDir, name), 'utf8');
  const options = name.endsWith('.js') ? ({ lang: 'jsx', sourceType: 'unambiguous' } as const) : ({ lang: 'ts', sourceType: 'module' } as const);
  return parseSync(name, text, { ...options, astType: 'js', range: true, preserveParens: false }).program as unknown as Node;
}

/** What the walks report from every loop and function of a tree: nodes with their parents, and a skip at each `if`. */
function walkRecords(root: Node): string[] {
  const starts: Node[] = [];
  walk(root, (node) => {
    if (/Function|Statement$/.test(node.type)) starts.push(node);
  });
  const id = (node: Node | undefined) => (node ? `${node.type}@${node.range[0]}-${node.range[1]}` : '-');
  return starts.flatMap((start) => {
    const records: string[] = [];
    walk(start, (node, parent) => records.push(`walk ${id(node)} < ${id(parent)}`));
    walkWithinFunction(start, (node) => {
      records.push(`within ${id(node)}`);
      return node.type !== 'IfStatement';
    });
    return records;
  });
}

describe('ranges of the trees parseText returns', () => {
  it('are those oxc computes when asked for them, on every node', () => {
    const name = 'retry-libraries.ts';
    const parsed = parseText(readFileSync(path.join(fixtureDir, name), 'utf8'), name);
    if (!parsed.ok) throw new Error(parsed.message);
    const ranges = (root: Node) => {
      const found: string[] = [];
      walk(root, (node) => found.push(`${node.type}@${node.range[0]}-${node.range[1]}`));
      return found;
    };
    expect(ranges(parsed.program)).toEqual(ranges(freshTree(name)));
  });
});

describe('walks over an indexed tree', () => {
  const fixtures = readdirSync(fixtureDir).filter((name) => !name.includes('.fixed.'));

  it.each(fixtures)('visit the same nodes, parents and skips as walks through child keys: %s', (name) => {
    const expected = walkRecords(freshTree(name));
    const tree = freshTree(name);
    const order = new WalkOrder(tree);
    expect(walkRecords(tree)).toEqual(expected);
    walk(tree, (node, parent) => {
      if (parent) expect(order.parentOf(node)).toBe(parent);
    });
  });

  it('walks a tree outside the remembered ones through its keys', () => {
    const remembered = freshTree('bounded-delay.ts');
    const expected = walkRecords(remembered);
    for (let i = 0; i < 5; i++) new WalkOrder(freshTree('no-nested-retries.ts'));
    // `remembered` fell out of the recent orders: still the same answers.
    expect(walkRecords(remembered)).toEqual(expected);
    expect(new WalkOrder(freshTree('bounded-delay.ts')).parentOf(remembered)).toBeUndefined();
  });
});
