/**
 * `retrylint/engine` as an application gets it: the package packed with `npm pack`, unpacked
 * into a project's node_modules, then required, imported and type-checked from there. Nothing
 * else is installed beside it, so the bundle must stand alone; its declarations may only need
 * packages retrylint depends on (linked in from the repository's node_modules, as npm would
 * install them).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../e2e/cli-harness.js';

let app = '';

beforeAll(() => {
  app = mkdtempSync(path.join(os.tmpdir(), 'retrylint-engine-app-'));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', app], { cwd: path.join(repoRoot, 'linter'), encoding: 'utf8' }),
  ) as { filename: string }[];
  const installed = path.join(app, 'node_modules/retrylint');
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(app, packed[0].filename), '-C', installed, '--strip-components=1']);
  const declarations = readdirSync(path.join(installed, 'dist/engine-types'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.d.cts'));
  const imported = new Set(
    declarations.flatMap((file) =>
      [...readFileSync(path.join(installed, 'dist/engine-types', file), 'utf8').matchAll(/from '([^.'][^']*)'/g)].map((match) => match[1].split('/')[0]),
    ),
  );
  for (const name of imported) symlinkSync(path.join(repoRoot, 'node_modules', name), path.join(app, 'node_modules', name), 'dir');
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
}, 60_000);

afterAll(() => rmSync(app, { recursive: true, force: true }));

function node(args: readonly string[]): string {
  return execFileSync(process.execPath, args, { cwd: app, encoding: 'utf8' });
}

const CALL_THE_LAB = `
  const server = await startLabServer({ scenario: { name: 'blip', steps: [{ scenario: 'server-errors', errors: 1, period: 1, requests: 1 }, { scenario: 'ok' }] } });
  const engine = createEngine({ policy: resolvePolicy('ai-api', { baseDelayMs: 5, maxDelayMs: 10 }) });
  const result = await engine.call({ url: server.url + '/v1/chat/completions', body: { messages: [{ role: 'user', content: 'hi' }] } });
  await server.close();
  console.log(JSON.stringify(result.attempts.map((attempt) => attempt.status)));
`;

describe('retrylint/engine from the packed package', () => {
  it('require() gets the public API, and it calls a lab server with retries', () => {
    const output = node(['-e', `const { createEngine, resolvePolicy, startLabServer, RetryGiveUpError } = require('retrylint/engine'); (async () => { ${CALL_THE_LAB} })();`]);
    expect(output.trim()).toBe('[503,200]');
    const names = node(['-e', "console.log(Object.keys(require('retrylint/engine')).sort().join(' '))"]).trim().split(' ');
    expect(names).toEqual(
      expect.arrayContaining(['createEngine', 'RetryEngine', 'RetryGiveUpError', 'loadPolicy', 'undiciTransport', 'startLabServer', 'TokenBucket', 'CircuitBreaker', 'RetryBudget']),
    );
    // A deliberate API: none of the linter's internals (rules, judge, frontends) leak out.
    expect(names).not.toContain('judgeSites');
    expect(names).not.toContain('rules');
  });

  it('an ES module imports the same names', () => {
    const output = node(['--input-type=module', '-e', `import { createEngine, resolvePolicy, startLabServer } from 'retrylint/engine'; ${CALL_THE_LAB}`]);
    expect(output.trim()).toBe('[503,200]');
  });

  it('its declarations resolve and type-check for CommonJS and ES module code (without skipLibCheck)', () => {
    const source = `
      import { createEngine, RetryGiveUpError, type EngineEvent, type LabServer, type Policy } from 'retrylint/engine';
      export async function ask(server: LabServer, policy: Policy): Promise<string> {
        const engine = createEngine({ policy, onEvent: (event: EngineEvent) => { if (event.type === 'attempt') console.log(event.decision.action); } });
        try {
          const result = await engine.call({ url: server.url + '/v1/chat/completions', body: { messages: [] }, signal: AbortSignal.timeout(1000) });
          return result.text;
        } catch (error) {
          if (error instanceof RetryGiveUpError) return error.reason;
          throw error;
        }
      }
      // @ts-expect-error url is a string: the types are real, not any
      createEngine({}).call({ url: 42 });
    `;
    writeFileSync(path.join(app, 'ask.cts'), source);
    writeFileSync(path.join(app, 'ask.mts'), source);
    writeFileSync(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        // Every .d.ts is checked but TypeScript's own libraries; the DOM library gives AbortSignal and console.
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          lib: ['es2022', 'dom'],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          skipDefaultLibCheck: true,
          types: [],
        },
        files: ['ask.cts', 'ask.mts'],
      }),
    );
    const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
    const result = (() => {
      try {
        return { code: 0, output: node([tsc, '-p', 'tsconfig.json']) };
      } catch (error) {
        const failed = error as { status: number; stdout: string };
        return { code: failed.status, output: failed.stdout };
      }
    })();
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  }, 60_000);
});
