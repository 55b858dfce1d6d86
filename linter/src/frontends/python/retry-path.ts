/**
 * What hand-written retries share, whether they loop or recurse: the failure paths (except
 * handlers, status branches) that lead to another attempt, the sleeps between attempts,
 * what is retried on, Retry-After handling, cancellation and permits. Subclasses say what
 * "another attempt" and "success" look like and how the attempts are counted.
 */
import { DECIDING_HELPER } from './entry-names.js';
import {
  known,
  makeSite,
  unknown,
  type AttemptsFacts,
  type CancellationFacts,
  type DelayFacts,
  type ListItem,
  type RetryOnFacts,
  type RetrySite,
  type SleepFacts,
  type Span,
  type StatusMatch,
} from '@retrylint/shared';
import type { Analysis } from './analysis.js';
import { localFunction } from './client-origin.js';
import { accumulatedDelay } from './accumulated-delay.js';
import { isSleepOrLogCall } from './loop-shape.js';
import { DelayClassifier, definitionsIn, singleAssignmentIn, type Accumulator, type CounterInfo } from './delay-expression.js';
import { callsIn, localCallees, mentionsAny, regionCalls } from './retried-region.js';
import { retriesRemoteOperation } from './remote-evidence.js';
import { RetryAfterReads } from './retry-after-reads.js';
import { blockingSleepFacts, heldPermit, sleepArgument, sleepKind } from './sleeps.js';
import { statusTest, type StatusTest } from './status-tests.js';
import {
  childByField,
  isAsyncFunction,
  isInside,
  namedChildren,
  SCOPE_TYPES,
  unwrap,
  walk,
  type PyNode,
} from './syntax-tree.js';


const BROAD_TYPES = /^(Exception|BaseException|builtins\.Exception)$/;
const CANCELLATION = /(^|\.)(CancelledError|Cancelled|BaseException|KeyboardInterrupt)$/;
const RATE_LIMIT_TYPES = /RateLimit|TooManyRequests/;
/** Calls that renew what authenticates a request. */
const CREDENTIAL_RENEWAL = /auth|token|credential|login|sign_?in/i;
const AI_ERROR_CODES = new Set(['context_length_exceeded', 'insufficient_quota', 'invalid_api_key']);

/** Statements of a block in the loop, not descending into nested loops or functions. */
export function walkLoopBody(body: PyNode, visit: (node: PyNode) => void): void {
  walk(body, (node) => {
    if (node !== body && (SCOPE_TYPES.has(node.type) || node.type === 'for_statement' || node.type === 'while_statement')) return false;
    visit(node);
    return true;
  });
}

/** Calls that compute a delay, not a request. */
const DELAY_ARITHMETIC = /^(min|max|abs|round|int|float|pow|random\.\w+|math\.\w+)$/;

/** `name`, `name[key]`, `name.field`: the local name an assignment rebinds or mutates. */
function assignedName(left: PyNode | undefined): PyNode | undefined {
  let target = left;
  while (target && (target.type === 'subscript' || target.type === 'attribute')) {
    target = childByField(target, target.type === 'subscript' ? 'value' : 'object');
  }
  return target?.type === 'identifier' ? target : undefined;
}

function lastStatement(block: PyNode | undefined): PyNode | undefined {
  const statements = block ? namedChildren(block) : [];
  return statements[statements.length - 1];
}

export function endsWithExit(block: PyNode | undefined): boolean {
  const last = lastStatement(block);
  if (last?.type === 'if_statement') return ifExitsOnEveryBranch(last);
  return last !== undefined && /^(raise_statement|return_statement|break_statement)$/.test(last.type);
}

/** `if code == "NotFound": return` / `else: raise`: every branch, an `else` included, leaves. */
export function ifExitsOnEveryBranch(statement: PyNode): boolean {
  const branches = namedChildren(statement).filter((child) => child.type === 'elif_clause' || child.type === 'else_clause');
  if (!branches.some((branch) => branch.type === 'else_clause')) return false;
  const blocks = [childByField(statement, 'consequence'), ...branches.map((branch) => childByField(branch, branch.type === 'else_clause' ? 'body' : 'consequence'))];
  return blocks.every((block) => endsWithExit(block) && !contains(block as PyNode, CONTINUE));
}

export function contains(block: PyNode, types: ReadonlySet<string>): boolean {
  let found = false;
  walkLoopBody(block, (node) => {
    if (types.has(node.type)) found = true;
  });
  return found;
}

export const CONTINUE = new Set(['continue_statement']);
export const EXITS = new Set(['return_statement', 'break_statement']);

export interface CounterFacts {
  /** The attempt counter's name ('' when there is none). */
  readonly name: string;
  /** Its value on the first attempt, when known. */
  readonly start: number | undefined;
  readonly attempts: AttemptsFacts;
}

