/**
 * Extraction from one parsed file: runs every recognizer over the file index, then links
 * nested retries. A recognizer that fails on an odd construct loses its site, never the file.
 */
import { makeSite, valueOf, type FileModel, type RetrySite } from '@retrylint/shared';
import { linkAcrossModules } from './calls-across-modules.js';
import { ExtractionContext } from './context.js';
import { moduleLinks } from './cross-module.js';
import { FileIndex } from './file-index.js';
import { linkNesting, type FoundSite } from './nesting.js';
import { recognizeSdkClient } from './recognizers/ai-sdk.js';
import { recognizeAsyncRetry } from './recognizers/async-retry.js';
import { recognizeAxiosRetry } from './recognizers/axios-retry.js';
import { recognizeCall } from './recognizers/calls.js';
import { recognizeCockatiel } from './recognizers/cockatiel.js';
import { recognizeFetchRetry } from './recognizers/fetch-retry.js';
import { recognizeGotRetry } from './recognizers/got.js';
import { recognizeLoop, recognizeRecursion } from './recognizers/hand-written.js';
import { recognizeKyRetry } from './recognizers/ky.js';
import { recognizeLangchainModel } from './recognizers/langchain.js';
import { recognizeModelfusionRetry } from './recognizers/modelfusion.js';
import { recognizePRetry } from './recognizers/p-retry.js';
import { recognizeUndiciRetry } from './recognizers/undici.js';
import { recognizeVercelAiRetry } from './recognizers/vercel-ai.js';
import type { Program } from './syntax.js';
import { rethrowBudgetStop } from '../work-budget.js';

function attempt<T>(recognize: () => T | undefined): T | undefined {
  try {
    return recognize();
  } catch (error) {
    rethrowBudgetStop(error);
    return undefined;
  }
}

export function extractFromProgram(program: Program, text: string, filePath?: string): FileModel {
  const index = new FileIndex(program);
  const context = new ExtractionContext(text, index, filePath);
  const found: FoundSite[] = [];
  const add = (site: FoundSite | RetrySite | undefined): void => {
    if (!site) return;
    found.push('site' in site ? site : { site });
  };
  for (const loop of index.loops) {
    add(attempt(() => {
      const site = recognizeLoop(loop, context);
      return site ? { site, regions: [loop.body] } : undefined;
    }));
  }
  for (const fn of index.functions) {
    add(attempt(() => {
      const site = recognizeRecursion(fn, context);
      return site ? { site, regions: [fn.body] } : undefined;
    }));
  }
  for (const call of index.calls) {
    add(attempt(() => recognizePRetry(call, context)));
    add(attempt(() => recognizeAsyncRetry(call, context)));
    add(attempt(() => recognizeCockatiel(call, context)));
    add(attempt(() => recognizeAxiosRetry(call, context)));
    add(attempt(() => recognizeFetchRetry(call, context)));
    add(attempt(() => recognizeGotRetry(call, context)));
    add(attempt(() => recognizeKyRetry(call, context)));
    add(attempt(() => recognizeVercelAiRetry(call, context)));
    add(attempt(() => recognizeModelfusionRetry(call, context)));
    add(attempt(() => sdkCallSite(call, context)));
  }
  for (const node of index.news) {
    add(attempt(() => recognizeSdkClient(node, context)));
    add(attempt(() => recognizeUndiciRetry(node, context)));
    add(attempt(() => recognizeLangchainModel(node, context)));
  }
  const local = attempt(() => linkNesting(found, context)) ?? found.map((entry) => entry.site);
  const project = moduleLinks()?.project;
  const sites = project ? (attempt(() => linkAcrossModules(found, local, context, project)) ?? local) : local;
  return { language: 'typescript', sites, parseErrors: [] };
}

/**
 * An SDK call anywhere is judged on its own (require-timeout), like Ruff's S113 for requests; so
 * is a call through a client that retries by itself (ky's GET, an axios instance with axios-retry).
 */
function sdkCallSite(call: Parameters<typeof recognizeCall>[0], context: ExtractionContext): RetrySite | undefined {
  const recognized = recognizeCall(call, context);
  const attempts = recognized ? valueOf(recognized.facts.clientAttempts) : undefined;
  if (!recognized || (recognized.facts.kind !== 'sdk' && !(attempts !== undefined && attempts > 1))) return undefined;
  return makeSite(context.identity('call', recognized.facts.library, call), { calls: [recognized.facts] });
}
