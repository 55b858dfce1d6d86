/**
 * The largest value a count can take: `1 if streaming else 10` is up to 10 attempts, and
 * `max_attempts + 1` follows it. Only sums, products and differences with a constant are
 * followed, where the largest operands give the largest result.
 */
import type { Analysis } from './analysis.js';
import { childByField, namedChildren, unwrap, type PyNode } from './syntax-tree.js';

const MAX_DEPTH = 8;

export function largestNumber(analysis: Analysis, node: PyNode | undefined, depth = 0): number | undefined {
  if (!node || depth > MAX_DEPTH) return undefined;
  const exact = analysis.values.evaluateNumber(node);
  if (exact !== undefined) return exact;
  const inner = unwrap(analysis.values.follow(node));
  if (inner.type === 'conditional_expression') {
    const [whenTrue, , whenFalse] = namedChildren(inner);
    const a = largestNumber(analysis, whenTrue, depth + 1);
    const b = largestNumber(analysis, whenFalse, depth + 1);
    return a !== undefined && b !== undefined ? Math.max(a, b) : undefined;
  }
  if (inner.type !== 'binary_operator') return undefined;
  const operator = analysis.file.textOf(childByField(inner, 'operator') ?? inner);
  const left = largestNumber(analysis, childByField(inner, 'left'), depth + 1);
  if (left === undefined || left < 0) return undefined;
  if (operator === '-') {
    const right = analysis.values.evaluateNumber(childByField(inner, 'right'));
    return right !== undefined ? left - right : undefined;
  }
  const right = largestNumber(analysis, childByField(inner, 'right'), depth + 1);
  if (right === undefined || right < 0) return undefined;
  if (operator === '+') return left + right;
  if (operator === '*') return left * right;
  return undefined;
}
