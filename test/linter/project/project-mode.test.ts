/**
 * Project mode on a fixture application whose retries are spread over several modules: path
 * aliases, barrels, `export *`, renamed re-exports, an injected client typed through an alias,
 * a got instance exported from another module and a three-file nested-retry chain.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type Finding } from '@retrylint/shared';
import { setProjectSessions, frontend } from '../../../linter/src/frontends/typescript/index.js';
import { ProjectSessions } from '../../../linter/src/frontends/typescript/project/index.js';
import { isFatal, lintText } from '../../../linter/src/lint.js';
import { ALL_RULES_ON } from '../fixture-harness.js';

const fixture = path.resolve(__dirname, '../../fixtures/projects/llm-app');
let root: string;

beforeAll(async () => {
  await frontend.load();
  root = mkdtempSync(path.join(os.tmpdir(), 'retrylint-project-'));
  cpSync(fixture, root, { recursive: true });
});

afterAll(() => {
  setProjectSessions(undefined);
  rmSync(root, { recursive: true, force: true });
});

async function findings(relative: string, sessions: ProjectSessions | undefined, text?: string): Promise<Finding[]> {
  setProjectSessions(sessions);
  try {
    const file = path.join(root, relative);
    const result = await lintText(text ?? readFileSync(file, 'utf8'), file, { policy: DEFAULT_POLICY, rules: ALL_RULES_ON });
    return result.messages.filter((message): message is Finding => !isFatal(message));
  } finally {
    setProjectSessions(undefined);
  }
}

function byRule(list: readonly Finding[], ruleId: string): Finding[] {
  return list.filter((finding) => finding.ruleId === ruleId);
}

describe('project mode: facts across modules', () => {
  it('reads a limit imported through a path alias, and names the chain to a client built in another module', async () => {
    const list = await findings('src/jobs/summarise.ts', new ProjectSessions());
    expect(byRule(list, 'bounded-attempts').map((finding) => finding.message)).toEqual(['Makes up to 12 attempts (limit 5).']);
    const [nested] = byRule(list, 'no-nested-retries');
    expect(nested.message).toBe(
      'Up to 36 requests per call (outer 12 x SDK 3): the client retries by itself inside this retry, through src/jobs/summarise.ts:9 -> src/llm/ask.ts:4 -> client built at src/llm/client.ts:3.',
    );
    expect(nested.span.line).toBe(9);
    expect(nested.fix?.applicability).toBe('unsafe');
    const intent = nested.fix?.intents[0];
    expect(intent?.kind === 'set-option' && intent.slot.file).toBe(path.join(root, 'src/llm/client.ts'));
  });

  it('per file, the same code has none of these facts', async () => {
    const list = await findings('src/jobs/summarise.ts', undefined);
    expect(byRule(list, 'bounded-attempts')).toEqual([]);
    expect(byRule(list, 'no-nested-retries')).toEqual([]);
  });

  it('follows a renamed re-export through a barrel with `export *` to the options object', async () => {
    const list = await findings('src/jobs/translate.ts', new ProjectSessions());
    expect(byRule(list, 'bounded-attempts').map((finding) => finding.message)).toEqual(['Makes up to 11 attempts (limit 5).']);
    expect(byRule(list, 'bounded-delay')[0]?.message).toBe('With 11 attempts and no cap, the delay grows to 256 s (limit 60 s).');
    expect(byRule(list, 'no-nested-retries')[0]?.message).toContain('through src/jobs/translate.ts:6 -> src/llm/ask.ts:4 -> client built at src/llm/client.ts:3');
  });

  it('knows an injected client from its declared type, through a type alias in another module', async () => {
    const list = await findings('src/services/chat-service.ts', new ProjectSessions());
    expect(byRule(list, 'no-stream-retry')).toHaveLength(1);
    expect(byRule(await findings('src/services/chat-service.ts', undefined), 'no-stream-retry')).toEqual([]);
  });

  it('knows an injected axios instance by its declared type, so the loop around it is a retry', async () => {
    expect(byRule(await findings('src/services/http-service.ts', new ProjectSessions()), 'no-catch-all-retry').map((finding) => finding.span.line)).toEqual([10]);
    expect(await findings('src/services/http-service.ts', undefined)).toEqual([]);
  });

  it('reads a got instance exported from another module', async () => {
    const [nested] = byRule(await findings('src/jobs/sync.ts', new ProjectSessions()), 'no-nested-retries');
    expect(nested?.message).toMatch(/^Up to 12 requests per call \(outer 4 x got 3\)/);
  });

  it('multiplies a retry three files away and names every step', async () => {
    const [nested] = byRule(await findings('src/jobs/report.ts', new ProjectSessions()), 'no-nested-retries');
    expect(nested?.message).toBe(
      'Up to 18 attempts per call (outer 3 x inner 6): another retry (p-retry) runs inside this one, through src/jobs/report.ts:9 -> src/reports/build.ts:4 -> retry at src/http/fetch-with-retry.ts:4.',
    );
    expect(await findings('src/jobs/report.ts', undefined)).toEqual([]);
  });

  it('reads a retryable-status predicate and a delay helper from other modules', async () => {
    const list = await findings('src/jobs/poll.ts', new ProjectSessions());
    expect(byRule(list, 'respect-retry-after').map((finding) => finding.span.line)).toEqual([8]);
    expect(byRule(list, 'require-jitter').map((finding) => finding.message)).toEqual([
      'Exponential backoff without jitter: clients that failed together retry at the same moments (policy jitter: full).',
    ]);
    const perFile = await findings('src/jobs/poll.ts', undefined);
    expect(byRule(perFile, 'respect-retry-after')).toEqual([]);
    expect(byRule(perFile, 'require-jitter')).toEqual([]);
  });

  it('follows a change in the file that builds the client', async () => {
    const sessions = new ProjectSessions();
    expect(byRule(await findings('src/jobs/summarise.ts', sessions), 'no-nested-retries')).toHaveLength(1);
    const client = path.join(root, 'src/llm/client.ts');
    const edited = readFileSync(client, 'utf8').replace('timeout: 30_000,', 'timeout: 30_000,\n  maxRetries: 0,');
    sessions.sessionFor(client)!.setText(client, edited);
    expect(byRule(await findings('src/jobs/summarise.ts', sessions), 'no-nested-retries')).toEqual([]);
    expect(byRule(await findings('src/jobs/summarise.ts', sessions), 'bounded-attempts')).toHaveLength(1);
  });
});

describe('project mode: odd programs', () => {
  it('survives import cycles and calls that recurse across modules', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'retrylint-cycle-'));
    try {
      writeFileSync(path.join(dir, 'tsconfig.json'), '{ "compilerOptions": { "strict": true } }');
      writeFileSync(path.join(dir, 'a.ts'), "import { b } from './b';\nexport const LIMIT = 4;\nexport function a(n: number): Promise<unknown> { return b(n); }\n");
      writeFileSync(
        path.join(dir, 'b.ts'),
        "import { a, LIMIT } from './a';\nimport OpenAI from 'openai';\nconst client = new OpenAI();\nexport async function b(n: number): Promise<unknown> {\n  if (n > 0) return a(n - 1);\n  for (let attempt = 0; attempt < LIMIT; attempt++) {\n    try { return await client.models.list(); } catch { await new Promise((r) => setTimeout(r, 2 ** attempt * 100 * Math.random())); }\n  }\n}\n",
      );
      setProjectSessions(new ProjectSessions());
      const text = readFileSync(path.join(dir, 'b.ts'), 'utf8');
      const result = await lintText(text, path.join(dir, 'b.ts'), { policy: DEFAULT_POLICY, rules: ALL_RULES_ON });
      const nested = result.messages.filter((message) => message.ruleId === 'no-nested-retries');
      expect(nested.map((message) => message.message)).toEqual([expect.stringMatching(/^Up to 12 requests per call \(outer 4 x SDK 3\)/)]);
    } finally {
      setProjectSessions(undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
