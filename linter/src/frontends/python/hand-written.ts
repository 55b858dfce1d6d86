/**
 * Hand-written retry loops: `for attempt in range(n)`, `while True`, `while attempt < n`,
 * each with a failure path (an except handler or a status branch) that leads to another
 * iteration and a success path that leaves the loop.
 */
import { known, unknown, type Maybe, type RetrySite, type Span } from '@retrylint/shared';
import type { Analysis } from './analysis.js';
import { CallArguments } from './call-arguments.js';
import { passesUntilPast } from './accumulated-delay.js';
import { localFunction } from './client-origin.js';
import { retryLoopShape } from './loop-shape.js';
import { callsIn, mentionsAny } from './retried-region.js';
import {
  CONTINUE,
  contains,
  endsWithExit,
  RetryPathAnalysis,
  walkLoopBody,
  type CounterFacts,
  type SiteIdentity,
} from './retry-path.js';
import { sleepKind } from './sleeps.js';
import { fallsIntoExit, successLeavesLoop } from './success-path.js';
import { largestNumber } from './worst-case.js';
import { childByField, enclosingFunction, isInside, namedChildren, unwrap, type PyNode } from './syntax-tree.js';

class LoopAnalysis extends RetryPathAnalysis {
  constructor(analysis: Analysis, loop: PyNode) {
    super(analysis, loop, childByField(loop, 'body') as PyNode, enclosingFunction(loop));
    this.collect();
  }

  private get loop(): PyNode {
    return this.node;
  }

  protected identity(): SiteIdentity {
    return { id: `loop@${this.loop.start}`, kind: 'loop', span: this.analysis.file.span(this.loop), reportSpan: this.loopHead() };
  }

  protected handlerRetries(block: PyNode, clause: PyNode): boolean {
    const fallsThrough = !endsWithExit(block) && !(clause.parent && fallsIntoExit(clause.parent, this.body));
    return (contains(block, CONTINUE) || fallsThrough) && !this.changesRequest(block, clause.parent ?? clause);
  }

  protected branchRetries(block: PyNode, branch: PyNode): boolean {
    const exits = endsWithExit(block) && !contains(block, CONTINUE);
    const sleeps = callsIn(block).some((call) => sleepKind(this.analysis, call));
    return (contains(block, CONTINUE) || sleeps || (this.raisesIntoRetry(block) && !exits)) && !this.changesRequest(block, branch);
  }

  protected successLeaves(): boolean {
    return successLeavesLoop(this.analysis, this.body);
  }

  protected permitAnchor(): PyNode {
    return this.loop;
  }

  // ---------------------------------------------------------------- attempts

  protected counter(): CounterFacts {
    const { values, file } = this.analysis;
    if (this.loop.type === 'for_statement') {
      const left = childByField(this.loop, 'left');
      const right = unwrap(childByField(this.loop, 'right') as PyNode);
      const name = left?.type === 'identifier' ? this.textOf(left) : '';
      const callee = right.type === 'call' ? childByField(right, 'function') : undefined;
      const calleeName = callee ? this.textOf(callee) : '';
      if (calleeName === 'range') {
        const args = new CallArguments(file, right);
        const [first, second, step] = args.positional;
        const a = second ? values.evaluateNumber(first) : largestNumber(this.analysis, first);
        const b = second ? largestNumber(this.analysis, second) : undefined;
        const stepValue = step ? values.evaluateNumber(step) : 1;
        const start = second ? a : 0;
        const end = second ? b : a;
        const count = start !== undefined && end !== undefined && stepValue === 1 ? Math.max(0, end - start) : undefined;
        const slot = !second && first?.type === 'integer' ? args.slot('range', 'attempts', 0) : undefined;
        return {
          name,
          start,
          attempts: {
            max: count !== undefined ? known(count, file.span(right)) : unknown('range bounds not constant'),
            ...(slot ? { slot } : {}),
          },
        };
      }
      if (file.qualify(callee) === 'itertools.count') return { name, start: 0, attempts: { max: known('unbounded', file.span(right)) } };
      return { name, start: undefined, attempts: { max: unknown() } };
    }
    const condition = unwrap(childByField(this.loop, 'condition') as PyNode);
    if (condition.type === 'true' || (condition.type === 'integer' && this.textOf(condition) === '1')) {
      return { ...this.passCounter(), attempts: { max: this.unboundedUnlessLimited(condition) } };
    }
    return this.whileCounter(condition);
  }

