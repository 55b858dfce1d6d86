/**
 * One file: parse, copy the tree, run every recognizer, link nested retries, and add a
 * 'call' site for each HTTP/SDK call outside the retry sites (require-timeout judges those).
 */
import { makeSite, type FileModel, type RetrySite, type Span } from '@retrylint/shared';
import { sdkClientSites } from './ai-sdk.js';
import type { Analysis } from './analysis.js';
import { backoffSites } from './backoff.js';
import { VOCABULARY } from './entry-names.js';
import { FileContext } from './file-context.js';
import { handWrittenLoops } from './hand-written.js';
import { linkNestedSites, type SiteWithRegion } from './nesting.js';
import { deleteTree, parsePython, type PyTree } from './parser.js';
import { recursiveRetries } from './recursion.js';
import { recognizeCall } from './retried-region.js';
import { copyTree, firstErrorNode, nodeWithSpan, RegionIndex, walk, VocabularyIndex, type EarlierCopy, type PyNode } from './syntax-tree.js';
import { tenacitySites } from './tenacity.js';
import { urllib3Sites } from './urllib3-retry.js';
import { ValueResolver } from './values.js';


const EMPTY: FileModel = { language: 'python', sites: [], parseErrors: [] };

/**
 * Where a tree comes from: a fresh parse by default, freed once read; the language server's
 * incremental parser keeps the tree of an open document for the next edit instead.
 */
export interface PythonTreeSource {
  treeFor(text: string, filePath: string): PyTree | undefined;
  /** Called when the tree has been read. */
  release(tree: PyTree): void;
  /** An earlier copy of the same document's tree to clone unchanged statements from. */
  earlierCopy?(tree: PyTree): EarlierCopy | undefined;
  /** The copy made of `tree`, for the next edit. */
  keepCopy?(tree: PyTree, root: PyNode): void;
}

const FRESH_PARSE: PythonTreeSource = { treeFor: (text) => parsePython(text), release: deleteTree };

export function extractPython(text: string, filePath = '', source: PythonTreeSource = FRESH_PARSE): FileModel {
  const vocabulary = new VocabularyIndex(text, VOCABULARY);
  if (vocabulary.isEmpty) return EMPTY;
  const tree = source.treeFor(text, filePath);
  if (!tree) {
    return { language: 'python', sites: [], parseErrors: [{ message: 'the Python parser could not read this file', span: new FileContext(text, emptyRoot(text)).spanOf(0, 0) }] };
  }
  try {
    const root = copyTree(tree, vocabulary, source.earlierCopy?.(tree));
    source.keepCopy?.(tree, root);
    const error = root.hasError ? firstErrorNode(tree) : undefined;
    const file = new FileContext(text, root);
    const analysis: Analysis = { file, values: new ValueResolver(file) };
    const sites = collectSites(analysis);
    const parseErrors = error
      ? [{ message: error.missing ? `missing ${error.type}` : 'invalid syntax', span: file.spanOf(error.start, Math.max(error.start, error.end)) }]
      : [];
    return { language: 'python', sites, parseErrors };
  } finally {
    source.release(tree);
  }
}

function emptyRoot(text: string): PyNode {
  return { type: 'module', named: true, field: null, start: 0, end: text.length, children: [], parent: null, opaque: true, hasError: false };
}

function collectSites(analysis: Analysis): RetrySite[] {
  const entries: SiteWithRegion[] = [];
  for (const site of [...handWrittenLoops(analysis), ...recursiveRetries(analysis)]) entries.push({ site, region: nodeAt(analysis, site.span) });
  for (const entry of [...tenacitySites(analysis), ...backoffSites(analysis)]) {
    entries.push({ site: entry.site, region: entry.decorated ?? nodeAt(analysis, entry.site.span), ...(entry.decorated ? { decorated: entry.decorated } : {}), ...(entry.decorator ? { decorator: entry.decorator } : {}) });
  }
  for (const site of [...urllib3Sites(analysis), ...sdkClientSites(analysis)]) entries.push({ site });
  linkNestedSites(analysis, entries);
  const errorRanges = errorNodes(analysis.file.root);
  const retrySites = entries.map((entry) => entry.site).filter((site) => !errorRanges.some((range) => site.span.start <= range.start && range.start < site.span.end));
  const regions = entries.map((entry) => entry.region).filter((region): region is PyNode => region !== undefined);
  return [...retrySites, ...plainCalls(analysis, regions)];
}

/** The node whose span is exactly `span` (a loop, a wrapper call). */
function nodeAt(analysis: Analysis, span: Span): PyNode | undefined {
  return nodeWithSpan(analysis.file.root, span.start, span.end);
}

function errorNodes(root: PyNode): PyNode[] {
  const errors: PyNode[] = [];
  if (!root.hasError) return errors;
  walk(root, (node) => {
    if (!node.hasError) return false;
    if (node.type === 'ERROR' || node.children.every((child) => !child.hasError)) {
      errors.push(node);
      return false;
    }
    return true;
  });
  return errors;
}

function plainCalls(analysis: Analysis, regions: readonly PyNode[]): RetrySite[] {
  const sites: RetrySite[] = [];
  const inRegion = new RegionIndex(regions);
  walk(analysis.file.root, (node) => {
    if (node.opaque || node.type === 'ERROR') return false;
    if (node.type !== 'call' || node.hasError) return true;
    if (inRegion.covers(node.start, node.end)) return true;
    const call = recognizeCall(analysis, node);
    if (call) {
      sites.push(
        makeSite(
          { id: `call@${node.start}`, kind: 'call', language: 'python', library: call.library, span: call.span, reportSpan: call.span },
          { calls: [call] },
        ),
      );
    }
    return true;
  });
  return sites;
}