export type SiteIdentity = Pick<RetrySite, 'id' | 'kind' | 'span' | 'reportSpan'>;

export interface Handler {
  readonly clause: PyNode;
  readonly types: readonly string[];
  readonly typeNode?: PyNode;
  readonly alias?: string;
  readonly block: PyNode;
  readonly retries: boolean;
}

export abstract class RetryPathAnalysis {
  protected readonly handlers: Handler[] = [];
  protected readonly sleeps: PyNode[] = [];
  private readonly statusTests: { test: StatusTest; retries: boolean; branch: PyNode }[] = [];
  private readonly errorCodes: ListItem<string>[] = [];
  /** A branch retries on what a same-file helper decides (`if self._should_retry(resp):`). */
  private helperDecides = false;
  /** Every status a retrying branch tests, also those that only raise into a catch-all. */
  private retriedStatuses: StatusMatch[] = [];
  protected readonly callees: PyNode[];

  /**
   * @param node the loop or the function that calls itself
   * @param body what one attempt runs
   * @param fn the function the retrying code runs in
   */
  constructor(
    protected readonly analysis: Analysis,
    protected readonly node: PyNode,
    protected readonly body: PyNode,
    protected readonly fn: PyNode | undefined,
  ) {
    this.callees = localCallees(analysis, this.body);
  }

  /** Where the site is and where findings about it as a whole go. */
  protected abstract identity(): SiteIdentity;

  /** The attempt counter and the attempt limit. */
  protected abstract counter(): CounterFacts;

  /** An except handler's block leads to another attempt. */
  protected abstract handlerRetries(block: PyNode, clause: PyNode): boolean;

  /** A status branch's block leads to another attempt. */
  protected abstract branchRetries(block: PyNode, branch: PyNode): boolean;

  /** A success path leaves the retrying. */
  protected abstract successLeaves(): boolean;

  /** The node around which a held permit (`async with sem:`) matters. */
  protected abstract permitAnchor(): PyNode | undefined;

  protected textOf(node: PyNode): string {
    return this.analysis.file.textOf(node);
  }

  /** Subclasses call this at the end of their constructor, once their own fields are set. */
  protected collect(): void {
    walkLoopBody(this.body, (node) => {
      if (node.type === 'try_statement' && !this.guardsRecovery(node)) {
        for (const clause of node.children.filter((child) => child.type === 'except_clause')) this.handlers.push(this.handler(clause));
      } else if (node.type === 'call' && sleepKind(this.analysis, node)) {
        this.sleeps.push(node);
      } else if (node.type === 'if_statement' || node.type === 'elif_clause') {
        this.statusBranch(node);
      }
    });
    // Sleeps inside small helpers called from the loop (`self._backoff(attempt)`).
    for (const callee of this.callees) {
      for (const call of callsIn(callee)) if (sleepKind(this.analysis, call)) this.sleeps.push(call);
    }
  }

  /**
   * A `try` inside an except handler guards a recovery step (re-opening a table, logging):
   * its own `except Exception:` is not what the retry retries on.
   */
  private guardsRecovery(tryStatement: PyNode): boolean {
    for (let current = tryStatement.parent; current && current !== this.body; current = current.parent) {
      if (current.type === 'except_clause') return true;
    }
    return false;
  }

  private handler(clause: PyNode): Handler {
    const value = childByField(clause, 'value');
    const typeNode = value?.type === 'as_pattern' ? namedChildren(value)[0] : value;
    const aliasNode = value?.type === 'as_pattern' ? childByField(value, 'alias') : undefined;
    const block = clause.children.find((child) => child.type === 'block') as PyNode;
    const types = !typeNode
      ? ['BaseException']
      : (typeNode.type === 'tuple' ? namedChildren(typeNode) : [typeNode]).map((type) => this.textOf(type));
    const retries = block !== undefined && this.handlerRetries(block, clause);
    return {
      clause,
      types,
      ...(typeNode ? { typeNode } : {}),
      ...(aliasNode ? { alias: this.textOf(aliasNode) } : {}),
      block,
      retries,
    };
  }

