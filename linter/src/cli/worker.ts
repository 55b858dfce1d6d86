/** The worker-thread entry: lints the files the pool sends, one at a time. */
import nodeModule from 'node:module';
import { lintFile } from './lint-file.js';
import type { LintTask } from './lint-task.js';
import { serveTasks } from './worker-pool.js';
import { setCrossModuleResolution } from '../frontends/typescript/cross-module.js';
import { preferNativePythonParser } from '../frontends/python/parser.js';

// A CLI run sees the whole tree, so imported clients are worth resolving (the editor stays per-file).
setCrossModuleResolution(true);
// The native tree-sitter binding when it is installed (wasm otherwise); the editor stays on wasm.
preferNativePythonParser();

// Each worker loads its own parsers; Node 22.1+ can keep their compiled code on disk, which
// makes that load several times faster from the second run on. Older Nodes lack the call.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

serveTasks((task: LintTask) => lintFile(task.filePath, task.settings));
