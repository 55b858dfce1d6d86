#!/usr/bin/env node
// Runs after `npm install` / `npm ci`: builds every workspace in a checkout. This is a
// `postinstall` rather than a `prepare` script because `npm pack` runs `prepare` and prints its
// banner on stdout, where pre-commit reads the tarball's name. Installed from a tarball (as
// pre-commit installs the hook), the package is already built and has no sources: nothing to do.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(path.join(root, 'tsconfig.json'))) process.exit(0);

const npmCli = process.env.npm_execpath;
const [command, args] = npmCli ? [process.execPath, [npmCli, 'run', 'build']] : ['npm', ['run', 'build']];
const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
