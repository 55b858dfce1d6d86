/**
 * Hand-written retry loops: `for attempt in range(n)`, `while True`, `while attempt < n`,
 * each with a failure path (an except handler or a status branch) that leads to another
 * iteration and a success path that leaves the loop.
 */
import { known, unknown, type Maybe, type RetrySite, type Span } from '@retrylint/shared';
import type { Analysis } from './analysis.js';
import { CallArguments } from './call-arguments.js';
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
import { childByField, enclosingFunction, namedChildren, unwrap, walk, type PyNode } from './syntax-tree.js';

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
      return { name: '', start: undefined, attempts: { max: this.unboundedUnlessLimited(condition) } };
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
    const leaves = (block: PyNode | undefined): boolean => block !== undefined && (endsWithExit(block) || contains(block, new Set(['raise_statement'])));
    walkLoopBody(this.body, (node) => {
      if (node.type !== 'if_statement' && node.type !== 'elif_clause') return;
      const test = childByField(node, 'condition');
      // `if self._should_retry(response, error, num_retries): ... else: return response`: the
      // counter takes part in the test whose other branch leaves.
      const otherwise = namedChildren(node).find((child) => child.type === 'else_clause');
      const consequence = childByField(node, 'consequence');
      const continuesElseLeaves = consequence !== undefined && contains(consequence, CONTINUE) && node.type === 'if_statement' && fallsIntoExit(node, this.body);
      const leavesByFlag = consequence !== undefined && this.setsExitFlag(consequence, leaves);
      if (!test || !(leaves(consequence) || leaves(otherwise && childByField(otherwise, 'body')) || continuesElseLeaves || leavesByFlag)) return;
      if (mentionsAny(this.analysis, test, counters) || /time|monotonic|deadline|elapsed/i.test(this.textOf(test))) limited = true;
    });
    for (const handler of this.handlers) {
      if (handler.retries && /\b(attempt|tries|retries|count)\w*\s*(>=|>|==)/.test(this.textOf(handler.block))) limited = true;
    }
    return limited ? unknown('limited by a counter or deadline') : known('unbounded', this.analysis.file.span(condition));
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
    const { values, file } = this.analysis;
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
  walk(analysis.file.root, (node) => {
    if (node.opaque) return false;
    if ((node.type === 'for_statement' || node.type === 'while_statement') && !node.hasError && childByField(node, 'body')) {
      if (isTenacityLoop(analysis, node) || !retryLoopShape(analysis, node)) return true;
      const loop = new LoopAnalysis(analysis, node);
      if (loop.isRetryLoop()) sites.push(loop.site());
    }
    return true;
  });
  return sites;
}

function isTenacityLoop(analysis: Analysis, loop: PyNode): boolean {
  if (loop.type !== 'for_statement') return false;
  const right = unwrap(childByField(loop, 'right') as PyNode);
  const origin = analysis.values.follow(right);
  const callee = origin.type === 'call' ? childByField(origin, 'function') : undefined;
  return /^tenacity\./.test(analysis.file.qualify(callee) ?? '');
}
