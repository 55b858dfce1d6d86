/** Shared pieces of library retry recognizers (tenacity, backoff): the region a retry covers. */
import { known, type CallFacts, type Maybe, type RetrySite, type SleepFacts } from '@retrylint/shared';
import type { Analysis } from './analysis.js';
import { callsIn, localCallees, regionCalls } from './retried-region.js';
import { blockingSleepFacts } from './sleeps.js';
import { childByField, isAsyncFunction, type PyNode } from './syntax-tree.js';

export interface Region {
  /** The function whose body one attempt runs, or a loop body. */
  readonly node: PyNode;
  readonly isAsync: boolean;
}

export function functionRegion(fn: PyNode): Region {
  return { node: childByField(fn, 'body') ?? fn, isAsync: isAsyncFunction(fn) };
}

export function regionFacts(analysis: Analysis, region: Region | undefined): { calls: CallFacts[]; isAsync: Maybe<boolean>; sleep: SleepFacts } {
  if (!region) return { calls: [], isAsync: known(false), sleep: { blockingInAsync: known(false), permitHeld: known(false) } };
  return {
    calls: regionCalls(analysis, region.node, localCallees(analysis, region.node)),
    isAsync: known(region.isAsync),
    sleep: {
      // A blocking sleep in the retried code itself (not in nested functions) stalls the event loop on every attempt.
      ...blockingSleepFacts(analysis, callsIn(region.node), region.isAsync),
      // The library sleeps between attempts, outside the function body and its `with` blocks.
      permitHeld: known(false),
    },
  };
}

/** A retry site plus the function it decorates (for nesting). */
export interface LibrarySite {
  readonly site: RetrySite;
  readonly decorated?: PyNode;
  readonly decorator?: PyNode;
}

/** The function a decorator sits on. */
export function decoratedFunction(decorator: PyNode): PyNode | undefined {
  const definition = decorator.parent ? childByField(decorator.parent, 'definition') : undefined;
  return definition?.type === 'function_definition' ? definition : undefined;
}
