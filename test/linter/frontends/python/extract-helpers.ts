import { valueOf, type FileModel, type RetrySite } from '@retrylint/shared';
import { frontend } from '../../../../linter/src/frontends/python/index.js';

export async function extract(text: string): Promise<FileModel> {
  await frontend.load();
  return frontend.extract(text, 'sample.py');
}

export async function onlySite(text: string, kind?: RetrySite['kind']): Promise<RetrySite> {
  const model = await extract(text);
  const sites = model.sites.filter((site) => (kind ? site.kind === kind : site.kind !== 'call'));
  if (sites.length !== 1) throw new Error(`expected one site, got ${sites.map((site) => site.id).join(', ') || 'none'}`);
  return sites[0];
}

export { valueOf };
