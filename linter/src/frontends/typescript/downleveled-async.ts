/**
 * Compiled async code read as the async code it was written as. TypeScript's ES2015/ES2016
 * output (and tslib) turns `async function f() { await x; }` into
 * `function f() { return __awaiter(this, void 0, void 0, function* () { yield x; }); }`, and
 * many npm packages ship that form. The generator handed to `__awaiter` is marked async and its
 * own `yield`s become `await`s, so every recognizer reads it like the source.
 *
 * It rewrites the tree in place, so only the CLI's own parse runs it (the ESLint plugin's tree
 * belongs to ESLint and its other rules).
 */
import type { TSESTree } from '@typescript-eslint/types';
import { memberPath, type Node, type Program } from './syntax.js';
import { walk, walkWithinFunction } from './walk.js';

const AWAITER_HELPER = '__awaiter';

export function restoreDownleveledAsync(program: Program, text: string): void {
  if (!text.includes(AWAITER_HELPER)) return;
  walk(program, (node) => {
    if (node.type !== 'CallExpression') return;
    const path = memberPath(node.callee);
    if (path?.[path.length - 1] !== AWAITER_HELPER) return;
    const body = node.arguments[node.arguments.length - 1];
    if (body?.type === 'FunctionExpression' && body.generator) markAsync(body);
  });
}

function markAsync(fn: TSESTree.FunctionExpression): void {
  fn.async = true;
  fn.generator = false;
  // walkWithinFunction stays out of nested functions: their yields are their own.
  walkWithinFunction(fn.body, (node: Node) => {
    if (node.type === 'YieldExpression' && !node.delegate && node.argument) {
      const awaited = node as unknown as { type: string; delegate?: boolean };
      awaited.type = 'AwaitExpression';
      delete awaited.delegate;
    }
  });
}
