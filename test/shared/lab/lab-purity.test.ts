import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const labDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/src/lab');

describe('the simulator runs anywhere (a webview too) and only in virtual time', () => {
  for (const file of readdirSync(labDir).filter((name) => name.endsWith('.ts'))) {
    it(file, () => {
      const text = readFileSync(path.join(labDir, file), 'utf8');
      expect(text).not.toMatch(/from '(node:|fs|path|os|child_process|worker_threads)/);
      expect(text).not.toMatch(/\b(Date\.now|new Date\(|performance\.now|setTimeout|setInterval|Math\.random)\b/);
    });
  }
});
