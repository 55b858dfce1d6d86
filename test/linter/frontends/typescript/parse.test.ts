import { describe, expect, it } from 'vitest';
import { frontend } from '../../../../linter/src/frontends/typescript/index.js';
import { extract } from './extract-helpers.js';

describe('typescript frontend: parsing', () => {
  it('turns a syntax error into one parse error at the parser position', () => {
    const model = extract('const ok = 1;\nconst broken = ;\n');
    expect(model.sites).toEqual([]);
    expect(model.parseErrors).toHaveLength(1);
    expect(model.parseErrors[0].span).toMatchObject({ line: 2, column: 16 });
    expect(frontend.parses('const broken = ;', 'a.ts')).toBe(false);
    expect(frontend.parses('const fine = 1;', 'a.ts')).toBe(true);
  });

  it.each([
    ['a.tsx', 'const View = () => <div>{(1 as number)}</div>;'],
    ['a.jsx', 'const View = () => <div />;'],
    ['a.mts', 'export const n: number = 1;'],
    ['a.cts', 'const x = require("p-retry"); export = x;'],
    ['a.mjs', 'export default 1;'],
    ['a.cjs', 'module.exports = 1;'],
    ['a.js', 'const f = () => <b />;'],
    ['a.d.ts', 'export declare const limit: number;\nexport const Definition: { new (): object };'],
    ['a.d.cts', 'export const Definition: { new (): object };'],
  ])('parses %s', (file, code) => {
    expect(extract(code, file).parseErrors).toEqual([]);
  });

  it('never throws on binary garbage or odd text', () => {
    const garbage = String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => (i * 7919) % 65536));
    expect(() => extract(garbage)).not.toThrow();
    expect(() => extract('\uFEFF\u0000\uD800for (;;) { try {} catch {} }')).not.toThrow();
    expect(() => extract('')).not.toThrow();
  });

  it('survives deep nesting without overflowing the stack', () => {
    const depth = 5_000;
    const code = `const x = ${'['.repeat(depth)}1${']'.repeat(depth)};`;
    const model = extract(code);
    expect(model.sites).toEqual([]);
  });

  it('reads a large generated file in linear time', () => {
    const block = (i: number) => `export async function f${i}(url) {
  for (let attempt = 0; attempt < 3; attempt++) {
    try { return await fetch(url, { signal: AbortSignal.timeout(1000) }); }
    catch (error) { if (!(error instanceof TypeError)) throw error; await new Promise((r) => setTimeout(r, 100 * 2 ** attempt)); }
  }
}
`;
    const code = Array.from({ length: 2_000 }, (_, i) => block(i)).join('');
    const started = performance.now();
    const model = extract(code, 'big.js');
    const elapsed = performance.now() - started;
    expect(model.sites.filter((site) => site.kind === 'loop')).toHaveLength(2_000);
    expect(elapsed).toBeLessThan(15_000);
  });
});
