import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSync } from 'oxc-parser';
import { describe, expect, it } from 'vitest';
import { restoreDownleveledAsync } from '../../../../linter/src/frontends/typescript/downleveled-async.js';
import { extractFromProgram } from '../../../../linter/src/frontends/typescript/extract.js';
import type { Program } from '../../../../linter/src/frontends/typescript/syntax.js';
import { extract } from './extract-helpers.js';

// The CLI and the server parse into oxc's JS-shaped tree (no type annotations); ESLint's
// parser gives the TS-shaped one. Both must give the same sites.
const fixtureDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/typescript');

function tsShapedModel(code: string, file: string) {
  const lang = file.endsWith('.tsx') ? 'tsx' : /\.[cm]?js$/.test(file) ? 'jsx' : 'ts';
  const program = parseSync(file, code, { lang, astType: 'ts', range: true, preserveParens: false }).program as unknown as Program;
  restoreDownleveledAsync(program, code);
  return extractFromProgram(program, code, file);
}

const snippets: Record<string, string> = {
  'typed parameters': [
    "import OpenAI from 'openai';",
    "import Anthropic from '@anthropic-ai/sdk';",
    "export const one = (ai: OpenAI) => ai.responses.create({ model: 'm', input: 'x' });",
    "export const two = async (ai: OpenAI<Record<string, () => void>> = undefined!) => ai!.chat.completions.create({ model: 'm', messages: [] });",
    "export function three(this: unknown, first: string, ai: Anthropic) { return ai.messages.create({ model: 'm', max_tokens: 1, messages: [] }); }",
    "export const four = (ai: OpenAI | undefined) => ai?.responses.create({ model: 'm', input: 'x' });",
    "export const five = (ai: typeof OpenAI) => (ai as any).responses.create({ model: 'm', input: 'x' });",
    "export class Agent { constructor(private readonly ai: OpenAI, protected other?: Anthropic) {}",
    "  run(ai: OpenAI) { return ai.responses.create({ model: 'm', input: 'x' }); } }",
  ].join('\n'),
  'type arguments before an argument list': [
    "import OpenAI from 'openai';",
    "const client = new OpenAI<{ a: () => number }>();",
    "export const run = () => client.responses.create<{ b: Array<string> }>({ model: 'm', input: 'x' });",
    "export const none = () => client.responses.create<string>();",
  ].join('\n'),
};

describe('the JS-shaped tree the CLI parses', () => {
  const fixtures = readdirSync(fixtureDir).filter((name) => !name.includes('.fixed.'));

  it.each(fixtures)('gives the same sites as the TS-shaped tree: fixture %s', (name) => {
    const code = readFileSync(path.join(fixtureDir, name), 'utf8');
    const model = extract(code, name);
    expect(model.parseErrors).toEqual([]);
    expect(model.sites).toEqual(tsShapedModel(code, name).sites);
  });

  it.each(Object.entries(snippets))('gives the same sites as the TS-shaped tree: %s', (_, code) => {
    const sites = extract(code).sites;
    expect(extract(code).parseErrors).toEqual([]);
    expect(sites.length).toBeGreaterThan(1);
    expect(sites).toEqual(tsShapedModel(code, 'example.ts').sites);
  });
});
