import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCrossModuleResolution } from '../../../../linter/src/frontends/typescript/index.js';
import { extract, onlySite, value } from './extract-helpers.js';

const user = `import { openai } from './clients.js';
export async function ask(prompt: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] });
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
    }
  }
}`;

describe('cross-module resolution of imported clients', () => {
  let folder = '';
  beforeAll(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'retrylint-xmod-'));
    fs.writeFileSync(path.join(folder, 'clients.ts'), "import OpenAI from 'openai';\nexport const openai = new OpenAI({ maxRetries: 4, timeout: 20_000 });\n");
  });
  afterAll(() => {
    setCrossModuleResolution(false);
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('is off by default: the imported client is not known', () => {
    setCrossModuleResolution(false);
    expect(onlySite(user, 'loop', path.join(folder, 'ask.ts')).calls).toEqual([]);
  });

  it('when on, reads the client settings from the other module, without levers into it', () => {
    setCrossModuleResolution(true);
    const [call] = onlySite(user, 'loop', path.join(folder, 'ask.ts')).calls;
    expect([call.library, value(call.clientAttempts), value(call.timeout)]).toEqual(['openai', 5, { kind: 'explicit', ms: 20_000 }]);
    // The fix switches retries off on this request, in this file.
    expect(call.clientRetriesSlot).toMatchObject({ name: 'maxRetries', style: 'options-argument' });
    expect(call.clientSpan).toBeUndefined();
  });

  it('parses an imported module once: its own turn reuses the tree while its text is unchanged', async () => {
    setCrossModuleResolution(true);
    const { alreadyParsed } = await import('../../../../linter/src/frontends/typescript/cross-module.js');
    onlySite(user, 'loop', path.join(folder, 'ask.ts'));
    const clients = path.join(folder, 'clients.ts');
    const text = fs.readFileSync(clients, 'utf8');
    expect(alreadyParsed(clients, text)?.type).toBe('Program');
    expect(alreadyParsed(clients, `${text}\n// edited`)).toBeUndefined();
    expect(extract(text, clients).sites.map((site) => site.kind)).toEqual(['client']);
  });

  it('an import it cannot resolve stays unknown', () => {
    setCrossModuleResolution(true);
    const model = extract(user.replace('./clients.js', './missing.js'), path.join(folder, 'ask.ts'));
    expect(model.sites.find((site) => site.kind === 'loop')?.calls).toEqual([]);
  });
});

describe('cross-module resolution of imported option objects', () => {
  let folder = '';
  const user = `import pRetry from 'p-retry';
import { retryOptions } from './retry-options.js';
export const load = (run: () => Promise<string>) => pRetry(run, retryOptions);`;

  beforeAll(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'retrylint-xmod-options-'));
    fs.writeFileSync(
      path.join(folder, 'retry-options.ts'),
      'export const retryOptions = { retries: 20, minTimeout: 500, maxTimeout: 30_000, randomize: true };\n',
    );
    fs.writeFileSync(path.join(folder, 'cycle-a.ts'), "import { b } from './cycle-b.js';\nexport const a = b;\n");
    fs.writeFileSync(path.join(folder, 'cycle-b.ts'), "import { a } from './cycle-a.js';\nexport const b = a;\n");
  });
  afterAll(() => {
    setCrossModuleResolution(false);
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('is off by default: the imported options are unknown', () => {
    setCrossModuleResolution(false);
    expect(onlySite(user, 'wrapper', path.join(folder, 'load.ts')).attempts.max.kind).toBe('unknown');
  });

  it('when on, reads the options from the other module, without levers into it', () => {
    setCrossModuleResolution(true);
    const site = onlySite(user, 'wrapper', path.join(folder, 'load.ts'));
    expect([value(site.attempts.max), value(site.delay.baseMs), value(site.delay.capMs), value(site.delay.jitter)]).toEqual([21, 500, 30_000, 'proportional']);
    expect(site.attempts.slot).toBeUndefined();
    // Findings point into this file, at the imported name, never at offsets of the other module.
    const anchor = user.split('\n')[2].indexOf('retryOptions');
    expect(site.attempts.max.span).toMatchObject({ line: 3, column: anchor + 1 });
  });

  it('stays unknown through an import cycle', () => {
    setCrossModuleResolution(true);
    const cyclic = user.replace("{ retryOptions } from './retry-options.js'", "{ a as retryOptions } from './cycle-a.js'");
    expect(onlySite(cyclic, 'wrapper', path.join(folder, 'load.ts')).attempts.max.kind).toBe('unknown');
  });
});
