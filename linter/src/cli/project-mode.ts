/**
 * `--project [tsconfig]` and `"project"` in the config: TypeScript files are read with the
 * program of their tsconfig (linter/src/frontends/typescript/project/). The run stays in one
 * thread (a program per worker would be built once per worker), and the files the run will
 * lint are added to their programs before the first is linted, so each program is built once.
 */
import { existsSync, promises as fs, statSync } from 'node:fs';
import path from 'node:path';
import type { ConfigResolver } from '../config/file-config.js';
import { frontendFor, languageOf } from '../frontends/index.js';
import { setProjectSessions } from '../frontends/typescript/index.js';
import { ProjectSessions } from '../frontends/typescript/project/index.js';
import { mayContainRetryCode, widenPrefilterAcrossModules } from './prefilter.js';
import { UsageError } from './usage-error.js';

/** Project mode as asked for: off, each file's nearest tsconfig, or one tsconfig. */
export type ProjectRequest = { readonly tsconfig?: string } | undefined;

/** `--project` wins over the config; a config's tsconfig path is relative to the config file. */
export function projectRequest(flag: string | boolean | undefined, resolver: ConfigResolver, cwd: string): ProjectRequest {
  if (flag === false) return undefined;
  if (flag === true) return {};
  if (typeof flag === 'string') return { tsconfig: checkedTsconfig(path.resolve(cwd, flag), '--project') };
  const configFile = resolver.configFileFor(path.join(cwd, 'file.ts'));
  if (!configFile) return undefined;
  const setting = [...resolver.sourcesOf(configFile)].reverse().find((source) => source.project !== undefined);
  if (!setting || setting.project === false || setting.project === undefined) return undefined;
  if (setting.project === true) return {};
  const base = setting.directory ?? path.dirname(configFile);
  return { tsconfig: checkedTsconfig(path.resolve(base, setting.project), `"project" in ${path.relative(cwd, setting.origin) || setting.origin}`) };
}

function checkedTsconfig(file: string, where: string): string {
  const target = existsSync(file) && statSync(file).isDirectory() ? path.join(file, 'tsconfig.json') : file;
  if (!existsSync(target)) throw new UsageError(`${where}: cannot find "${target}"`);
  return target;
}

export interface ProjectRun {
  readonly sessions: ProjectSessions;
  /** Files added to programs before linting. */
  readonly filesAdded: number;
  readonly loadMs: number;
  /** Tsconfigs that could not be loaded, with the reason (their files were linted per file). */
  readonly loadErrors: readonly string[];
}

/** Installs project mode for this run and adds the files that may hold retry code to their programs. */
export async function startProjectMode(
  request: NonNullable<ProjectRequest>,
  files: readonly string[],
  options: { readonly prefilter: boolean; readonly maxFileSize: number; readonly cwd: string },
): Promise<ProjectRun> {
  const started = performance.now();
  const loadErrors: string[] = [];
  const sessions = new ProjectSessions({
    ...(request.tsconfig ? { tsconfig: request.tsconfig } : {}),
    displayRoot: options.cwd,
    onLoadError: (tsconfig, message) => loadErrors.push(`${tsconfig}: ${message}`),
  });
  await frontendFor('typescript');
  setProjectSessions(sessions);
  widenPrefilterAcrossModules(true);
  const candidates: string[] = [];
  for (const file of files) {
    if (languageOf(file) !== 'typescript') continue;
    const size = await fs.stat(file).then((stat) => stat.size, () => Infinity);
    if (size > options.maxFileSize) continue;
    if (!options.prefilter) {
      candidates.push(file);
      continue;
    }
    const text = await fs.readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined && mayContainRetryCode(text, 'typescript')) candidates.push(file);
  }
  sessions.addFiles(candidates, { build: true });
  return { sessions, filesAdded: candidates.length, loadMs: performance.now() - started, loadErrors };
}

export function stopProjectMode(): void {
  setProjectSessions(undefined);
  widenPrefilterAcrossModules(false);
}
