/**
 * Retries inside retries: stacked retry decorators, and a retried region that calls a
 * function of this module which retries by itself.
 */
import type { NestingFacts, RetrySite } from '@retrylint/shared';
import type { Analysis } from './analysis.js';
import { localFunction } from './client-origin.js';
import { callsIn } from './retried-region.js';
import { childByField, type PyNode } from './syntax-tree.js';

export interface SiteWithRegion {
  site: RetrySite;
  /** What one attempt runs (a loop, a decorated function's body, a wrapper's loop). */
  readonly region?: PyNode;
  readonly decorated?: PyNode;
  readonly decorator?: PyNode;
}

function nestingFacts(outer: RetrySite, via: NestingFacts['via']): NestingFacts {
  return { siteId: outer.id, attempts: outer.attempts.max, span: outer.reportSpan, via };
}

export function linkNestedSites(analysis: Analysis, entries: SiteWithRegion[]): void {
  const byFunction = new Map<PyNode, SiteWithRegion[]>();
  for (const entry of entries) {
    if (!entry.decorated) continue;
    const list = byFunction.get(entry.decorated) ?? [];
    list.push(entry);
    byFunction.set(entry.decorated, list);
  }
  // Decorators apply bottom-up: the one written first wraps the ones below it.
  for (const stacked of byFunction.values()) {
    stacked.sort((a, b) => (a.decorator?.start ?? 0) - (b.decorator?.start ?? 0));
    for (let i = 1; i < stacked.length; i++) {
      stacked[i].site = { ...stacked[i].site, nestedIn: nestingFacts(stacked[i - 1].site, 'stacked-decorator') };
    }
  }
  for (const outer of entries) {
    if (!outer.region) continue;
    for (const call of callsIn(outer.region)) {
      const callee = childByField(call, 'function');
      const fn = callee ? localFunction(analysis, callee) : undefined;
      const inner = fn ? byFunction.get(fn) : undefined;
      if (!inner || inner.includes(outer)) continue;
      const outermost = inner[0];
      if (!outermost.site.nestedIn) outermost.site = { ...outermost.site, nestedIn: nestingFacts(outer.site, 'called-function') };
    }
  }
}
