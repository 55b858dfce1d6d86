/**
 * Retry by recursion: a function that calls itself again from an except handler or a
 * failed status branch (`return fetch(url, attempt + 1)`, `return await self.call(p, retries - 1)`).
 * The recursive call must repeat the same request: every argument is the parameter itself,
 * except one attempt counter stepped by one. The attempts are read from the counter's
 * default and the comparison that guards the recursive call.
 */
import { known, unknown, type Maybe, type RetrySite, type Span } from '@retrylint/shared';
import type { Analysis } from './analysis.js';
import { CallArguments } from './call-arguments.js';
import { localFunction } from './client-origin.js';
import { callsIn, mentionsAny } from './retried-region.js';
import { endsWithExit, RetryPathAnalysis, walkLoopBody, type CounterFacts, type SiteIdentity } from './retry-path.js';
import { childByField, isInside, namedChildren, SCOPE_TYPES, unwrap, walk, type PyNode } from './syntax-tree.js';

/** Conditions that bound retrying without a counter we can read. */
const LIMIT_WORDS = /attempt|retr|tries|count|time|monotonic|deadline|elapsed|budget|remaining|left|depth/i;

interface Parameter {
  readonly name: string;
  readonly node: PyNode;
  readonly defaultValue?: PyNode;
}

/** One parameter stepped by +1 or -1 on each recursive call. */
interface Counter {
  readonly name: string;
  readonly step: 1 | -1;
  readonly start: number | undefined;
}

type Operator = '<' | '<=' | '>' | '>=' | '!=' | '==';

/** `counter <operator> limit`, the counter written on the left; the limit when it is constant. */
interface Comparison {
  readonly operator: Operator;
  readonly limit: number | undefined;
}

const FLIPPED: Readonly<Record<Operator, Operator>> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '!=': '!=', '==': '==' };
const NEGATED: Readonly<Record<Operator, Operator>> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<', '!=': '==', '==': '!=' };

function isOperator(text: string): text is Operator {
  return text in FLIPPED;
}

function parametersOf(analysis: Analysis, fn: PyNode): Parameter[] | undefined {
  const list = childByField(fn, 'parameters');
  const parameters: Parameter[] = [];
  for (const parameter of list ? namedChildren(list) : []) {
    if (parameter.type === 'identifier') parameters.push({ name: analysis.file.textOf(parameter), node: parameter });
    else if (parameter.type === 'default_parameter' || parameter.type === 'typed_default_parameter') {
      const name = childByField(parameter, 'name');
      const value = childByField(parameter, 'value');
      if (!name) return undefined;
      parameters.push({ name: analysis.file.textOf(name), node: parameter, ...(value ? { defaultValue: value } : {}) });
    } else if (parameter.type === 'typed_parameter') {
      const name = namedChildren(parameter).find((child) => child.type === 'identifier');
      if (!name) return undefined;
      parameters.push({ name: analysis.file.textOf(name), node: parameter });
    } else if (parameter.type === 'keyword_separator' || parameter.type === 'positional_separator') {
      continue;
    } else {
      // *args / **kwargs: what is passed on cannot be compared one by one.
      return undefined;
    }
  }
  return parameters;
}

class RecursionAnalysis extends RetryPathAnalysis {
  private readonly retryCalls: PyNode[];

  constructor(
    analysis: Analysis,
    fn: PyNode,
    private readonly parameters: readonly Parameter[],
    private readonly recursiveCalls: readonly PyNode[],
    private readonly counterInfo: Counter | undefined,
    retryCalls: readonly PyNode[],
  ) {
    super(analysis, fn, childByField(fn, 'body') as PyNode, fn);
    this.retryCalls = [...retryCalls];
    this.collect();
  }

  protected identity(): SiteIdentity {
    const { file } = this.analysis;
    const parameters = childByField(this.node, 'parameters');
    const reportSpan = file.spanOf(this.node.start, parameters?.end ?? this.node.end);
    return { id: `recursion@${this.node.start}`, kind: 'recursion', span: file.span(this.node), reportSpan };
  }

  private retriesIn(block: PyNode): boolean {
    return this.retryCalls.some((call) => isInside(call, block));
  }

