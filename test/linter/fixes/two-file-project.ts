/** A temp project for cross-file fix tests: a client built in llm/client.ts, called from jobs/summarise.ts. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LineIndex, type Fix } from '@retrylint/shared';
import { afterEach, beforeEach } from 'vitest';

export interface TwoFileProject {
  readonly dir: string;
  readonly clientFile: string;
  readonly jobFile: string;
  readonly remove: () => void;
}

export function twoFileProject(clientText: string, jobText: string): TwoFileProject {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'retrylint-xfix-'));
  mkdirSync(path.join(dir, 'llm'));
  mkdirSync(path.join(dir, 'jobs'));
  const clientFile = path.join(dir, 'llm/client.ts');
  const jobFile = path.join(dir, 'jobs/summarise.ts');
  writeFileSync(clientFile, clientText);
  writeFileSync(jobFile, jobText);
  return { dir, clientFile, jobFile, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * no-nested-retries' fix as project mode gives it: `maxRetries: 0` in the object literal
 * that starts at `marker` in the client file's text (as read before the run's fixes).
 */
export function switchOffInClient(clientText: string, clientFile: string, marker: string): Fix {
  const open = clientText.indexOf(marker);
  const container = new LineIndex(clientText).span(open, clientText.indexOf('}', open) + 1);
  return {
    title: "Switch off the client's own retries where it is built (llm/client.ts:2): maxRetries = 0",
    applicability: 'unsafe',
    intents: [{ kind: 'set-option', slot: { name: 'maxRetries', style: 'object-property', unit: 'retries', container, file: clientFile }, value: 1 }],
  };
}

/** A fresh project for each test of the calling suite, removed after it. */
export function twoFileProjectPerTest(clientText: string, jobText: string): { readonly current: TwoFileProject } {
  const holder = {} as { current: TwoFileProject };
  beforeEach(() => {
    holder.current = twoFileProject(clientText, jobText);
  });
  afterEach(() => holder.current.remove());
  return holder;
}