  private statusBranch(node: PyNode): void {
    const condition = childByField(node, 'condition');
    const block = childByField(node, 'consequence');
    if (!condition || !block) return;
    const codes = this.errorCodeTest(condition);
    const test = statusTest(this.analysis, condition);
    if (!test && codes.length === 0) {
      // `if self._should_retry(response): ...; continue`: a helper decides, statuses unknown.
      if (this.decidedByHelper(condition) && this.branchRetries(block, node)) this.helperDecides = true;
      // `if not _should_retry_response(resp.status, content): break`: every other answer is retried.
      const negated = unwrap(condition).type === 'not_operator';
      if (negated && this.decidedByHelper(condition) && endsWithExit(block) && !contains(block, CONTINUE)) this.helperDecides = true;
      return;
    }
    const exits = endsWithExit(block) && !contains(block, CONTINUE);
    const retries = this.branchRetries(block, node) || this.setsRetryFlag(block);
    if (test) {
      if (!test.negated && retries) this.statusTests.push({ test, retries: true, branch: node });
      else if (test.negated && exits) this.statusTests.push({ test, retries: true, branch: node });
      else this.statusTests.push({ test, retries: false, branch: node });
    }
    if (retries) this.errorCodes.push(...codes);
  }

  /**
   * `elif e.status_code in self.retry_on_status: retry = True`, then `if retry: ...` leads to
   * the next attempt and its `else: raise` leaves: the branch decides that the status is retried.
   */
  private setsRetryFlag(block: PyNode): boolean {
    const flags = new Set<string>();
    for (const statement of namedChildren(block)) {
      const assignment = statement.type === 'expression_statement' ? namedChildren(statement)[0] : undefined;
      const left = assignment?.type === 'assignment' ? childByField(assignment, 'left') : undefined;
      if (left?.type === 'identifier' && childByField(assignment as PyNode, 'right')?.type === 'true') flags.add(this.textOf(left));
    }
    if (flags.size === 0) return false;
    let decides = false;
    walkLoopBody(this.body, (node) => {
      if (decides || node.type !== 'if_statement') return;
      const condition = childByField(node, 'condition');
      if (condition?.type !== 'identifier' || !flags.has(this.textOf(condition))) return;
      const otherwise = namedChildren(node).find((child) => child.type === 'else_clause');
      const consequence = childByField(node, 'consequence');
      const retriesIfSet = consequence !== undefined && (contains(consequence, CONTINUE) || !endsWithExit(consequence) || lastStatement(consequence)?.type === 'if_statement');
      if (retriesIfSet && otherwise && endsWithExit(childByField(otherwise, 'body'))) decides = true;
    });
    return decides;
  }

  /**
   * The failure path rebinds something an earlier statement of the pass builds the request
   * from (`body = shorter_body`, `kwargs["model"] = fallback`): the next pass sends another
   * request, a fallback rather than a retry.
   */
  protected changesRequest(block: PyNode, failurePoint: PyNode): boolean {
    const rebound = new Set<string>();
    walkLoopBody(block, (node) => {
      if (node.type !== 'assignment') return;
      const target = assignedName(childByField(node, 'left'));
      if (target) rebound.add(this.textOf(target));
    });
    if (rebound.size === 0) return false;
    let read = false;
    walkLoopBody(this.body, (node) => {
      if (read || node.start >= failurePoint.start) return false;
      if (node.type !== 'call') return true;
      if (isSleepOrLogCall(this.analysis, node) || DELAY_ARITHMETIC.test(this.textOf(childByField(node, 'function') ?? node))) return false;
      const args = childByField(node, 'arguments');
      if (args && mentionsAny(this.analysis, args, rebound)) read = true;
      return !read;
    });
    return read;
  }

  /** `raise Retryable(...)` inside a try whose handler retries. */
  protected raisesIntoRetry(block: PyNode): boolean {
    const last = lastStatement(block);
    if (last?.type !== 'raise_statement') return false;
    for (let current = block.parent; current && current !== this.node; current = current.parent) {
      if (current.type === 'block' && current.field === 'body' && current.parent?.type === 'try_statement') return true;
    }
    return false;
  }

  private errorCodeTest(condition: PyNode): ListItem<string>[] {
    const codes: ListItem<string>[] = [];
    walk(condition, (node) => {
      if (node.type === 'string') {
        const value = this.analysis.values.evaluate(node);
        if (typeof value === 'string' && AI_ERROR_CODES.has(value)) codes.push({ value, span: this.analysis.file.span(node) });
      }
      return true;
    });
    return codes;
  }

  /** Is this a retry loop at all? A failure leads to another attempt, success leaves, and the operation is remote. */
  isRetryLoop(): boolean {
    const retryingHandlers = this.handlers.filter((handler) => handler.retries);
    const retryingStatus = this.statusTests.some((entry) => entry.retries) || this.helperDecides;
    if (retryingHandlers.length === 0 && !retryingStatus) return false;
    if (!this.successLeaves() || this.producesEachPass()) return false;
    if (retryingHandlers.length === 0 && this.onlyReauthenticates()) return false;
    return retriesRemoteOperation(this.analysis, this.body, this.callees, {
      sleeps: this.sleeps.length > 0,
      testsStatus: this.statusTests.length > 0 || this.helperDecides,
      retriedTypes: retryingHandlers.map((handler) => handler.typeNode).filter((type): type is PyNode => type !== undefined),
      retriesAnything: retryingHandlers.some((handler) => !handler.typeNode),
      retriedBodies: retryingHandlers.map((handler) => handler.clause.parent && childByField(handler.clause.parent, 'body')).filter((tryBody): tryBody is PyNode => tryBody !== undefined && tryBody !== null),
    });
  }