  protected handlerRetries(block: PyNode, clause: PyNode): boolean {
    return this.retriesIn(block) && !this.changesRequest(block, clause.parent ?? clause);
  }

  protected branchRetries(block: PyNode, branch: PyNode): boolean {
    return this.retriesIn(block) && !this.changesRequest(block, branch);
  }

  /** A `return` that does not recurse, or a recursion only from except handlers (success falls through). */
  protected successLeaves(): boolean {
    let leaves = false;
    walkLoopBody(this.body, (node) => {
      if (node.type === 'except_clause') return false;
      if (node.type === 'return_statement' && !this.recursiveCalls.some((call) => isInside(call, node))) leaves = true;
      return !leaves;
    });
    return leaves || this.retryCalls.every((call) => this.inHandler(call));
  }

  private inHandler(node: PyNode): boolean {
    for (let current = node.parent; current && current !== this.node; current = current.parent) {
      if (current.type === 'except_clause') return true;
    }
    return false;
  }

  protected permitAnchor(): PyNode | undefined {
    return this.sleeps[0];
  }

  protected override noDelaySpan(): Span {
    return this.analysis.file.span(this.retryCalls[0] ?? this.node);
  }

  protected override varyingNames(): ReadonlySet<string> {
    const names = new Set(this.parameters.map((parameter) => parameter.name));
    if (this.counterInfo?.step === 1) names.delete(this.counterInfo.name);
    return names;
  }

  // ---------------------------------------------------------------- attempts

  protected counter(): CounterFacts {
    const counter = this.counterInfo;
    // A decrementing counter is no attempt number: the delay is not read from it.
    const name = counter?.step === 1 ? counter.name : '';
    const start = counter?.step === 1 ? counter.start : undefined;
    return { name, start, attempts: { max: this.maxAttempts() } };
  }

  private maxAttempts(): Maybe<number | 'unbounded'> {
    const { file } = this.analysis;
    const call = this.retryCalls[0];
    if (!call) return unknown();
    const counter = this.counterInfo;
    if (counter) {
      const guard = this.guardOf(call, counter.name);
      if (guard) return this.countFrom(counter, guard.comparison, guard.span);
    }
    return this.anyLimit() ? unknown('limited by a condition') : known('unbounded', file.span(call));
  }

  /**
   * The comparison on the counter that decides whether `call` runs: an `if` around it in
   * the failure path, or an exit (`if attempt >= n: raise`) just before it in the same block.
   */
  private guardOf(call: PyNode, counter: string): { comparison: Comparison; span: Span } | undefined {
    const { file } = this.analysis;
    for (let current = call.parent; current && current !== this.node; current = current.parent) {
      if (current.type === 'except_clause') break;
      if (current.type === 'block' && current.field === 'consequence' && current.parent?.type === 'if_statement') {
        const condition = childByField(current.parent, 'condition');
        const comparison = condition ? this.comparison(condition, counter) : undefined;
        if (comparison && condition) return { comparison, span: file.span(condition) };
      }
      if (current.type === 'block') {
        for (const statement of namedChildren(current)) {
          if (statement.start >= call.start) break;
          if (statement.type !== 'if_statement') continue;
          const condition = childByField(statement, 'condition');
          const consequence = childByField(statement, 'consequence');
          const comparison = condition ? this.comparison(condition, counter) : undefined;
          if (!comparison || !condition || !consequence || !(endsWithExit(consequence) || lastIsRaise(consequence))) continue;
          return { comparison: negate(comparison), span: file.span(condition) };
        }
      }
    }
    return undefined;
  }

