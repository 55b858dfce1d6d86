/**
 * Links retries nested in other retries: a site inside another site's retried region
 * (a loop around pRetry, stacked wrappers), or inside a function that region calls
 * (a retried function calling another retried function in the same module).
 */
import type { NestingFacts, RetrySite } from '@retrylint/shared';
import type { ExtractionContext } from './context.js';
import type { FunctionNode, Node } from './syntax.js';
import { walk } from './walk.js';

export interface FoundSite {
  readonly site: RetrySite;
  /** The code each attempt runs (loop body, the retried function's body). */
  readonly regions?: readonly Node[];
}

interface Region {
  readonly node: Node;
  readonly owner: FoundSite;
}

/** got / ky calls with their own retry option retry per call, so a loop around them nests. */
function canNest(entry: FoundSite): boolean {
  const { kind, library } = entry.site;
  if (kind === 'client') return library === 'got' || library === 'ky';
  return kind === 'loop' || kind === 'recursion' || kind === 'wrapper' || kind === 'decorator';
}

export function linkNesting(found: readonly FoundSite[], context: ExtractionContext): RetrySite[] {
  const regions: Region[] = found
    .flatMap((owner) => (owner.regions ?? []).map((node) => ({ node, owner })))
    .sort((a, b) => a.node.range[0] - b.node.range[0] || b.node.range[1] - a.node.range[1]);
  const enclosing = innermostRegions(found.filter(canNest), regions);
  const callers = callersOf(regions, context);
  return found.map((inner) => {
    if (!canNest(inner)) return inner.site;
    const region = enclosing.get(inner);
    if (region) return withNesting(inner.site, region.owner, region.owner.site.kind === 'loop' ? 'loop' : 'wrapper');
    for (const [fn, owners] of callers) {
      if (fn.range[0] > inner.site.span.start || inner.site.span.end > fn.range[1]) continue;
      const outer = owners.find((owner) => owner !== inner && !(inner.regions ?? []).includes(fn.body));
      if (outer) return withNesting(inner.site, outer, 'called-function');
    }
    return inner.site;
  });
}

function withNesting(site: RetrySite, outer: FoundSite, via: NestingFacts['via']): RetrySite {
  const nestedIn: NestingFacts = { siteId: outer.site.id, attempts: outer.site.attempts.max, span: outer.site.reportSpan, via };
  return { ...site, nestedIn };
}

/** For each site, the innermost other site's region around it: one sweep over sorted regions. */
function innermostRegions(inners: readonly FoundSite[], regions: readonly Region[]): Map<FoundSite, Region> {
  const result = new Map<FoundSite, Region>();
  const sorted = [...inners].sort((a, b) => a.site.span.start - b.site.span.start);
  const open: Region[] = [];
  let next = 0;
  for (const inner of sorted) {
    const { start, end } = inner.site.span;
    while (next < regions.length && regions[next].node.range[0] <= start) open.push(regions[next++]);
    while (open.length > 0 && open[open.length - 1].node.range[1] < start) open.pop();
    for (let i = open.length - 1; i >= 0; i--) {
      const region = open[i];
      if (region.node.range[1] < end) continue;
      if (region.owner === inner || region.owner.site.span.start === start) continue;
      result.set(inner, region);
      break;
    }
  }
  return result;
}

/** The local functions each region calls (callbacks inside the region run during the attempt too). */
function callersOf(regions: readonly Region[], context: ExtractionContext): Map<FunctionNode, FoundSite[]> {
  const callers = new Map<FunctionNode, FoundSite[]>();
  for (const region of regions) {
    walk(region.node, (node) => {
      if (node.type !== 'CallExpression') return;
      const fn = context.index.functionOf(node.callee);
      if (!fn || (fn.range[0] <= region.node.range[0] && region.node.range[1] <= fn.range[1])) return;
      const owners = callers.get(fn) ?? [];
      if (!owners.includes(region.owner)) owners.push(region.owner);
      callers.set(fn, owners);
    });
  }
  return callers;
}
