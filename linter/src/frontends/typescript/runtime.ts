/**
 * Where a file's code runs, as far as the file says: Node (it imports Node's built-in modules
 * or reads `process.env`), a browser (JSX, `window`, `document`, a UI framework), or unknown.
 * It matters for fetch: Node's fetch (undici) gives up after 300 s without response headers,
 * a browser's never does.
 */
import { builtinModules } from 'node:module';
import type { ExtractionContext } from './context.js';

export type Runtime = 'node' | 'browser' | 'unknown';

const NODE_BUILTINS = new Set(builtinModules);
const BROWSER_MODULES = /^(react|react-dom|vue|svelte|solid-js|preact|@angular\/core)(\/|$)/;

function importsNode(context: ExtractionContext): boolean {
  for (const module of context.index.importedModules) {
    if (module.startsWith('node:') || NODE_BUILTINS.has(module)) return true;
  }
  return /\bprocess\.(env|argv|exit)\b/.test(context.text);
}

function looksLikeBrowser(context: ExtractionContext): boolean {
  if (context.filePath && /\.[jt]sx$/i.test(context.filePath)) return true;
  for (const module of context.index.importedModules) if (BROWSER_MODULES.test(module)) return true;
  return /\b(window|document|localStorage|navigator)\.\w/.test(context.text);
}

export function runtimeOf(context: ExtractionContext): Runtime {
  return context.memo('runtime', () => {
    const node = importsNode(context);
    const browser = looksLikeBrowser(context);
    return node === browser ? 'unknown' : node ? 'node' : 'browser';
  });
}

/** Node's fetch (undici): `headersTimeout` and `bodyTimeout` default to 300 s. */
export const NODE_FETCH_TIMEOUT_MS = 300_000;