  /** `attempt < 3`, `3 > attempt`, `retries` (truthy), `not retries`. */
  private comparison(condition: PyNode, counter: string): Comparison | undefined {
    const { file, values } = this.analysis;
    const inner = unwrap(condition);
    const isCounter = (node: PyNode) => node.type === 'identifier' && file.textOf(node) === counter;
    if (isCounter(inner)) return { operator: '!=', limit: 0 };
    if (inner.type === 'not_operator') {
      const argument = childByField(inner, 'argument');
      return argument && isCounter(unwrap(argument)) ? { operator: '==', limit: 0 } : undefined;
    }
    if (inner.type !== 'comparison_operator') return undefined;
    const operands = inner.children.filter((child) => child.named).map(unwrap);
    const operators = inner.children.filter((child) => !child.named).map((child) => file.textOf(child));
    if (operands.length !== 2 || operators.length !== 1 || !isOperator(operators[0])) return undefined;
    const [left, right] = operands;
    if (isCounter(left)) return { operator: operators[0], limit: values.evaluateNumber(right) };
    if (isCounter(right)) return { operator: FLIPPED[operators[0]], limit: values.evaluateNumber(left) };
    return undefined;
  }

  /** Attempts when the recursion continues while `comparison` holds. */
  private countFrom(counter: Counter, comparison: Comparison, span: Span): Maybe<number> {
    if (counter.start === undefined) return unknown('counter has no default');
    const { operator, limit } = comparison;
    if (limit === undefined || !Number.isInteger(limit) || !Number.isInteger(counter.start)) return unknown('limit not constant');
    const start = counter.start;
    // The calls run with counter values start, start ± 1, ...; the last one is the first that fails the test.
    let count: number | undefined;
    if (counter.step === 1) {
      if (operator === '<' || (operator === '!=' && start <= limit)) count = limit - start + 1;
      if (operator === '<=') count = limit - start + 2;
    } else {
      if (operator === '>' || (operator === '!=' && start >= limit)) count = start - limit + 1;
      if (operator === '>=') count = start - limit + 2;
    }
    return count !== undefined && count >= 1 ? known(count, span) : unknown('comparison not decoded');
  }

  /** Any condition in the function that could stop the recursion: on a parameter that changes, or on time. */
  /** The `if` leaves, holds the recursive call, or has another branch that may. */
  private decidesNextCall(branch: PyNode): boolean {
    const consequence = childByField(branch, 'consequence');
    const others = namedChildren(branch).some((child) => child.type === 'else_clause' || child.type === 'elif_clause');
    if (others || !consequence) return true;
    return endsWithExit(consequence) || lastIsRaise(consequence) || this.retryCalls.some((call) => isInside(call, consequence));
  }

  private anyLimit(): boolean {
    const { file } = this.analysis;
    // Every other parameter is passed on unchanged (recursionArguments): a test of it is the same on every call.
    const changing = new Set(
      this.parameters
        .map((parameter) => parameter.name)
        .filter((name) => name === this.counterInfo?.name || reboundInBody(this.analysis, this.body, name)),
    );
    let limited = false;
    walk(this.body, (node) => {
      if (limited) return false;
      if (node !== this.body && SCOPE_TYPES.has(node.type)) return false;
      // `if sleep_time > 0: time.sleep(sleep_time)` decides whether to wait, not whether to call again.
      if (node.type === 'if_statement' && !this.decidesNextCall(node)) return true;
      const condition =
        node.type === 'if_statement' || node.type === 'elif_clause' || node.type === 'while_statement'
          ? childByField(node, 'condition')
          : node.type === 'conditional_expression'
            ? namedChildren(node)[1]
            : undefined;
      if (condition && (mentionsAny(this.analysis, condition, changing) || LIMIT_WORDS.test(file.textOf(condition)))) limited = true;
      return !limited;
    });
    return limited;
  }
}

function lastIsRaise(block: PyNode): boolean {
  const statements = namedChildren(block);
  return statements[statements.length - 1]?.type === 'raise_statement';
}

function negate(comparison: Comparison): Comparison {
  return { operator: NEGATED[comparison.operator], limit: comparison.limit };
}

/**
 * How a recursive call passes the parameters on: each unchanged, except at most one
 * counter stepped by one. Undefined when anything else changes (a fallback, a shorter
 * prompt, another page).
 */
