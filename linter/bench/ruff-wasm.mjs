#!/usr/bin/env node
// Ruff's WebAssembly build (`@astral-sh/ruff-wasm-nodejs`) as a command: lints every .py
// file under the given folder with the selected rules and prints one line per finding,
// `path:row:column: CODE message`. Native Ruff is a pip wheel; where PyPI is out of reach
// this is the Ruff the benchmark can run (slower than native: one thread, wasm).
// usage: node ruff-wasm.mjs <ruff-wasm-package-dir> <select,codes> <folder>
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const [packageDir, select, folder] = process.argv.slice(2);
const ruff = createRequire(path.join(packageDir, 'package.json'))(packageDir);
const workspace = new ruff.Workspace({ lint: { select: select.split(',') } }, ruff.PositionEncoding.Utf16);
const files = readdirSync(folder, { recursive: true, encoding: 'utf8' })
  .filter((entry) => entry.endsWith('.py'))
  .sort();
const lines = [];
for (const entry of files) {
  for (const diagnostic of workspace.check(readFileSync(path.join(folder, entry), 'utf8'))) {
    const { row, column } = diagnostic.start_location;
    lines.push(`${path.join(folder, entry)}:${row}:${column}: ${diagnostic.code} ${diagnostic.message}`);
  }
}
process.stdout.write(lines.length > 0 ? `${lines.join('\n')}\n` : '');
process.exitCode = lines.length > 0 ? 1 : 0;
