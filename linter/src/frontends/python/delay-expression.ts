/**
 * Classifies a hand-written delay expression as a function of the attempt counter:
 * constant, linear (`step * attempt`), exponential (`base * 2 ** attempt`, `pow`), with a
 * cap (`min(..., cap)`) and jitter (`random.*`).
 */
import { known, unknown, type DelayFacts, type JitterKind } from '@retrylint/shared';
import type { Analysis } from './analysis.js';
import { localFunction } from './client-origin.js';
import { childByField, namedChildren, unwrap, walk, type PyNode } from './syntax-tree.js';

/** value(k) = a + b * k (linear) or c * r ** k (exponential), k being the counter. */
type Shape =
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'linear'; readonly a: number; readonly b: number }
  | { readonly kind: 'exp'; readonly c: number; readonly r: number; readonly offset: number };

interface Term {
  readonly shape: Shape;
  readonly jitter?: JitterKind;
  /** A `min(..., cap)`: the cap, or NaN when the cap is not constant. */
  readonly cap?: number;
}

export interface CounterInfo {
  /** The loop counter's name in the scope of the expression. */
  readonly name: string;
  /** Counter value when the first backoff sleep happens. */
  readonly firstValue: number | undefined;
}

/**
 * A variable that carries the delay from one attempt to the next (`delay *= 2`,
 * `delay = min(delay * 2, cap)`, `delay += step`), in seconds. Used as the counter: its
 * value after k updates is base * factor ** k (or base + step * k).
 */
export interface Accumulator {
  readonly name: string;
  readonly growth: { readonly kind: 'exponential'; readonly factor: number } | { readonly kind: 'linear'; readonly step: number };
  readonly base: number;
  /** From a `min(..., cap)` in the update; NaN when the cap is not constant. */
  readonly cap?: number;
}

const MAX_DEPTH = 8;

export class DelayClassifier {
  constructor(
    private readonly analysis: Analysis,
    /** Names bound in the loop to other expressions (`delay = base * 2 ** attempt`). */
    /** One expression, or one per branch of an `if`/`else` that binds the name on every path. */
    private readonly localDefinition: (identifier: PyNode) => PyNode | readonly PyNode[] | undefined,
    /**
     * Names whose value changes between attempts in a way the classifier cannot follow
     * (a recursive call's parameters): their defaults say nothing about later attempts.
     */
    private readonly varying: ReadonlySet<string> = new Set(),
    /** The delay variable when the counter passed to classify() is an accumulator. */
    private readonly accumulator?: Accumulator,
  ) {}

  /** DelayFacts for a sleep argument in seconds. */
  classify(argument: PyNode, counter: CounterInfo | undefined, sleepSpan: PyNode): DelayFacts {
    const expression = this.expressionNode(argument);
    const term = this.term(argument, counter?.name, 0);
    const span = this.analysis.file.span(sleepSpan);
    const expressionSpan = this.analysis.file.span(expression);
    if (!term) return { strategy: unknown('delay not evaluable'), baseMs: unknown(), capMs: unknown(), jitter: unknown(), expression: expressionSpan, span };
    const jitter = known<JitterKind>(term.jitter ?? 'none');
    const cap = term.cap === undefined ? known<number | 'none'>('none') : Number.isNaN(term.cap) ? unknown('cap not constant') : known(term.cap * 1000);
    const shape = term.shape;
    const first = counter?.firstValue;
    if (shape.kind === 'const') {
      const value = term.cap !== undefined && !Number.isNaN(term.cap) ? Math.min(shape.value, term.cap) : shape.value;
      return {
        strategy: known(value > 0 || term.jitter ? 'constant' : 'none'),
        baseMs: known(value * 1000),
        capMs: known(value * 1000),
        jitter,
        expression: expressionSpan,
        span,
      };
    }
    if (shape.kind === 'linear') {
      return {
        strategy: known('linear'),
        baseMs: first === undefined ? unknown('counter start') : known((shape.a + shape.b * first) * 1000),
        stepMs: known(shape.b * 1000),
        capMs: cap,
        jitter,
        expression: expressionSpan,
        span,
      };
    }
    return {
      strategy: known('exponential'),
      baseMs: first === undefined ? unknown('counter start') : known((shape.c * shape.r ** first + shape.offset) * 1000),
      factor: known(shape.r),
      capMs: cap,
      jitter,
      expression: expressionSpan,
      span,
    };
  }