  /** `while True`: unbounded when only success (or a non-counting classification) leaves. */
  private unboundedUnlessLimited(condition: PyNode): Maybe<number | 'unbounded'> {
    const counters = new Set<string>();
    walkLoopBody(this.body, (node) => {
      if (node.type === 'augmented_assignment') {
        const left = childByField(node, 'left');
        if (left) counters.add(this.textOf(left));
      }
    });
    this.addVerdictsOn(counters);
    let limited = false;
    let passes: { count: number; test: PyNode } | undefined;
    // A gate that the defaults always pass (`limit is None or n <= limit` with limit = None).
    let openGate: PyNode | undefined;
    const leaves = (block: PyNode | undefined): boolean => block !== undefined && (endsWithExit(block) || contains(block, new Set(['raise_statement'])));
    walkLoopBody(this.body, (node) => {
      if (node.type !== 'if_statement' && node.type !== 'elif_clause') return;
      const test = childByField(node, 'condition');
      // `if self._should_retry(response, error, num_retries): ... else: return response`: the
      // counter takes part in the test whose other branch leaves.
      const otherwise = namedChildren(node).find((child) => child.type === 'else_clause');
      if (!test) return;
      // `if self._should_retry(response, num_retries): ...; continue`: the helper that decides sees the count.
      const asksHelper = callsIn(test).some((call) => {
        const callee = childByField(call, 'function');
        return callee !== undefined && localFunction(this.analysis, callee) !== undefined;
      });
      if (asksHelper && mentionsAny(this.analysis, test, counters)) {
        limited = true;
        const asked = this.helperGatedAttempts(test, counters, node);
        if (asked !== undefined && (!passes || asked < passes.count)) passes = { count: asked, test };
      }
      // `if cur_retries < max_retries: ...; continue` and then `raise`: the count gates the next attempt.
      const consequence = childByField(node, 'consequence');
      const leadsToNextPass = consequence !== undefined && (contains(consequence, CONTINUE) || (this.inRetryingHandler(node) && !endsWithExit(consequence)));
      if (leadsToNextPass && this.exitFollows(node) && mentionsAny(this.analysis, test, counters)) {
        limited = true;
        const gated = this.gatedAttempts(unwrap(test), counters, node);
        if (gated === 'always') openGate = openGate ?? test;
        else if (gated !== undefined && (!passes || gated < passes.count)) passes = { count: gated, test };
      }
      const continuesElseLeaves = consequence !== undefined && contains(consequence, CONTINUE) && node.type === 'if_statement' && fallsIntoExit(node, this.body);
      const leavesByFlag = consequence !== undefined && this.setsExitFlag(consequence, leaves);
      if (!(leaves(consequence) || leaves(otherwise && childByField(otherwise, 'body')) || continuesElseLeaves || leavesByFlag)) return;
      if (mentionsAny(this.analysis, test, counters) || /time|monotonic|deadline|elapsed/i.test(this.textOf(test))) limited = true;
      const count = passesUntilPast(this.analysis, this.loop, this.fn, unwrap(test));
      if (count !== undefined && (!passes || count < passes.count)) passes = { count, test };
    });
    if (openGate) return known('unbounded', this.analysis.file.span(openGate));
    if (passes) return known(passes.count, this.analysis.file.span(passes.test));
    for (const handler of this.handlers) {
      if (handler.retries && /\b(attempt|tries|retries|count)\w*\s*(>=|>|==)/.test(this.textOf(handler.block))) limited = true;
    }
    return limited ? unknown('limited by a counter or deadline') : known('unbounded', this.analysis.file.span(condition));
  }

  /** `cur_retries = 0` before `while True:` and one `cur_retries += 1` inside: the delay may grow with it. */
  private passCounter(): { name: string; start: number | undefined } {
    const candidates = new Set<string>();
    walkLoopBody(this.body, (node) => {
      if (node.type === 'augmented_assignment') candidates.add(this.textOf(childByField(node, 'left') ?? node));
    });
    const counters = [...candidates].filter((name) => this.onlyIncrementsByOne(name) && this.initialValue(name) !== undefined);
    return counters.length === 1 ? { name: counters[0], start: this.initialValue(counters[0]) } : { name: '', start: undefined };
  }