function recursionArguments(analysis: Analysis, call: PyNode, parameters: readonly Parameter[], isMethod: boolean): { counter?: { name: string; step: 1 | -1 } } | undefined {
  const { file } = analysis;
  const args = new CallArguments(file, call);
  if (args.hasSplat) return undefined;
  const own = isMethod ? parameters.slice(1) : parameters;
  if (args.positional.length > own.length) return undefined;
  let counter: { name: string; step: 1 | -1 } | undefined;
  const passed = new Map<string, PyNode>();
  args.positional.forEach((argument, index) => passed.set(own[index].name, argument));
  for (const [name, { value }] of args.keywords) {
    if (!own.some((parameter) => parameter.name === name) || passed.has(name)) return undefined;
    passed.set(name, value);
  }
  for (const [name, value] of passed) {
    const inner = unwrap(value);
    if (inner.type === 'identifier' && file.textOf(inner) === name) continue;
    const step = steppedBy(analysis, inner, name);
    if (step === undefined || counter) return undefined;
    counter = { name, step };
  }
  return counter ? { counter } : {};
}

/** `name + 1` / `name - 1` / `1 + name`. */
function steppedBy(analysis: Analysis, node: PyNode, name: string): 1 | -1 | undefined {
  if (node.type !== 'binary_operator') return undefined;
  const { file } = analysis;
  const left = unwrap(childByField(node, 'left') as PyNode);
  const right = unwrap(childByField(node, 'right') as PyNode);
  const operator = file.textOf(childByField(node, 'operator') as PyNode);
  const isName = (operand: PyNode) => operand.type === 'identifier' && file.textOf(operand) === name;
  const isOne = (operand: PyNode) => operand.type === 'integer' && file.textOf(operand) === '1';
  if (isName(left) && isOne(right)) return operator === '+' ? 1 : operator === '-' ? -1 : undefined;
  if (isOne(left) && isName(right) && operator === '+') return 1;
  return undefined;
}

/** The parameter is rebound in the body (`attempt += 1`): its value at the call is not the one received. */
function reboundInBody(analysis: Analysis, body: PyNode, name: string): boolean {
  let rebound = false;
  walk(body, (node) => {
    if (rebound) return false;
    if (node !== body && SCOPE_TYPES.has(node.type)) return false;
    if (node.type === 'assignment' || node.type === 'augmented_assignment') {
      const left = childByField(node, 'left');
      if (left?.type === 'identifier' && analysis.file.textOf(left) === name) rebound = true;
    }
    return !rebound;
  });
  return rebound;
}

function recursionSite(analysis: Analysis, fn: PyNode): RetrySite | undefined {
  const body = childByField(fn, 'body');
  if (!body) return undefined;
  const recursiveCalls = callsIn(body).filter((call) => {
    const callee = childByField(call, 'function');
    return callee !== undefined && localFunction(analysis, callee) === fn;
  });
  if (recursiveCalls.length === 0) return undefined;
  const parameters = parametersOf(analysis, fn);
  if (!parameters) return undefined;
  const isMethod = parameters.length > 0 && /^(self|cls)$/.test(parameters[0].name);
  let counter: Counter | undefined;
  const retryCalls: PyNode[] = [];
  for (const call of recursiveCalls) {
    const passed = recursionArguments(analysis, call, parameters, isMethod);
    if (!passed) continue;
    const step = passed.counter;
    if (step) {
      if (counter && (counter.name !== step.name || counter.step !== step.step)) return undefined;
      if (reboundInBody(analysis, body, step.name)) return undefined;
      const parameter = parameters.find((candidate) => candidate.name === step.name);
      const start = parameter?.defaultValue ? analysis.values.evaluateNumber(parameter.defaultValue) : undefined;
      counter = { ...step, start };
    }
    retryCalls.push(call);
  }
  if (retryCalls.length === 0) return undefined;
  const recursion = new RecursionAnalysis(analysis, fn, parameters, recursiveCalls, counter, retryCalls);
  return recursion.isRetryLoop() ? recursion.site() : undefined;
}

/** Every function of the file that retries by calling itself (error-free regions only). */
export function recursiveRetries(analysis: Analysis): RetrySite[] {
  const sites: RetrySite[] = [];
  for (const node of analysis.file.nodesOf('function')) {
    if (!node.opaque && !node.hasError) {
      const site = recursionSite(analysis, node);
      if (site) sites.push(site);
    }
  }
  return sites;
}