  /**
   * Every status it goes round on is a 401 or 403 and the pass renews the credentials
   * (`await auth.apply_auth(client, headers)`, `self.refresh_token()`): the next request
   * carries other credentials, a re-authentication rather than a retry of the same request.
   */
  private onlyReauthenticates(): boolean {
    const retried = this.statusTests.filter((entry) => entry.retries).flatMap((entry) => entry.test.ranges);
    if (retried.length === 0 || !retried.every((range) => range.min >= 401 && range.max <= 403)) return false;
    return callsIn(this.body).some((call) => {
      const callee = childByField(call, 'function');
      const name = callee ? (this.textOf(callee).split('.').pop() ?? '') : '';
      return CREDENTIAL_RENEWAL.test(name);
    });
  }

  /**
   * A generator loop that yields and goes on (`yield await ws.recv()`, a poller handing out
   * work items) does new work on every pass; a retried stream yields and then returns.
   */
  private producesEachPass(): boolean {
    let produces = false;
    walkLoopBody(this.body, (node) => {
      if (node.type !== 'yield') return !produces;
      let statement: PyNode | undefined = node;
      while (statement && statement.parent?.type !== 'block') statement = statement.parent ?? undefined;
      const following = statement?.parent ? namedChildren(statement.parent).filter((sibling) => sibling.start > statement.start) : [];
      if (!following.some((sibling) => EXITS.has(sibling.type))) produces = true;
      return !produces;
    });
    return produces;
  }

  /** Counter value at the first backoff sleep: one more when it is incremented before the sleep. */
  protected firstSleepValue(counterName: string, start: number | undefined, sleep: PyNode): number | undefined {
    if (start === undefined) return undefined;
    let incrementedBefore = false;
    walkLoopBody(this.body, (node) => {
      if (node.type === 'augmented_assignment' && node.start < sleep.start) {
        const left = childByField(node, 'left');
        if (left && this.textOf(left) === counterName) incrementedBefore = true;
      }
    });
    return incrementedBefore ? start + 1 : start;
  }

  // ---------------------------------------------------------------- the site

  site(): RetrySite {
    const { file } = this.analysis;
    const counter = this.counter();
    const readsScopes = [this.body, ...this.callees, ...this.secondLevelCallees()];
    const retryAfter = new RetryAfterReads(this.analysis, readsScopes, (call) => this.helperOf(call));
    const backoffSleep = this.sleeps.find((sleep) => {
      const argument = sleepArgument(sleep);
      return !argument || !retryAfter.isTainted(this.reachingValue(argument));
    });
    const delay = this.delay(backoffSleep, counter);
    const retryOn = this.retryOn();
    const statuses = retryOn.statuses.kind === 'known' ? this.retriedStatuses : undefined;
    const errorTypes = retryOn.errorTypes.kind === 'known' ? retryOn.errorTypes.value : [];
    const rateLimitStatus =
      statuses?.find((status) => (status.min <= 429 && 429 <= status.max) || (status.min <= 503 && 503 <= status.max)) ??
      (retryOn.statuses.kind === 'unknown' ? this.helperRateLimitStatus() : undefined);
    const rateLimitHandler = this.handlers.find((handler) => handler.retries && handler.types.some((type) => RATE_LIMIT_TYPES.test(type)));
    const handlesRateLimit = rateLimitStatus !== undefined || errorTypes.some((type) => RATE_LIMIT_TYPES.test(type));
    const rateLimitSpan = rateLimitStatus?.span ?? (rateLimitHandler ? file.span(rateLimitHandler.typeNode ?? rateLimitHandler.clause) : undefined);
    const sleepArguments = this.sleeps.map(sleepArgument).filter((argument): argument is PyNode => argument !== undefined);
    const classifier = this.classifier();
    const retryAfterFacts = retryAfter.facts(handlesRateLimit, sleepArguments, (argument) => {
      const capSeconds = this.minCap(classifier.expressionNode(argument));
      if (capSeconds !== undefined) return capSeconds * 1000;
      if (retryAfter.throughHelper(argument) || this.capsSomewhere(classifier.expressionNode(argument), retryAfter)) return undefined;
      return this.guardCap(retryAfter) ?? 'none';
    }, rateLimitSpan, (argument) => this.handlers.some((handler) => handler.retries && this.mentionsError(handler, argument)));
    return makeSite(
      { ...this.identity(), language: 'python', library: 'hand-written' },
      {
        isAsync: known(this.fn ? isAsyncFunction(this.fn) : false),
        attempts: counter.attempts,
        delay,
        retryOn,
        retryAfter: retryAfterFacts,
        calls: regionCalls(this.analysis, this.body, this.callees),
        sleep: this.sleepFacts(),
      },
    );
  }

