import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../linter/src/config/config-error.js';
import { ConfigResolver } from '../../../linter/src/config/file-config.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'retrylint-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, value: unknown): string {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return file;
}

describe('ConfigResolver', () => {
  it('uses the nearest config up the tree, and the defaults where there is none', () => {
    write('retrylint.config.json', { policy: { maxAttempts: 7 } });
    write('pkg/retrylint.config.json', { policy: { maxAttempts: 2 } });
    const resolver = new ConfigResolver({ cwd: dir });
    expect(resolver.forFile(path.join(dir, 'pkg/deep/a.py')).policy.maxAttempts).toBe(2);
    expect(resolver.forFile(path.join(dir, 'b.py')).policy.maxAttempts).toBe(7);
    expect(resolver.forFile(path.join(dir, 'pkg/deep/a.py')).configFile).toBe(path.join(dir, 'pkg/retrylint.config.json'));
  });

  it('--config replaces the lookup for every file', () => {
    write('pkg/retrylint.config.json', { policy: { maxAttempts: 2 } });
    const explicit = write('ci.json', { policy: { maxAttempts: 9 } });
    const resolver = new ConfigResolver({ cwd: dir, configFile: explicit });
    expect(resolver.forFile(path.join(dir, 'pkg/a.py')).policy.maxAttempts).toBe(9);
  });

  it('flattens extends (files and presets) before the file; overrides match relative to the extending config', () => {
    write('shared/base.json', { extends: 'retrylint:strict', policy: { maxAttempts: 4 }, overrides: [{ files: 'db/**', profile: 'db-failover' }] });
    write('app/retrylint.config.json', { extends: '../shared/base.json', rules: { 'require-jitter': 'off' } });
    const resolver = new ConfigResolver({ cwd: dir });
    const file = resolver.forFile(path.join(dir, 'app/x.py'));
    expect(file.policy.maxAttempts).toBe(4);
    expect(file.policy.judgeLibraryDefaults).toBe(true);
    expect(file.rules['require-jitter'].severity).toBe('off');
    // The base's `db/**` means app/db/ for the app config that extends it.
    expect(resolver.forFile(path.join(dir, 'app/db/x.py')).policy.profile).toBe('db-failover');
    expect(resolver.forFile(path.join(dir, 'app/x.py')).policy.profile).toBe('ai-api');
  });

  it('reports an extends cycle at the extends entry', () => {
    write('a.json', '{\n  "extends": "./b.json"\n}');
    write('b.json', '{\n  "extends": "./a.json"\n}');
    const resolver = new ConfigResolver({ cwd: dir, configFile: path.join(dir, 'a.json') });
    expect(() => resolver.forFile(path.join(dir, 'x.py'))).toThrow(ConfigError);
    expect(() => resolver.forFile(path.join(dir, 'x.py'))).toThrow(/^b\.json:2:14 extends: "\.\/a\.json" extends itself/);
  });

  it('applies --rule flags last', () => {
    write('retrylint.config.json', { rules: { 'bounded-attempts': 'off' } });
    const resolver = new ConfigResolver({ cwd: dir, ruleFlags: { 'bounded-attempts': 'warn' } });
    expect(resolver.forFile(path.join(dir, 'a.py')).rules['bounded-attempts'].severity).toBe('warn');
  });
});
