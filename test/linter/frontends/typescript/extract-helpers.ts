import type { FileModel, RetrySite } from '@retrylint/shared';
import { frontend } from '../../../../linter/src/frontends/typescript/index.js';

await frontend.load();

export function extract(code: string, filePath = 'example.ts'): FileModel {
  return frontend.extract(code, filePath);
}

/** The only site of a kind (fails the test when there is not exactly one). */
export function onlySite(code: string, kind?: RetrySite['kind'], filePath = 'example.ts'): RetrySite {
  const sites = extract(code, filePath).sites.filter((site) => !kind || site.kind === kind);
  if (sites.length !== 1) throw new Error(`expected one ${kind ?? ''} site, got ${sites.length}: ${sites.map((site) => site.id).join(', ')}`);
  return sites[0];
}

/** A Maybe's value, or 'unknown'. */
export function value<T>(maybe: { kind: 'known'; value: T } | { kind: 'unknown' } | undefined): T | 'unknown' {
  return maybe && maybe.kind === 'known' ? maybe.value : 'unknown';
}