  /** Helpers of the helpers the attempt calls (`_sleep_time()` calling `_retry_after_header()`). */
  private secondLevelCallees(): PyNode[] {
    const seen = new Set<PyNode>([...this.callees, ...(this.fn ? [this.fn] : [])]);
    const found: PyNode[] = [];
    for (const callee of this.callees) {
      for (const inner of localCallees(this.analysis, callee)) {
        if (!seen.has(inner)) {
          seen.add(inner);
          found.push(inner);
        }
      }
    }
    return found;
  }

  /**
   * `if self._should_retry(response):` with `if status_code >= 500: return True` (or
   * `return status in (429, 503)`) in the helper: the loop retries rate-limited answers.
   */
  private helperRateLimitStatus(): StatusMatch | undefined {
    const { file } = this.analysis;
    let found: StatusMatch | undefined;
    walkLoopBody(this.body, (node) => {
      if (found || (node.type !== 'if_statement' && node.type !== 'elif_clause')) return;
      const condition = childByField(node, 'condition');
      if (!condition || !this.decidedByHelper(condition)) return;
      for (const call of callsIn(condition)) {
        const helper = this.helperOf(call);
        if (!helper) continue;
        walk(helper, (inner) => {
          if (found || (inner !== helper && SCOPE_TYPES.has(inner.type))) return false;
          let test: StatusTest | undefined;
          if (inner.type === 'if_statement' || inner.type === 'elif_clause') {
            const last = lastStatement(childByField(inner, 'consequence'));
            const returned = last?.type === 'return_statement' ? namedChildren(last)[0] : undefined;
            if (returned?.type === 'true') test = statusTest(this.analysis, childByField(inner, 'condition') as PyNode);
          } else if (inner.type === 'return_statement' && namedChildren(inner)[0]) {
            test = statusTest(this.analysis, namedChildren(inner)[0]);
          }
          const range = test && !test.negated ? test.ranges.find((r) => (r.min <= 429 && 429 <= r.max) || (r.min <= 503 && 503 <= r.max)) : undefined;
          if (range) found = { min: range.min, max: range.max, span: file.span(range.node) };
          return !found;
        });
      }
    });
    return found;
  }

  /** `time.sleep(wait)`: the value of the assignment to `wait` that reaches the sleep, if one does. */
  private reachingValue(argument: PyNode): PyNode {
    const inner = unwrap(argument);
    if (inner.type !== 'identifier') return argument;
    return singleAssignmentIn(this.analysis, this.fn ?? this.body, inner) ?? argument;
  }

  private helperOf(call: PyNode): PyNode | undefined {
    const callee = childByField(call, 'function');
    return callee ? localFunction(this.analysis, callee) : undefined;
  }

  private classifier(accumulator?: Accumulator): DelayClassifier {
    const scope = this.fn ?? this.body;
    return new DelayClassifier(this.analysis, (identifier) => definitionsIn(this.analysis, scope, identifier), this.varyingNames(), accumulator);
  }

  /** Where a retry with no delay at all is reported. */
  protected noDelaySpan(): Span {
    return this.analysis.file.span(this.node);
  }

  /** Names whose value differs from one attempt to the next in a way the delay cannot be read from. */
  protected varyingNames(): ReadonlySet<string> {
    return new Set();
  }

