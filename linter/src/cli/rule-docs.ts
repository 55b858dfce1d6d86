import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { moduleDirectory } from './here.js';

/** The build copies the docs next to the bundle; from the sources they are in shared/. */
function docsDirectories(): string[] {
  const here = moduleDirectory();
  return [path.join(here, 'docs'), path.resolve(here, '../../../shared/docs/rules')];
}

const cache = new Map<string, string | undefined>();

/** A rule's Markdown doc page, or undefined when the docs are not shipped. */
export function readRuleDoc(ruleId: string): string | undefined {
  if (!/^[a-z0-9-]+$/.test(ruleId)) return undefined;
  if (cache.has(ruleId)) return cache.get(ruleId);
  let doc: string | undefined;
  for (const directory of docsDirectories()) {
    const file = path.join(directory, `${ruleId}.md`);
    if (existsSync(file)) {
      doc = readFileSync(file, 'utf8');
      break;
    }
  }
  cache.set(ruleId, doc);
  return doc;
}
