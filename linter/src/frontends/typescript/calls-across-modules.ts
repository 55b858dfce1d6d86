/**
 * Project mode: retries multiplied across modules. A retried region that calls, through any
 * number of files, a function whose code calls an SDK client with its own retries, or
 * retries again, gets those calls (`CallFacts.chain`) and retries (`reachedRetries`) with
 * the chain of calls that leads to them, from the call in the retried code onwards.
 * Same-module calls at the first step are linkNesting's (nesting.ts).
 */
import { isRetrying, known, makeCall, valueOf, type CallFacts, type ChainStep, type ReachedRetry, type RetrySite, type Span } from '@retrylint/shared';
import type { ExtractionContext } from './context.js';
import type { FunctionInModule, ProjectLinks } from './cross-module.js';
import type { FoundSite } from './nesting.js';
import type { CallExpression, Node } from './syntax.js';
import { walk } from './walk.js';

const MAX_CALL_DEPTH = 6;

interface Reached {
  readonly calls: readonly { readonly facts: CallFacts; readonly chain: readonly ChainStep[] }[];
  readonly retries: readonly { readonly site: RetrySite; readonly chain: readonly ChainStep[] }[];
}

const NOTHING: Reached = { calls: [], retries: [] };

/** A site that retries on its own: what multiplies an outer retry's attempts. */
function retriesByItself(site: RetrySite): boolean {
  if (!isRetrying(site)) return false;
  if (site.kind === 'client') return site.library === 'got' || site.library === 'ky';
  return site.kind !== 'call';
}

export function linkAcrossModules(found: readonly FoundSite[], sites: readonly RetrySite[], context: ExtractionContext, project: ProjectLinks): RetrySite[] {
  const memo = new Map<string, Reached>();
  return sites.map((site, position) => {
    const regions = found[position]?.regions;
    if (!regions?.length || !retriesByItself(site)) return site;
    const calls: CallFacts[] = [];
    const reachedRetries: ReachedRetry[] = [];
    for (const call of callsIn(regions)) {
      const target = project.calledFunction(context, call.callee);
      if (!target || target.context.filePath === context.filePath) continue;
      const reached = reach(target, project, 1, memo, new Set());
      if (reached === NOTHING) continue;
      const span = context.span(call);
      const first = stepAt(project, context, span, 'call');
      for (const entry of reached.calls) calls.push(chainedCall(entry.facts, span, [first, ...entry.chain]));
      for (const entry of reached.retries) {
        const attempts = valueOf(entry.site.attempts.max);
        reachedRetries.push({ library: entry.site.library, attempts: attempts === undefined ? entry.site.attempts.max : known(attempts), span, chain: [first, ...entry.chain] });
      }
    }
    if (calls.length === 0 && reachedRetries.length === 0) return site;
    return {
      ...site,
      calls: [...site.calls, ...calls],
      ...(reachedRetries.length > 0 ? { reachedRetries: [...(site.reachedRetries ?? []), ...reachedRetries] } : {}),
    };
  });
}