  private delay(sleep: PyNode | undefined, counter: { name: string; start: number | undefined }): DelayFacts {
    const { file } = this.analysis;
    if (!sleep) {
      const mayWait = callsIn(this.body).some((call) => {
        const callee = childByField(call, 'function');
        return callee !== undefined && /sleep|wait|backoff|delay|pause|throttle/i.test(this.textOf(callee));
      });
      if (mayWait || this.sleeps.length > 0) return { strategy: unknown('waits elsewhere'), baseMs: unknown(), capMs: unknown(), jitter: unknown() };
      return { strategy: known('none'), baseMs: known(0), capMs: known(0), jitter: known('none'), span: this.noDelaySpan() };
    }
    const argument = sleepArgument(sleep);
    if (!argument) return { strategy: unknown(), baseMs: unknown(), capMs: unknown(), jitter: unknown() };
    const inCallee = this.callees.find((callee) => isInside(sleep, callee));
    if (inCallee) return { strategy: unknown('sleep in a helper'), baseMs: unknown(), capMs: unknown(), jitter: unknown(), span: file.span(sleep) };
    const accumulated = accumulatedDelay(this.analysis, this.node, this.fn, sleep, argument);
    if (accumulated) {
      const { accumulator, firstValue } = accumulated;
      const facts = this.classifier(accumulator).classify(argument, { name: accumulator.name, firstValue }, sleep);
      // `if delay > limit: break` caps the sleep at a limit the attempts then count (hand-written.ts).
      return this.exitComparesWith(accumulator.name) && facts.capMs.kind === 'known' && facts.capMs.value === 'none'
        ? { ...facts, capMs: unknown('the loop leaves once the delay passes a limit') }
        : facts;
    }
    // `wait = 2 ** n * 0.1; n += 1; sleep(wait)`: the counter is read where the delay is computed.
    const computed = this.reachingValue(argument);
    const readAt = computed !== argument && isInside(computed, this.body) ? computed : sleep;
    const info: CounterInfo = { name: counter.name, firstValue: counter.name ? this.firstSleepValue(counter.name, counter.start, readAt) : undefined };
    return this.classifier().classify(argument, counter.name ? info : undefined, sleep);
  }

  /** A branch that leaves the retry when `name` compares past something (`if delay > LIMIT: break`). */
  private exitComparesWith(name: string): boolean {
    let found = false;
    walkLoopBody(this.body, (node) => {
      if (found || (node.type !== 'if_statement' && node.type !== 'elif_clause')) return;
      const condition = childByField(node, 'condition');
      const block = childByField(node, 'consequence');
      if (condition?.type !== 'comparison_operator' || !block || !(endsWithExit(block) || contains(block, new Set(['raise_statement'])))) return;
      if (condition.children.some((child) => child.type === 'identifier' && this.textOf(child) === name)) found = true;
    });
    return found;
  }

  /** `min(delay, 30) + random.random()`: a `min` over the header's value inside a larger expression. */
  private capsSomewhere(expression: PyNode, reads: RetryAfterReads): boolean {
    let found = false;
    walk(expression, (node) => {
      if (found) return false;
      if (node.type === 'call' && this.textOf(childByField(node, 'function') ?? node) === 'min' && reads.isTainted(node)) found = true;
      return !found;
    });
    return found;
  }

  /** `min(value, cap)` with a constant cap (seconds). */
  private minCap(expression: PyNode): number | undefined {
    const inner = unwrap(expression);
    const callee = inner.type === 'call' ? childByField(inner, 'function') : undefined;
    if (!callee || this.textOf(callee) !== 'min') return undefined;
    const caps = namedChildren(childByField(inner, 'arguments') ?? inner)
      .map((argument) => this.analysis.values.evaluateNumber(argument))
      .filter((value): value is number => value !== undefined);
    return caps.length > 0 ? Math.min(...caps) : undefined;
  }

  /**
   * The broad handler goes round only under a test of the error and leaves otherwise:
   * `should_retry = await self._on_conflict(error, attempt)` / `if should_retry: continue` /
   * `raise`, or `if "timed out" in str(e): sleep` / `else: break`.
   */
  private retriesOnlyWhen(handler: Handler): boolean {
    const aboutError = new Set(handler.alias !== undefined ? [handler.alias] : []);
    const statements = namedChildren(handler.block);
    return statements.some((statement, index) => {
      if (statement.type === 'expression_statement') {
        const assignment = namedChildren(statement)[0];
        const left = assignment?.type === 'assignment' ? childByField(assignment, 'left') : undefined;
        const right = assignment?.type === 'assignment' ? childByField(assignment, 'right') : undefined;
        if (left?.type === 'identifier' && right && mentionsAny(this.analysis, right, aboutError)) aboutError.add(this.textOf(left));
        return false;
      }
      const condition = statement.type === 'if_statement' ? childByField(statement, 'condition') : undefined;
      if (!condition || !mentionsAny(this.analysis, condition, aboutError)) return false;
      const otherwise = namedChildren(statement).find((child) => child.type === 'else_clause');
      const leavesOtherwise = otherwise ? endsWithExit(childByField(otherwise, 'body')) : endsWithExit(handler.block) && index < statements.length - 1;
      return leavesOtherwise && !namedChildren(statement).some((child) => child.type === 'elif_clause');
    });
  }

