/** createEngine with a retrylint.config.json: the app retries by the policy its CI lints with. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../linter/src/config/config-error.js';
import { createEngine, loadPolicy } from '../../linter/src/engine/index.js';
import { makeProject } from '../e2e/cli-harness.js';
import { giveUpOf, labServer, MESSAGES } from './lab/lab-harness.js';

const CONFIG = `{
  "extends": "retrylint:recommended",
  "profile": "ai-api",
  "policy": { "maxAttempts": 3, "baseDelayMs": 5, "maxDelayMs": 10 },
  "rules": { "no-retry-permanent-errors": ["error", { "permanentErrorCodes": ["overloaded"] }] },
  "overrides": [{ "files": ["src/batch/**"], "policy": { "maxAttempts": 2 } }]
}`;

describe('createEngine({ config })', () => {
  it("takes the attempts from the config's policy, and the overrides of the file it is for", async () => {
    const project = makeProject({ 'retrylint.config.json': CONFIG.replace('["overloaded"]', '[]') });
    try {
      const server = await labServer([{ scenario: 'server-errors', errors: 1, period: 1 }]);
      const app = createEngine({ cwd: project.dir });
      expect((await giveUpOf(app.call({ url: server.chat, body: MESSAGES }))).attempts).toHaveLength(3);
      const batch = createEngine({ cwd: project.dir, forFile: 'src/batch/nightly.ts' });
      expect((await giveUpOf(batch.call({ url: server.chat, body: MESSAGES }))).attempts).toHaveLength(2);
      expect(loadPolicy({ cwd: project.dir }).configFile).toBe(path.join(project.dir, 'retrylint.config.json'));
    } finally {
      project.dispose();
    }
  });

  it("treats as permanent the error codes the config's no-retry-permanent-errors lists", async () => {
    const project = makeProject({ 'app.json': CONFIG });
    try {
      const server = await labServer([{ scenario: 'server-errors', errors: 1, period: 1 }]);
      const failure = await giveUpOf(createEngine({ config: path.join(project.dir, 'app.json') }).call({ url: server.chat, body: MESSAGES }));
      expect(failure.reason).toBe('permanent-code');
      expect(failure.attempts).toHaveLength(1);
    } finally {
      project.dispose();
    }
  });

  it('without a config file: the recommended policy', () => {
    const project = makeProject({});
    try {
      const loaded = loadPolicy({ cwd: project.dir });
      expect(loaded.configFile).toBeUndefined();
      expect(loaded.policy).toMatchObject({ profile: 'ai-api', maxAttempts: 5 });
    } finally {
      project.dispose();
    }
  });

  it('a config with a problem throws a ConfigError that names its line and column', () => {
    const project = makeProject({ 'retrylint.config.json': '{\n  "policy": { "maxAttempts": "five" }\n}' });
    try {
      expect(() => createEngine({ cwd: project.dir })).toThrow(ConfigError);
      expect(() => createEngine({ cwd: project.dir })).toThrow(/retrylint\.config\.json:2:30 policy\.maxAttempts: expected an integer >= 1, found "five"/);
    } finally {
      project.dispose();
    }
  });
});
