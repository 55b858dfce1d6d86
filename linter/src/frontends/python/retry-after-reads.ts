/**
 * Retry-After handling in hand-written code: whether the header (or retry-after-ms) is
 * read, whether the value becomes the sleep, which forms are parsed, and whether it is
 * capped.
 */
import { known, unknown, type RetryAfterFacts, type Span } from '@retrylint/shared';
import type { Analysis } from './analysis.js';
import { childByField, SCOPE_TYPES, walk, type PyNode } from './syntax-tree.js';

const HEADER = /^retry-after(-ms)?$/i;
/** Headers that tell when a rate-limit window reopens (an epoch or a count of seconds, not Retry-After's forms). */
const RESET_HEADER = /^(x-)?rate-?limit-reset$/i;

export class RetryAfterReads {
  /** Where the header is read. */
  readonly reads: PyNode[] = [];
  /** Names holding (something derived from) the header value. */
  private readonly tainted = new Set<string>();
  /** Local helpers that read the header (their result is tainted). */
  private readonly readingHelpers = new Set<PyNode>();
  readonly forms = new Set<'seconds' | 'date' | 'ms'>();
  /** The code waits for the API's own reset header (`x-rate-limit-reset`) instead. */
  private readsResetHeader = false;

  constructor(
    private readonly analysis: Analysis,
    scopes: readonly PyNode[],
    helperOf: (call: PyNode) => PyNode | undefined,
  ) {
    for (const scope of scopes) {
      walk(scope, (node) => {
        if (node !== scope && SCOPE_TYPES.has(node.type)) return false;
        if (node.type === 'string' && RESET_HEADER.test(analysis.values.evaluate(node)?.toString() ?? '')) this.readsResetHeader = true;
        if (node.type === 'string' && HEADER.test(analysis.values.evaluate(node)?.toString() ?? '')) {
          this.reads.push(node);
          if (/-ms$/i.test(analysis.values.evaluate(node) as string)) this.forms.add('ms');
          if (scope !== scopes[0]) this.readingHelpers.add(scope);
        }
        return true;
      });
    }
    // Propagate through assignments and helpers' return values a few times (statement order
    // does not matter here): `_sleep_time(resp)` returns what `_retry_after(resp)` parsed.
    for (let pass = 0; pass < 3; pass++) {
      for (const scope of scopes) {
        walk(scope, (node) => {
          if (node !== scope && SCOPE_TYPES.has(node.type)) return false;
          if (node.type === 'assignment') {
            const left = childByField(node, 'left');
            const right = childByField(node, 'right');
            if (left?.type === 'identifier' && right && this.isTainted(right, helperOf)) this.tainted.add(analysis.file.textOf(left));
          }
          if (node.type === 'return_statement' && scope !== scopes[0] && this.isTainted(node, helperOf)) this.readingHelpers.add(scope);
          return true;
        });
      }
    }
    for (const scope of scopes) {
      walk(scope, (node) => {
        if (node !== scope && SCOPE_TYPES.has(node.type)) return false;
        if (node.type !== 'call') return true;
        const callee = childByField(node, 'function');
        const name = callee ? (analysis.file.qualify(callee) ?? analysis.file.textOf(callee)) : '';
        const args = childByField(node, 'arguments');
        if (/^(float|int|Decimal)$/.test(name) && args && this.isTainted(args, helperOf)) this.forms.add('seconds');
        if (/parsedate|strptime|parse_date|parse_http_date|dateutil\.parser\.parse/.test(name) && args && this.isTainted(args, helperOf)) {
          this.forms.add('date');
        }
        return true;
      });
    }
    this.helperOf = helperOf;
  }

  private helperOf: (call: PyNode) => PyNode | undefined;

  isTainted(node: PyNode, helperOf: (call: PyNode) => PyNode | undefined = this.helperOf): boolean {
    let found = false;
    walk(node, (current) => {
      if (found) return false;
      if (current.type === 'identifier' && this.tainted.has(this.analysis.file.textOf(current))) found = true;
      if (current.type === 'string' && this.reads.includes(current)) found = true;
      if (current.type === 'call') {
        const helper = helperOf(current);
        if (helper && this.readingHelpers.has(helper)) found = true;
      }
      return !found;
    });
    return found;
  }

  /** The value reaches `node` from a helper's return value: its cap, if any, is in the helper. */
  throughHelper(node: PyNode): boolean {
    let found = false;
    walk(node, (current) => {
      if (found) return false;
      if (current.type === 'call') {
        const helper = this.helperOf(current);
        if (helper && this.readingHelpers.has(helper)) found = true;
      }
      if (current.type === 'identifier' && this.tainted.has(this.analysis.file.textOf(current))) {
        const origin = this.analysis.values.follow(current);
        if (origin !== current && this.throughHelper(origin)) found = true;
      }
      return !found;
    });
    return found;
  }

  /** Facts for a site whose chosen sleep argument is `sleepArgument` (undefined: no sleep). */
  /**
   * @param fromError a sleep argument taken from the caught error (`e.backoff`): the value an
   *   error carries may be the header's, read where the error was raised
   */
  facts(
    handlesRateLimit: boolean | undefined,
    sleepArguments: readonly PyNode[],
    capOf: (argument: PyNode) => number | 'none' | undefined,
    rateLimitSpan?: Span,
    fromError: (argument: PyNode) => boolean = () => false,
  ): RetryAfterFacts {
    const read = this.reads.length > 0;
    const usedArgument = sleepArguments.find((argument) => this.isTainted(argument));
    const cap = usedArgument ? capOf(usedArgument) : undefined;
    const span = this.reads[0] ? this.analysis.file.span(this.reads[0]) : rateLimitSpan;
    const usedAsDelay =
      usedArgument !== undefined ? known(true) : read && sleepArguments.some(fromError) ? unknown('the error carries the wait') : known(false);
    return {
      handlesRateLimit: handlesRateLimit === undefined ? unknown() : known(handlesRateLimit),
      honouredByLibrary: known(false),
      read: read ? known(true) : this.readsResetHeader ? unknown('waits for a rate-limit reset header') : known(false),
      usedAsDelay: read ? usedAsDelay : known(false),
      forms: [...this.forms],
      capMs: !usedArgument ? unknown() : cap === undefined ? unknown('cap not constant') : known(cap),
      ...(span ? { span } : {}),
    };
  }
}