  /**
   * `if self._should_retry(response, num_retries):` where the helper starts with
   * `if num_retries >= LIMIT: return False`: the gate `num_retries < LIMIT`, read in the helper.
   */
  private helperGatedAttempts(test: PyNode, counters: ReadonlySet<string>, gate: PyNode): number | undefined {
    const { file } = this.analysis;
    for (const call of callsIn(test)) {
      const callee = childByField(call, 'function');
      const helper = callee ? localFunction(this.analysis, callee) : undefined;
      if (!helper) continue;
      const args = new CallArguments(file, call);
      const parameters = namedChildren(childByField(helper, 'parameters') ?? helper)
        .map((parameter) => (parameter.type === 'identifier' ? this.textOf(parameter) : ''))
        .filter((name) => name !== 'self' && name !== 'cls');
      const index = args.positional.findIndex((argument) => unwrap(argument).type === 'identifier' && counters.has(this.textOf(unwrap(argument))));
      const parameter = index >= 0 ? parameters[index] : undefined;
      if (!parameter) continue;
      const counter = this.textOf(unwrap(args.positional[index]));
      for (const statement of namedChildren(childByField(helper, 'body') ?? helper)) {
        if (statement.type !== 'if_statement') continue;
        const consequence = childByField(statement, 'consequence');
        const last = consequence ? namedChildren(consequence).pop() : undefined;
        const refuses = last?.type === 'return_statement' && namedChildren(last)[0]?.type === 'false';
        const condition = childByField(statement, 'condition');
        if (!refuses || condition?.type !== 'comparison_operator') continue;
        const operands = condition.children.filter((child) => child.named).map(unwrap);
        const operator = condition.children.filter((child) => !child.named).map((child) => this.textOf(child))[0];
        if (operands.length !== 2 || operands[0].type !== 'identifier' || this.textOf(operands[0]) !== parameter) continue;
        const allowed: Record<string, string> = { '>=': '<', '>': '<=' };
        if (!operator || !allowed[operator]) continue;
        return this.attemptsWhile(counter, allowed[operator], this.analysis.values.evaluateNumber(operands[1]), gate);
      }
    }
    return undefined;
  }

  /** `max_retries == -1` with a readable `max_retries`: true or false; undefined when not constant. */
  private constantTruth(test: PyNode): boolean | undefined {
    if (test.type !== 'comparison_operator') return undefined;
    const operands = test.children.filter((child) => child.named);
    const operator = test.children.filter((child) => !child.named).map((child) => this.textOf(child)).join(' ');
    if (operands.length !== 2) return undefined;
    const [a, b] = operands.map((operand) => this.analysis.values.evaluate(operand));
    const comparable = (value: unknown): boolean => value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean';
    if (!comparable(a) || !comparable(b)) return undefined;
    if (operator === '==' || operator === 'is') return a === b;
    if (operator === '!=' || operator === 'is not') return a !== b;
    return undefined;
  }

  /** Attempts when another one is made while `counter <operator> limit` holds at `gate`. */
  private attemptsWhile(counter: string, operator: string, limit: number | undefined, gate: PyNode): number | undefined {
    const start = this.initialValue(counter);
    if (limit === undefined || start === undefined || !this.onlyIncrementsByOne(counter)) return undefined;
    let incrementedBefore = false;
    walkLoopBody(this.body, (node) => {
      if (node.type === 'augmented_assignment' && node.start < gate.start && this.textOf(childByField(node, 'left') ?? node) === counter) incrementedBefore = true;
    });
    const retries = limit - start + (operator === '<=' ? 1 : 0) - (incrementedBefore ? 1 : 0);
    return Math.max(1, retries + 1);
  }

  /** The branch sits in an except handler that leads to another attempt. */
  private inRetryingHandler(branch: PyNode): boolean {
    return this.handlers.some((handler) => handler.retries && isInside(branch, handler.block));
  }

