import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { profileBreakdown, type CpuProfile } from '../../linter/bench/cpu-profile.mjs';
import { PROJECT_REPOSITORY, projectCorpus, type PinnedRepository } from '../../linter/bench/project-corpus.mjs';
import { findingsDelta, projectVerdict } from '../../linter/bench/project-report.mjs';

const TS = '/repo/node_modules/@ts-morph/common/dist/typescript.js';
const BUNDLE = '/repo/linter/dist/cli.cjs';
const OXC = '/repo/node_modules/oxc-parser/src-js/index.js';

/** A profile from a tree of frames: each leaf gets the given sampled microseconds. */
function profileOf(tree: Frame): CpuProfile {
  const nodes: { id: number; callFrame: { functionName: string; url: string }; children: number[] }[] = [];
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  const add = (frame: Frame): number => {
    const id = nodes.length + 1;
    const node = { id, callFrame: { functionName: frame.name, url: frame.url ?? '' }, children: [] as number[] };
    nodes.push(node);
    if (frame.micros) {
      samples.push(id);
      timeDeltas.push(frame.micros);
    }
    for (const child of frame.children ?? []) node.children.push(add(child));
    return id;
  };
  add(tree);
  return { nodes, samples, timeDeltas };
}
interface Frame {
  readonly name: string;
  readonly url?: string;
  readonly micros?: number;
  readonly children?: readonly Frame[];
}

describe('the CPU profile of a project-mode run, split into phases', () => {
  const profile = profileOf({
    name: '(root)',
    children: [
      { name: '(garbage collector)', micros: 1_000 },
      {
        name: 'lintText',
        url: BUNDLE,
        micros: 2_000,
        children: [
          { name: 'loadTsMorph', url: BUNDLE, children: [{ name: 'compileFunction', micros: 500 }] },
          {
            name: 'addFiles',
            url: BUNDLE,
            children: [
              {
                name: 'createProgram',
                url: TS,
                micros: 4_000,
                // Our own resolution callback, called by TypeScript: still module resolution.
                children: [{ name: 'actualResolveModuleNamesWorker', url: TS, children: [{ name: 'resolveModuleNames', url: BUNDLE, micros: 8_000 }] }],
              },
            ],
          },
          { name: 'getTypeChecker', url: TS, children: [{ name: 'initializeTypeChecker', url: TS, children: [{ name: 'bind', url: TS, micros: 700 }] }] },
          { name: 'getTypeAtLocation', url: TS, micros: 3_000 },
          { name: 'parseSync', url: OXC, micros: 600 },
        ],
      },
      { name: 'main', url: BUNDLE, micros: 400 },
    ],
  });
  const ms = Object.fromEntries(profileBreakdown(profile).phases.map((phase) => [phase.name, phase.ms]));

  it('counts each sample once, for the first phase on its stack', () => {
    expect(ms).toEqual({
      'garbage collection': 1,
      'loading ts-morph and TypeScript': 0.5,
      'program build: module resolution': 8,
      'program build: reading, parsing, linking the files': 4,
      'type checker: binding the files': 0.7,
      'type checker: queries (and the rest of ts-morph)': 3,
      'oxc-parser (per-file parse)': 0.6,
      'retrylint: recognizers, links, rules': 2,
      'Node start, bundle load, file walk, report': 0.4,
    });
    expect(profileBreakdown(profile).totalMs).toBeCloseTo(20.2);
  });
});

describe('the verdict of the project comparison', () => {
  const tools = { project: { name: 'project' }, perFile: { name: 'per-file' }, typed: { name: 'typed' } };
  const rows = [
    { tool: 'project', medianMs: 4_000, cpuMs: 3_000 },
    { tool: 'per-file', medianMs: 1_000, cpuMs: 800 },
    { tool: 'typed', medianMs: 10_000, cpuMs: 12_000 },
  ];

  it('compares project mode with typed ESLint against the target, and the per-file path with both', () => {
    const verdict = projectVerdict(rows, tools);
    expect(verdict.speedup).toBe(2.5);
    expect(verdict.cpuSpeedup).toBe(4);
    expect(verdict.met).toBe(false);
    expect(verdict.projectOverPerFile).toBe(4);
    expect(verdict.perFileSpeedup).toBe(10);
    expect(projectVerdict(rows, tools, 2).met).toBe(true);
  });

  it('lists the findings only one of the two retrylint runs has', () => {
    expect(findingsDelta(['a.ts:1:1:x', 'b.ts:2:1:y'], ['b.ts:2:1:y', 'c.ts:3:1:z'])).toEqual({ gained: ['a.ts:1:1:x'], lost: ['c.ts:3:1:z'] });
  });
});

describe('the project corpus, fetched at a pinned commit', () => {
  let scratch: string | undefined;
  afterEach(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });
  const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...args], { cwd, encoding: 'utf8' }).trim();

  /** A two-package repository with one commit; returns its folder and the commit. */
  function repository(root: string): { dir: string; commit: string } {
    const dir = path.join(root, 'upstream');
    const write = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    };
    write('core/tsconfig.json', '{}\n');
    write('core/llm/client.ts', 'export const client = 1;\n');
    write('core/vendor/lib.ts', 'export {};\n');
    write('core/notes.md', '# not TypeScript\n');
    write('packages/fetch/tsconfig.json', '{ "include": ["src/**/*"] }\n');
    write('packages/fetch/src/fetch.ts', 'export {};\n');
    write('packages/fetch/vitest.config.ts', 'export default {};\n');
    git(dir, 'init', '--quiet');
    git(dir, 'add', '.');
    git(dir, 'commit', '--quiet', '-m', 'one');
    return { dir, commit: git(dir, 'rev-parse', 'HEAD') };
  }
  const pinned = (url: string, commit: string): PinnedRepository => ({
    name: 'example',
    url,
    commit,
    packages: [
      { dir: 'core', sources: ['.'], skip: ['vendor'] },
      { dir: 'packages/fetch', sources: ['src'] },
    ],
  });

  it('fetches the commit into the cache and keeps each tsconfig and the TypeScript it covers', () => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'bench-project-'));
    const { dir, commit } = repository(scratch);
    const cache = path.join(scratch, 'cache');
    const corpus = projectCorpus(cache, () => {}, pinned(dir, commit));
    const relative = corpus.paths.map((file: string) => path.relative(corpus.root, file));
    expect(relative).toEqual(['core/llm/client.ts', 'packages/fetch/src/fetch.ts']);
    expect(readFileSync(path.join(corpus.root, 'packages/fetch/tsconfig.json'), 'utf8')).toContain('src/**/*');
    expect(existsSync(path.join(corpus.root, 'core/tsconfig.json'))).toBe(true);
    expect(corpus.tsconfigs).toBe(2);
  });

  it('names the git commands to run when the commit cannot be fetched', () => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'bench-project-'));
    const missing = pinned(path.join(scratch, 'no-such-repository'), PROJECT_REPOSITORY.commit);
    expect(() => projectCorpus(path.join(scratch!, 'cache'), () => {}, missing)).toThrow(
      new RegExp(`fetch --depth 1 ${missing.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ${PROJECT_REPOSITORY.commit}`),
    );
    expect(existsSync(path.join(scratch, 'cache', 'git', `example-${PROJECT_REPOSITORY.commit}.partial`))).toBe(false);
  });
});