  /** The expression a fix would wrap: the sleep argument, or what the variable it names holds. */
  expressionNode(argument: PyNode): PyNode {
    let current = unwrap(argument);
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
      if (current.type === 'identifier') {
        const bound = this.localDefinition(current);
        if (!bound || Array.isArray(bound)) return current;
        current = unwrap(bound as PyNode);
      } else if (current.type === 'call' && /^(float|int|round)$/.test(this.callName(current))) {
        const inner = namedChildren(childByField(current, 'arguments') ?? current)[0];
        if (!inner) return current;
        current = unwrap(inner);
      } else return current;
    }
    return current;
  }

  private callName(call: PyNode): string {
    const callee = childByField(call, 'function');
    if (!callee) return '';
    return this.analysis.file.qualify(callee) ?? this.analysis.file.textOf(callee);
  }

  term(node: PyNode, counter: string | undefined, depth: number): Term | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const { file, values } = this.analysis;
    const inner = unwrap(node);
    if (inner.type === 'identifier' && counter !== undefined && file.textOf(inner) === counter) {
      if (this.accumulator?.name === counter) return accumulatedTerm(this.accumulator);
      return { shape: { kind: 'linear', a: 0, b: 1 } };
    }
    if (inner.type === 'identifier' && this.varying.has(file.textOf(inner))) return undefined;
    if (inner.type === 'identifier') {
      const local = this.localDefinition(inner);
      if (Array.isArray(local)) return strongest(local.map((branch) => this.term(branch, counter, depth + 1)));
      if (local) return this.term(local as PyNode, counter, depth + 1);
    }
    // A parameter's default would evaluate, but the counter and varying names are not constants.
    const constant = this.mentionsVariable(inner, counter) ? undefined : values.evaluateNumber(inner);
    if (constant !== undefined) return { shape: { kind: 'const', value: constant } };
    switch (inner.type) {
      case 'binary_operator':
        return this.binary(inner, counter, depth);
      case 'call':
        return this.call(inner, counter, depth);
      case 'conditional_expression':
        return this.conditional(inner, counter, depth);
      default:
        return undefined;
    }
  }

  /**
   * `0.5 * 2 ** n if fast else 2 ** n`: either branch may run, so the one that grows faster
   * decides (an exponential over a linear over a constant); unsure when a branch is unreadable.
   */
  private conditional(node: PyNode, counter: string | undefined, depth: number): Term | undefined {
    const [whenTrue, , whenFalse] = namedChildren(node);
    if (!whenTrue || !whenFalse) return undefined;
    return strongest([this.term(whenTrue, counter, depth + 1), this.term(whenFalse, counter, depth + 1)]);
  }

  private mentionsVariable(node: PyNode, counter: string | undefined): boolean {
    if (counter === undefined && this.varying.size === 0) return false;
    let found = false;
    walk(node, (current) => {
      if (current.type === 'identifier') {
        const name = this.analysis.file.textOf(current);
        if (name === counter || this.varying.has(name)) found = true;
      }
      return !found;
    });
    return found;
  }

  private binary(node: PyNode, counter: string | undefined, depth: number): Term | undefined {
    const operator = childByField(node, 'operator');
    const leftNode = childByField(node, 'left');
    const rightNode = childByField(node, 'right');
    if (!operator || !leftNode || !rightNode) return undefined;
    const op = this.analysis.file.textOf(operator);
    const leftRandom = this.randomFactor(leftNode);
    const rightRandom = this.randomFactor(rightNode);
    if (op === '*' && (leftRandom || rightRandom)) {
      const other = this.term(leftRandom ? rightNode : leftNode, counter, depth + 1);
      const kind = (leftRandom ?? rightRandom) as JitterKind;
      return other ? { ...other, jitter: kind } : undefined;
    }
    if ((op === '+' || op === '-') && (leftRandom || rightRandom)) {
      const other = this.term(leftRandom ? rightNode : leftNode, counter, depth + 1);
      return other ? { ...other, jitter: 'additive' } : undefined;
    }
    const left = this.term(leftNode, counter, depth + 1);
    const right = this.term(rightNode, counter, depth + 1);
    if (!left || !right) return undefined;
    const shape = combine(op, left.shape, right.shape);
    if (!shape) return undefined;
    const jitter = left.jitter ?? right.jitter;
    const cap = left.cap ?? right.cap;
    return { shape, ...(jitter ? { jitter } : {}), ...(cap !== undefined ? { cap } : {}) };
  }

  /** `random.random()`, `random.uniform(a, b)`, `(0.5 + random.random())`: a random multiplier. */
  private randomFactor(node: PyNode): JitterKind | undefined {
    const inner = unwrap(node);
    if (inner.type === 'call') {
      const name = this.callName(inner);
      if (name === 'random.random') return 'full';
      if (name === 'random.uniform') {
        const low = this.analysis.values.evaluateNumber(namedChildren(childByField(inner, 'arguments') ?? inner)[0]);
        return low === 0 ? 'full' : 'proportional';
      }
      return undefined;
    }
    return this.mentionsRandom(inner) ? 'proportional' : undefined;
  }

  private mentionsRandom(node: PyNode): boolean {
    let found = false;
    walk(node, (current) => {
      if (current.type === 'call' && /^(random|numpy\.random|secrets)\./.test(this.callName(current))) found = true;
      return !found;
    });
    return found;
  }

  private call(node: PyNode, counter: string | undefined, depth: number): Term | undefined {
    const name = this.callName(node);
    const args = namedChildren(childByField(node, 'arguments') ?? node).filter((arg) => arg.type !== 'keyword_argument');
    if ((name === 'min' || name === 'max') && args.length === 2) {
      const terms = args.map((arg) => this.term(arg, counter, depth + 1));
      if (!terms[0] || !terms[1]) {
        // min(growth, unknown cap): capped, but by an unknown value.
        const known = terms[0] ?? terms[1];
        return known && name === 'min' ? { ...known, cap: Number.NaN } : undefined;
      }
      const [a, b] = terms as [Term, Term];
      const constSide = a.shape.kind === 'const' ? a : b.shape.kind === 'const' ? b : undefined;
      const growing = constSide === a ? b : a;
      if (!constSide || constSide.shape.kind !== 'const') return undefined;
      if (growing.shape.kind === 'const') {
        const value = name === 'min' ? Math.min(constSide.shape.value, growing.shape.value) : Math.max(constSide.shape.value, growing.shape.value);
        return { shape: { kind: 'const', value }, ...(growing.jitter ? { jitter: growing.jitter } : {}) };
      }
      return name === 'min' ? { ...growing, cap: constSide.shape.value } : growing;
    }
    if ((name === 'pow' || name === 'math.pow') && args.length === 2) {
      const base = this.term(args[0], counter, depth + 1);
      const exponent = this.term(args[1], counter, depth + 1);
      const shape = base && exponent ? combine('**', base.shape, exponent.shape) : undefined;
      return shape ? { shape } : undefined;
    }
    if (/^(float|int|round)$/.test(name) && args.length >= 1) return this.term(args[0], counter, depth + 1);
    if (name === 'random.uniform' && args.length === 2) {
      const low = this.analysis.values.evaluateNumber(args[0]);
      const high = this.term(args[1], counter, depth + 1);
      if (low === undefined || !high) return undefined;
      return { ...high, jitter: low === 0 ? 'full' : 'additive' };
    }
    return this.helperReturn(node, counter, depth);
  }

  /** `self._delay(attempt)`: the helper's single returned expression, the parameter as counter. */
  private helperReturn(call: PyNode, counter: string | undefined, depth: number): Term | undefined {
    const callee = childByField(call, 'function');
    const fn = callee ? localFunction(this.analysis, callee) : undefined;
    if (!fn || counter === undefined) return undefined;
    const returns: PyNode[] = [];
    walk(fn, (node) => {
      if (node !== fn && (node.type === 'function_definition' || node.type === 'lambda')) return false;
      if (node.type === 'return_statement') returns.push(node);
      return true;
    });
    const returned = returns.length === 1 ? namedChildren(returns[0])[0] : undefined;
    if (!returned) return undefined;
    const argument = namedChildren(childByField(call, 'arguments') ?? call).findIndex(
      (arg) => arg.type === 'identifier' && this.analysis.file.textOf(arg) === counter,
    );
    const parameters = namedChildren(childByField(fn, 'parameters') ?? fn).filter((parameter) => this.analysis.file.textOf(parameter) !== 'self');
    const parameter = argument >= 0 ? parameters[argument] : undefined;
    const parameterName = parameter ? (parameter.type === 'identifier' ? parameter : childByField(parameter, 'name') ?? namedChildren(parameter)[0]) : undefined;
    if (!parameterName) return undefined;
    const helper = new DelayClassifier(this.analysis, (identifier) => definitionsIn(this.analysis, fn, identifier));
    return helper.term(returned, this.analysis.file.textOf(parameterName), depth + 1);
  }
}