/** What calling `target` reaches: retrying client calls and retries in it, and in what it calls. */
function reach(target: FunctionInModule, project: ProjectLinks, depth: number, memo: Map<string, Reached>, visiting: Set<string>): Reached {
  const key = `${target.context.filePath}#${target.fn.range[0]}`;
  const known = memo.get(key);
  if (known) return known;
  if (visiting.has(key) || depth > MAX_CALL_DEPTH) return NOTHING;
  visiting.add(key);
  const [start, end] = target.fn.range;
  const inside = (project.sitesOf(target.context) ?? []).filter((site) => site.span.start >= start && site.span.end <= end);
  const retrySpans = inside.filter(retriesByItself).map((site) => site.span);
  const withinRetry = (from: number, to: number, except?: Span): boolean =>
    retrySpans.some((span) => span !== except && span.start <= from && to <= span.end);
  const calls: { facts: CallFacts; chain: readonly ChainStep[] }[] = [];
  const retries: { site: RetrySite; chain: readonly ChainStep[] }[] = [];
  for (const site of inside) {
    if (retriesByItself(site)) {
      if (!withinRetry(site.span.start, site.span.end, site.span)) retries.push({ site, chain: [stepAt(project, target.context, site.reportSpan, 'retry')] });
      continue;
    }
    if (site.kind !== 'call' || withinRetry(site.span.start, site.span.end)) continue;
    for (const facts of site.calls) {
      const attempts = valueOf(facts.clientAttempts);
      if (attempts === undefined || attempts <= 1) continue;
      calls.push({ facts, chain: [stepAt(project, target.context, facts.span, 'call'), ...(facts.chain ?? [])] });
    }
  }
  for (const call of callsIn([target.fn.body ?? target.fn])) {
    if (withinRetry(call.range[0], call.range[1])) continue;
    const next = project.calledFunction(target.context, call.callee);
    if (!next) continue;
    const deeper = reach(next, project, depth + 1, memo, visiting);
    if (deeper === NOTHING) continue;
    const first = stepAt(project, target.context, target.context.span(call), 'call');
    for (const entry of deeper.calls) calls.push({ facts: entry.facts, chain: [first, ...entry.chain] });
    for (const entry of deeper.retries) retries.push({ site: entry.site, chain: [first, ...entry.chain] });
  }
  visiting.delete(key);
  const reached = calls.length === 0 && retries.length === 0 ? NOTHING : { calls, retries };
  memo.set(key, reached);
  return reached;
}

function callsIn(regions: readonly Node[]): CallExpression[] {
  const calls: CallExpression[] = [];
  for (const region of regions) {
    walk(region, (node) => {
      if (node.type === 'CallExpression') calls.push(node);
    });
  }
  return calls;
}

function stepAt(project: ProjectLinks, context: ExtractionContext, span: Span, role: ChainStep['role']): ChainStep {
  return { file: project.displayPath(context.filePath ?? ''), line: span.line, role };
}

/**
 * The reached call as seen from the retried code: reported at the local call, with only the
 * facts that hold from here (its attempts, and the lever on the client where it is built).
 * Spans of the other file stay out, so no rule reports into the wrong file.
 */
function chainedCall(facts: CallFacts, span: Span, chain: readonly ChainStep[]): CallFacts {
  const attempts = valueOf(facts.clientAttempts);
  return makeCall(
    { kind: facts.kind, library: facts.library, span },
    {
      clientAttempts: attempts === undefined ? facts.clientAttempts : known(attempts, span),
      ...(facts.clientRetriesSlot?.file ? { clientRetriesSlot: facts.clientRetriesSlot } : {}),
      chain,
    },
  );
}

/**
 * Project mode, evidence for a hand-written retry: the callee, in another module, makes an
 * HTTP or SDK call or retries (directly or through the functions it calls). The per-file path
 * sees only an opaque call there and stays silent.
 */
export function callsRemoteAcrossModules(call: CallExpression, context: ExtractionContext, project: ProjectLinks): boolean {
  const target = project.calledFunction(context, call.callee);
  if (!target || target.context.filePath === context.filePath) return false;
  return reachesRemote(target, project, 1, new Set());
}

function reachesRemote(target: FunctionInModule, project: ProjectLinks, depth: number, visiting: Set<string>): boolean {
  const key = `remote:${target.fn.range[0]}`;
  return target.context.memo(key, () => {
    if (visiting.has(`${target.context.filePath}#${key}`) || depth > MAX_CALL_DEPTH) return false;
    visiting.add(`${target.context.filePath}#${key}`);
    const [start, end] = target.fn.range;
    const sites = project.sitesOf(target.context) ?? [];
    if (sites.some((site) => site.span.start >= start && site.span.end <= end)) return true;
    return callsIn([target.fn.body ?? target.fn]).some((inner) => {
      const next = project.calledFunction(target.context, inner.callee);
      return next !== undefined && reachesRemote(next, project, depth + 1, visiting);
    });
  });
}