  /** `if retry_after > LIMIT: raise` caps the header value. */
  private guardCap(reads: RetryAfterReads): number | undefined {
    let cap: number | undefined;
    walkLoopBody(this.body, (node) => {
      if (node.type !== 'if_statement' && node.type !== 'elif_clause') return;
      const condition = childByField(node, 'condition');
      const block = childByField(node, 'consequence');
      if (!condition || !block || condition.type !== 'comparison_operator' || !endsWithExit(block)) return;
      const operands = condition.children.filter((child) => child.named);
      if (operands.length === 2 && reads.isTainted(operands[0])) {
        const limit = this.analysis.values.evaluateNumber(operands[1]);
        if (limit !== undefined) cap = limit * 1000;
      }
    });
    return cap;
  }

  private retryOn(): RetryOnFacts {
    const { file } = this.analysis;
    const retrying = this.handlers.filter((handler) => handler.retries);
    const statuses: StatusMatch[] = [];
    let statusList: RetryOnFacts['statusList'];
    let statusesKnown = true;
    for (const entry of this.statusTests) {
      if (!entry.retries) continue;
      for (const range of entry.test.ranges) statuses.push({ min: range.min, max: range.max, span: file.span(range.node) });
      if (entry.test.list && !statusList) {
        const items = entry.test.list.items
          .filter((item): item is { value: number; node: PyNode } => typeof item.value === 'number')
          .map((item) => ({ value: item.value, span: file.span(item.node) }));
        statusList = { span: file.span(entry.test.list.node), items };
      }
    }
    // A helper that decides (`if self._should_retry(resp)`) hides the statuses.
    walkLoopBody(this.body, (node) => {
      if ((node.type === 'if_statement' || node.type === 'elif_clause') && !statusTest(this.analysis, childByField(node, 'condition') as PyNode)) {
        const condition = childByField(node, 'condition');
        if (condition && this.decidedByHelper(condition)) statusesKnown = false;
      }
    });
    const errorTypes = retrying.flatMap((handler) => handler.types.map((type) => type.split('.').pop() as string));
    const broad = retrying.find((handler) => handler.types.some((type) => BROAD_TYPES.test(type)) || !handler.typeNode);
    // A status branch that raises into the broad handler only adds its statuses to "any error".
    const classifyingTests = this.statusTests.filter((entry) => !(broad && this.raisesInto(entry.branch, broad)));
    let catchAll = false;
    if (broad) {
      const index = this.handlers.indexOf(broad);
      const narrowedBefore = this.handlers.slice(0, index).some((handler) => !handler.retries);
      const classified = classifyingTests.length > 0 || this.classifiesResponseAfter(broad) || this.classifiesException(broad);
      catchAll = !narrowedBefore && !classified;
    }
    this.retriedStatuses = statuses;
    const reportedStatuses = catchAll ? [] : statuses;
    return {
      statuses: statusesKnown ? known(reportedStatuses) : unknown('decided by a helper'),
      ...(statusList && !catchAll ? { statusList } : {}),
      errorCodes: this.errorCodes,
      errorTypes: known(errorTypes),
      catchAll: statusesKnown || catchAll ? known(catchAll) : unknown(),
      ...(broad && catchAll ? { catchAllSpan: file.span(broad.typeNode ?? broad.clause) } : {}),
      cancellation: this.cancellation(),
    };
  }

  /** A call such as `self._should_retry(resp)` or `is_retryable(e)` in a condition. */
  private decidedByHelper(condition: PyNode): boolean {
    let found = false;
    walk(condition, (node) => {
      if (node.type === 'call') {
        const callee = childByField(node, 'function');
        const name = callee ? this.textOf(callee).split('.').pop() ?? '' : '';
        if (DECIDING_HELPER.test(name)) found = true;
      }
      return !found;
    });
    return found;
  }

  /** `if response.status == 500: raise ...` inside the try that the broad handler catches. */
  private raisesInto(branch: PyNode, handler: Handler): boolean {
    const tryBody = handler.clause.parent ? childByField(handler.clause.parent, 'body') : undefined;
    const block = childByField(branch, 'consequence');
    return tryBody !== undefined && isInside(branch, tryBody) && lastStatement(block)?.type === 'raise_statement';
  }

  /**
   * The broad handler wraps only the transport call (`response = client.send(request)`) and the
   * response's status is classified after the try (`raise_for_status()`, a status test,
   * `_should_retry(response)`): what reaches the handler is a transport failure.
   */
  private classifiesResponseAfter(handler: Handler): boolean {
    const tryStatement = handler.clause.parent;
    const tryBody = tryStatement ? childByField(tryStatement, 'body') : undefined;
    if (!tryStatement || !tryBody || namedChildren(tryBody).length !== 1) return false;
    const after = [
      ...namedChildren(tryStatement).filter((child) => child.type === 'else_clause'),
      ...(tryStatement.parent ? namedChildren(tryStatement.parent).filter((sibling) => sibling.start > tryStatement.end) : []),
    ];
    let classifies = false;
    for (const statement of after) {
      walkLoopBody(statement, (node) => {
        if (classifies) return;
        if (node.type === 'call' && /(^|\.)raise_for_status$/.test(this.textOf(childByField(node, 'function') ?? node))) classifies = true;
        if (node.type === 'if_statement' || node.type === 'elif_clause') {
          const condition = childByField(node, 'condition');
          if (condition && (statusTest(this.analysis, condition) || this.decidedByHelper(condition))) classifies = true;
        }
      });
    }
    return classifies;
  }