/** Of delays on alternative paths, the one that grows fastest; unsure when one is unreadable. */
function strongest(terms: readonly (Term | undefined)[]): Term | undefined {
  if (terms.length === 0 || terms.some((term) => term === undefined)) return undefined;
  const rank = (term: Term): number => ['const', 'linear', 'exp'].indexOf(term.shape.kind);
  return (terms as Term[]).reduce((best, term) => (rank(term) > rank(best) ? term : best));
}

function accumulatedTerm(accumulator: Accumulator): Term {
  const { growth, base, cap } = accumulator;
  const shape: Shape =
    growth.kind === 'exponential' ? { kind: 'exp', c: base, r: growth.factor, offset: 0 } : { kind: 'linear', a: base, b: growth.step };
  return cap === undefined ? { shape } : { shape, cap };
}

/** The expression a name is assigned once within `scope` (a loop body, a function). */
/**
 * `singleAssignmentIn`, or else the values of an `if`/`elif`/`else` before the use that binds the
 * name once in every branch (`if fast: delay = 0.5 * 2 ** n` / `else: delay = 2 ** n`).
 */
export function definitionsIn(analysis: Analysis, scope: PyNode, identifier: PyNode): PyNode | readonly PyNode[] | undefined {
  return singleAssignmentIn(analysis, scope, identifier) ?? branchAssignmentsIn(analysis, scope, identifier);
}