  /** The statement after the `if` leaves the loop, or its `else` does. */
  private exitFollows(branch: PyNode): boolean {
    if (branch.type !== 'if_statement') return false;
    const otherwise = namedChildren(branch).find((child) => child.type === 'else_clause');
    if (otherwise && endsWithExit(childByField(otherwise, 'body'))) return true;
    const siblings = branch.parent ? namedChildren(branch.parent) : [];
    const next = siblings[siblings.indexOf(branch) + 1];
    return next !== undefined && /^(raise_statement|return_statement|break_statement)$/.test(next.type);
  }

  /**
   * Attempts allowed by a gate `counter < limit` (alone or in an `and`): the counter's start,
   * its single `+= 1` and whether that comes before the gate decide the count.
   */
  private gatedAttempts(test: PyNode, counters: ReadonlySet<string>, gate: PyNode): number | 'always' | undefined {
    if (test.type === 'boolean_operator') {
      const sides = [childByField(test, 'left'), childByField(test, 'right')].filter((side): side is PyNode => side !== undefined);
      if (this.textOf(childByField(test, 'operator') ?? test) === 'or') {
        // `max_retries == -1 or cur_retries < max_retries` with max_retries = 10: only the count decides.
        if (sides.some((side) => this.constantTruth(unwrap(side)) === true)) return 'always';
        const open = sides.filter((side) => this.constantTruth(unwrap(side)) !== false);
        return open.length === 1 && this.constantTruth(unwrap(open[0])) === undefined ? this.gatedAttempts(unwrap(open[0]), counters, gate) : undefined;
      }
      if (this.textOf(childByField(test, 'operator') ?? test) !== 'and') return undefined;
      const counts = sides.map((side) => this.gatedAttempts(unwrap(side), counters, gate)).filter((count): count is number => typeof count === 'number');
      return counts.length > 0 ? Math.min(...counts) : undefined;
    }
    if (test.type !== 'comparison_operator') return undefined;
    const operands = test.children.filter((child) => child.named).map(unwrap);
    const operators = test.children.filter((child) => !child.named).map((child) => this.textOf(child));
    if (operands.length !== 2 || operators.length !== 1) return undefined;
    const mirrored: Record<string, string> = { '>': '<', '>=': '<=' };
    const [counter, limitNode, operator] =
      operands[0].type === 'identifier' && counters.has(this.textOf(operands[0]))
        ? [operands[0], operands[1], operators[0]]
        : [operands[1], operands[0], mirrored[operators[0]] ?? ''];
    if (counter.type !== 'identifier' || !counters.has(this.textOf(counter)) || (operator !== '<' && operator !== '<=')) return undefined;
    return this.attemptsWhile(this.textOf(counter), operator, this.analysis.values.evaluateNumber(limitNode), gate);
  }

  /**
   * `if delay > LIMIT: should_retry = False` and later `if not should_retry: break`: the block
   * sets a flag that a later test of the pass leaves on.
   */
  private setsExitFlag(block: PyNode, leaves: (block: PyNode | undefined) => boolean): boolean {
    const flags = new Set<string>();
    walkLoopBody(block, (node) => {
      const left = node.type === 'assignment' ? childByField(node, 'left') : undefined;
      const right = node.type === 'assignment' ? childByField(node, 'right') : undefined;
      if (left?.type === 'identifier' && right && /^(true|false|none)$/.test(right.type)) flags.add(this.textOf(left));
    });
    if (flags.size === 0) return false;
    let found = false;
    walkLoopBody(this.body, (node) => {
      if (found || node.start <= block.end || (node.type !== 'if_statement' && node.type !== 'elif_clause')) return;
      const test = childByField(node, 'condition');
      if (test && mentionsAny(this.analysis, test, flags) && leaves(childByField(node, 'consequence'))) found = true;
    });
    return found;
  }

  /**
   * `decision = evaluate_retry(error, attempt=attempt)` then `if not decision.retry: raise`: a
   * name computed from a counter decides the exit as much as the counter itself.
   */
  private addVerdictsOn(counters: Set<string>): void {
    walkLoopBody(this.body, (node) => {
      if (node.type !== 'assignment') return;
      const left = childByField(node, 'left');
      const right = childByField(node, 'right');
      if (left?.type === 'identifier' && right && callsIn(right).length > 0 && mentionsAny(this.analysis, right, counters)) counters.add(this.textOf(left));
    });
  }