  /**
   * The broad handler tests the exception before retrying: `isinstance`, `e.status`, its
   * message (`s = str(e).lower()` then `if "unauthorized" in s: raise`), or hands it to a
   * same-file predicate that re-raises what it rejects (`check_retryable(e)`).
   */
  private classifiesException(handler: Handler): boolean {
    const aboutError = this.errorNames(handler);
    let classifies = false;
    walkLoopBody(handler.block, (node) => {
      if (classifies) return;
      if (node.type === 'call' && node.parent?.type === 'expression_statement') {
        const args = childByField(node, 'arguments');
        const predicate = this.helperOf(node);
        if (args && predicate && mentionsAny(this.analysis, args, aboutError) && this.raisesConditionally(predicate)) classifies = true;
        return;
      }
      if (node.type !== 'if_statement' && node.type !== 'elif_clause') return;
      const condition = childByField(node, 'condition');
      const block = childByField(node, 'consequence');
      if (!condition || !block) return;
      const exits = endsWithExit(block) || contains(block, new Set(['raise_statement']));
      const testsError = mentionsAny(this.analysis, condition, aboutError) || /isinstance|retryable|transient|should_retry/i.test(this.textOf(condition));
      if (exits && testsError) classifies = true;
    });
    return classifies || this.retriesOnlyWhen(handler);
  }

  /** The handler's `as` name and the names its block derives from it (`s = str(e).lower()`). */
  private errorNames(handler: Handler): ReadonlySet<string> {
    const names = new Set(handler.alias !== undefined ? [handler.alias] : []);
    if (names.size === 0) return names;
    walkLoopBody(handler.block, (node) => {
      if (node.type !== 'assignment') return;
      const left = childByField(node, 'left');
      const right = childByField(node, 'right');
      if (left?.type === 'identifier' && right && mentionsAny(this.analysis, right, names)) names.add(this.textOf(left));
    });
    return names;
  }

  /** `time.sleep(backoff)` with `backoff = e.backoff` in the handler. */
  private mentionsError(handler: Handler, node: PyNode): boolean {
    return isInside(node, handler.block) && mentionsAny(this.analysis, node, this.errorNames(handler));
  }

  /** A function with a `raise` under an `if`: it lets some values through and rejects others. */
  private raisesConditionally(fn: PyNode): boolean {
    let found = false;
    walk(fn, (node) => {
      if (found || (node !== fn && SCOPE_TYPES.has(node.type))) return false;
      if (node.type === 'raise_statement' && node.parent?.parent && /^(if_statement|elif_clause|else_clause)$/.test(node.parent.parent.type)) found = true;
      return !found;
    });
    return found;
  }

  private cancellation(): CancellationFacts {
    const { file } = this.analysis;
    let guarded = false;
    for (const handler of this.handlers) {
      const catchesCancel = !handler.typeNode || handler.types.some((type) => CANCELLATION.test(type));
      if (!catchesCancel) continue;
      const reraisesFirst = !handler.retries || (handler.types.some((type) => /CancelledError|Cancelled/.test(type)) && endsWithExit(handler.block));
      const checksInside = /isinstance\([^)]*Cancel/.test(this.textOf(handler.block));
      if (reraisesFirst || checksInside) {
        guarded = true;
        continue;
      }
      if (guarded) continue;
      return { retried: known(true), guarded: false, span: file.span(handler.typeNode ?? handler.clause) };
    }
    return { retried: known(false), guarded };
  }

  private sleepFacts(): SleepFacts {
    const { file } = this.analysis;
    const isAsync = this.fn ? isAsyncFunction(this.fn) : false;
    const ownSleeps = this.sleeps.filter((sleep) => isInside(sleep, this.body));
    const anchor = this.permitAnchor();
    const permit = this.sleeps.length > 0 && anchor ? heldPermit(this.analysis, anchor) : undefined;
    return {
      ...blockingSleepFacts(this.analysis, ownSleeps, isAsync),
      permitHeld: known(permit !== undefined),
      ...(permit ? { permitSpan: file.span(permit) } : {}),
    };
  }
}