function branchAssignmentsIn(analysis: Analysis, scope: PyNode, identifier: PyNode): readonly PyNode[] | undefined {
  const name = analysis.file.textOf(identifier);
  const writes: PyNode[] = [];
  walk(scope, (node) => {
    if (node !== scope && (node.type === 'function_definition' || node.type === 'lambda')) return false;
    if ((node.type === 'assignment' || node.type === 'augmented_assignment') && analysis.file.textOf(childByField(node, 'left') ?? node) === name) writes.push(node);
    return true;
  });
  if (writes.length < 2 || writes.some((write) => write.type !== 'assignment' || write.parent?.type !== 'expression_statement')) return undefined;
  // Each write is a statement directly in one branch's block of the same `if`.
  const branchOf = (write: PyNode): PyNode | undefined => {
    const block = write.parent?.parent;
    const branch = block?.type === 'block' ? block.parent : undefined;
    return branch && /^(if_statement|elif_clause|else_clause)$/.test(branch.type) ? branch : undefined;
  };
  const branches = writes.map(branchOf);
  if (branches.some((branch) => branch === undefined) || new Set(branches).size !== writes.length) return undefined;
  const ifStatement = branches[0]?.type === 'if_statement' ? branches[0] : branches[0]?.parent;
  if (!ifStatement || ifStatement.type !== 'if_statement' || ifStatement.end > identifier.start) return undefined;
  const all = [ifStatement, ...namedChildren(ifStatement).filter((child) => child.type === 'elif_clause' || child.type === 'else_clause')];
  if (!all.some((branch) => branch.type === 'else_clause') || all.length !== writes.length || branches.some((branch) => !all.includes(branch as PyNode))) return undefined;
  return writes.map((write) => childByField(write, 'right')).filter((value): value is PyNode => value !== undefined);
}