  /** `attempt = 0` before `while attempt < n:` with `attempt += 1` in the body. */
  private whileCounter(condition: PyNode): CounterFacts {
    const { file } = this.analysis;
    if (condition.type !== 'comparison_operator') return { name: '', start: undefined, attempts: { max: unknown() } };
    const operands = condition.children.filter((child) => child.named);
    const operators = condition.children.filter((child) => !child.named).map((child) => this.textOf(child));
    if (operands.length !== 2 || operators.length !== 1 || operands[0].type !== 'identifier') {
      return { name: '', start: undefined, attempts: { max: unknown() } };
    }
    const name = this.textOf(operands[0]);
    const limit = largestNumber(this.analysis, operands[1]);
    const start = this.initialValue(name);
    const incremented = this.incrementsByOne(name);
    let max: Maybe<number | 'unbounded'> = unknown('counter not decoded');
    if (limit !== undefined && start !== undefined && incremented) {
      if (operators[0] === '<') max = known(Math.max(0, limit - start), file.span(condition));
      if (operators[0] === '<=') max = known(Math.max(0, limit - start + 1), file.span(condition));
    }
    return { name, start, attempts: { max } };
  }

  private initialValue(name: string): number | undefined {
    const block = this.loop.parent;
    if (!block) return undefined;
    let value: number | undefined;
    for (const statement of namedChildren(block)) {
      if (statement === this.loop) break;
      const assignment = statement.type === 'expression_statement' ? namedChildren(statement)[0] : undefined;
      if (assignment?.type !== 'assignment') continue;
      const left = childByField(assignment, 'left');
      if (left?.type === 'identifier' && this.textOf(left) === name) value = this.analysis.values.evaluateNumber(childByField(assignment, 'right'));
    }
    return value;
  }

  /** Every write to `name` in the body is `name += 1` (one per failure path, say). */
  private onlyIncrementsByOne(name: string): boolean {
    let increments = 0;
    let other = false;
    walkLoopBody(this.body, (node) => {
      if (node.type !== 'augmented_assignment' && node.type !== 'assignment') return;
      const left = childByField(node, 'left');
      if (!left || this.textOf(left) !== name) return;
      const right = childByField(node, 'right');
      if (node.type === 'augmented_assignment' && this.textOf(node).includes('+=') && right && this.textOf(right) === '1') increments++;
      else other = true;
    });
    return increments > 0 && !other;
  }

  private incrementsByOne(name: string): boolean {
    let count = 0;
    walkLoopBody(this.body, (node) => {
      if (node.type === 'augmented_assignment') {
        const left = childByField(node, 'left');
        const right = childByField(node, 'right');
        if (left && right && this.textOf(left) === name && this.textOf(node).includes('+=') && this.textOf(right) === '1') count++;
      }
    });
    return count === 1;
  }

  /** The loop head without its colon: `for attempt in range(5)`, `while True`. */
  private loopHead(): Span {
    const { file } = this.analysis;
    let end = childByField(this.loop, 'body')?.start ?? this.loop.end;
    while (end > this.loop.start && /[\s:]/.test(file.text[end - 1] ?? '')) end--;
    return file.spanOf(this.loop.start, end);
  }
}

/** Every hand-written retry loop in the file (error-free regions only). */
export function handWrittenLoops(analysis: Analysis): RetrySite[] {
  const sites: RetrySite[] = [];
  for (const node of analysis.file.nodesOf('loop')) {
    if (!node.opaque && !node.hasError && childByField(node, 'body')) {
      if (isTenacityLoop(analysis, node) || !retryLoopShape(analysis, node)) continue;
      const loop = new LoopAnalysis(analysis, node);
      if (loop.isRetryLoop()) sites.push(loop.site());
    }
  }
  return sites;
}

function isTenacityLoop(analysis: Analysis, loop: PyNode): boolean {
  if (loop.type !== 'for_statement') return false;
  const right = unwrap(childByField(loop, 'right') as PyNode);
  const origin = analysis.values.follow(right);
  const callee = origin.type === 'call' ? childByField(origin, 'function') : undefined;
  return /^tenacity\./.test(analysis.file.qualify(callee) ?? '');
}
