/**
 * Reading HTTP status tests in conditions: `resp.status == 429`, `status_code in (500, 503)`,
 * `e.response.status_code >= 500`, `status not in RETRYABLE` (a module constant or a config
 * field), combined with `or` / `and` / `not`.
 */
import type { Analysis } from './analysis.js';
import { STATUS_ATTRIBUTE_NAMES, STATUS_VARIABLE_NAMES } from './entry-names.js';
import { childByField, unwrap, type PyNode } from './syntax-tree.js';
import type { ListLiteral } from './values.js';

export interface StatusRange {
  readonly min: number;
  readonly max: number;
  readonly node: PyNode;
}

export interface StatusTest {
  readonly ranges: readonly StatusRange[];
  /** The condition holds when the status is NOT in `ranges`. */
  readonly negated: boolean;
  /** The literal list the statuses came from, when they came from one. */
  readonly list?: ListLiteral;
}

const STATUS_ATTRIBUTES = new RegExp(`^(?:${STATUS_ATTRIBUTE_NAMES.join('|')})$`);
const STATUS_NAMES = new RegExp(`^(?:${STATUS_VARIABLE_NAMES.join('|')})$`);

export function isStatusExpression(analysis: Analysis, node: PyNode): boolean {
  const inner = unwrap(node);
  if (inner.type === 'attribute') {
    const attribute = childByField(inner, 'attribute');
    const name = attribute ? analysis.file.textOf(attribute) : '';
    // `.code` is a status only on HTTP-looking objects (`e.code` of urllib's HTTPError).
    return STATUS_ATTRIBUTES.test(name) && (name !== 'code' || /(resp|response|err|error|exc|^e)\b/i.test(analysis.file.textOf(inner)));
  }
  if (inner.type === 'identifier') return STATUS_NAMES.test(analysis.file.textOf(inner));
  return false;
}

export function statusTest(analysis: Analysis, condition: PyNode, depth = 0): StatusTest | undefined {
  const inner = unwrap(condition);
  if (inner.type === 'not_operator') {
    const argument = childByField(inner, 'argument');
    const test = argument ? statusTest(analysis, argument, depth) : undefined;
    return test ? { ...test, negated: !test.negated } : undefined;
  }
  if (inner.type === 'boolean_operator') {
    const left = childByField(inner, 'left');
    const right = childByField(inner, 'right');
    const operator = childByField(inner, 'operator');
    const a = left ? statusTest(analysis, left, depth) : undefined;
    const b = right ? statusTest(analysis, right, depth) : undefined;
    const op = operator ? analysis.file.textOf(operator) : '';
    if (op === 'or' && a && b && !a.negated && !b.negated) return { ranges: [...a.ranges, ...b.ranges], negated: false };
    // `status == 429 or status in TRANSIENT` with a list the frontend cannot read: the branch
    // still runs for the statuses it can read.
    if (op === 'or' && (a === undefined) !== (b === undefined) && !(a ?? b)?.negated && mentionsStatus(analysis, a ? right : left)) {
      return { ranges: (a ?? b)?.ranges ?? [], negated: false };
    }
    if (op === 'and' && a && b && a.negated && b.negated) return { ranges: [...a.ranges, ...b.ranges], negated: true };
    if (op === 'and' && (a === undefined) !== (b === undefined)) return a ?? b;
    return undefined;
  }
  if (inner.type === 'identifier' && !isStatusExpression(analysis, inner)) {
    // `rate_limited = response.status_code == 429` and then `if rate_limited:`.
    const held = analysis.values.follow(inner);
    return depth < 2 && held !== inner && unwrap(held).type !== 'identifier' ? statusTest(analysis, held, depth + 1) : undefined;
  }
  if (inner.type !== 'comparison_operator') return undefined;
  const operands = inner.children.filter((child) => child.named);
  const operators = inner.children.filter((child) => !child.named).map((child) => analysis.file.textOf(child).replace(/\s+/g, ' '));
  if (operands.length === 3 && operators.length === 2) return chainedRange(analysis, operands, operators);
  if (operands.length !== 2 || operators.length !== 1) return undefined;
  let [left, right] = operands;
  let op = operators[0];
  if (!isStatusExpression(analysis, left)) {
    if (!isStatusExpression(analysis, right) || op === 'in' || op === 'not in') return undefined;
    [left, right] = [right, left];
    op = FLIPPED[op] ?? op;
  }
  if (op === 'in' || op === 'not in') {
    const list = analysis.values.listLiteral(right);
    if (list) {
      const ranges = list.items
        .filter((item): item is { value: number; node: PyNode } => typeof item.value === 'number')
        .map((item) => ({ min: item.value, max: item.value, node: item.node }));
      return { ranges, negated: op === 'not in', list };
    }
    const range = rangeCall(analysis, right);
    return range ? { ranges: [range], negated: op === 'not in' } : undefined;
  }
  const value = analysis.values.evaluateNumber(right);
  if (value === undefined) return undefined;
  switch (op) {
    case '==':
      return { ranges: [{ min: value, max: value, node: right }], negated: false };
    case '!=':
      return { ranges: [{ min: value, max: value, node: right }], negated: true };
    case '>=':
      return { ranges: [{ min: value, max: 599, node: right }], negated: false };
    case '>':
      return { ranges: [{ min: value + 1, max: 599, node: right }], negated: false };
    case '<':
      return { ranges: [{ min: value, max: 599, node: right }], negated: true };
    case '<=':
      return { ranges: [{ min: value + 1, max: 599, node: right }], negated: true };
    default:
      return undefined;
  }
}

const FLIPPED: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=', '==': '==', '!=': '!=' };

function chainedRange(analysis: Analysis, operands: PyNode[], operators: string[]): StatusTest | undefined {
  if (!isStatusExpression(analysis, operands[1])) return undefined;
  const low = analysis.values.evaluateNumber(operands[0]);
  const high = analysis.values.evaluateNumber(operands[2]);
  if (low === undefined || high === undefined) return undefined;
  const min = operators[0] === '<=' ? low : operators[0] === '<' ? low + 1 : undefined;
  const max = operators[1] === '<=' ? high : operators[1] === '<' ? high - 1 : undefined;
  if (min === undefined || max === undefined) return undefined;
  return { ranges: [{ min, max, node: operands[0] }], negated: false };
}

function rangeCall(analysis: Analysis, node: PyNode): StatusRange | undefined {
  const inner = unwrap(node);
  if (inner.type !== 'call') return undefined;
  const callee = childByField(inner, 'function');
  if (!callee || analysis.file.textOf(callee) !== 'range') return undefined;
  const args = childByField(inner, 'arguments');
  const values = args ? args.children.filter((child) => child.named).map((child) => analysis.values.evaluateNumber(child)) : [];
  if (values.length !== 2 || values[0] === undefined || values[1] === undefined) return undefined;
  return { min: values[0], max: values[1] - 1, node: inner };
}

/** The expression reads a status somewhere (`status in CODES and retry_transient`). */
function mentionsStatus(analysis: Analysis, node: PyNode | undefined): boolean {
  if (!node) return false;
  if (isStatusExpression(analysis, node)) return true;
  return node.children.some((child) => mentionsStatus(analysis, child));
}