export function singleAssignmentIn(analysis: Analysis, scope: PyNode, identifier: PyNode): PyNode | undefined {
  const name = analysis.file.textOf(identifier);
  const found: PyNode[] = [];
  let rebound = false;
  walk(scope, (node) => {
    if (node !== scope && (node.type === 'function_definition' || node.type === 'lambda')) return false;
    if (node.type === 'assignment') {
      const left = childByField(node, 'left');
      const right = childByField(node, 'right');
      if (left?.type === 'identifier' && analysis.file.textOf(left) === name && right) found.push(right);
    }
    if (node.type === 'augmented_assignment') {
      const left = childByField(node, 'left');
      if (left?.type === 'identifier' && analysis.file.textOf(left) === name) rebound = true;
    }
    return true;
  });
  if (rebound || found.length === 0) return undefined;
  if (found.length === 1) return found[0];
  // Bound on several paths (`wait = 2 ** n * 0.1`, then `wait = int(headers["Retry-After"])` on
  // another): the assignment that reaches this use, when one plainly does.
  const reaching = analysis.values.follow(identifier);
  return found.includes(reaching) ? reaching : undefined;
}

function combine(op: string, left: Shape, right: Shape): Shape | undefined {
  if (left.kind === 'const' && right.kind === 'const') {
    const a = left.value;
    const b = right.value;
    const value = op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '/' ? (b === 0 ? NaN : a / b) : op === '**' ? a ** b : NaN;
    return Number.isFinite(value) ? { kind: 'const', value } : undefined;
  }
  if (op === '**' && left.kind === 'const' && right.kind === 'linear') {
    return { kind: 'exp', c: left.value ** right.a, r: left.value ** right.b, offset: 0 };
  }
  if (op === '*' || op === '/') {
    const scalarNode = left.kind === 'const' ? left : right.kind === 'const' ? right : undefined;
    const other = scalarNode === left ? right : left;
    if (!scalarNode || scalarNode.kind !== 'const') return undefined;
    if (op === '/' && scalarNode === left) return undefined;
    const k = op === '*' ? scalarNode.value : 1 / scalarNode.value;
    if (!Number.isFinite(k)) return undefined;
    if (other.kind === 'linear') return { kind: 'linear', a: other.a * k, b: other.b * k };
    if (other.kind === 'exp') return { kind: 'exp', c: other.c * k, r: other.r, offset: other.offset * k };
    return undefined;
  }
  if (op === '+' || op === '-') {
    const sign = op === '+' ? 1 : -1;
    if (left.kind === 'linear' && right.kind === 'const') return { kind: 'linear', a: left.a + sign * right.value, b: left.b };
    if (left.kind === 'const' && right.kind === 'linear' && op === '+') return { kind: 'linear', a: left.value + right.a, b: right.b };
    if (left.kind === 'linear' && right.kind === 'linear') return { kind: 'linear', a: left.a + sign * right.a, b: left.b + sign * right.b };
    if (left.kind === 'exp' && right.kind === 'const') return { ...left, offset: left.offset + sign * right.value };
    if (left.kind === 'const' && right.kind === 'exp' && op === '+') return { ...right, offset: right.offset + left.value };
  }
  return undefined;
}
