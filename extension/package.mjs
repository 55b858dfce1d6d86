// `npm run package`: builds dist/ and packs dist/retrylint.vsix for this machine's platform.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPlatform } from './platform.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
execFileSync(process.execPath, [path.join(here, 'build.mjs'), ...process.argv.slice(2)], { stdio: 'inherit' });
const vsce = path.join(path.dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json')), 'vsce');
execFileSync(
  process.execPath,
  [vsce, 'package', '--no-dependencies', '--target', buildPlatform().target, '--out', path.join(here, 'dist/retrylint.vsix')],
  { cwd: here, stdio: 'inherit' },
);
