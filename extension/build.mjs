// Builds the extension into dist/: the client bundled with esbuild (dist/extension.cjs), and
// the language server the linter's build produces (linter/dist/server.cjs) with everything it
// loads at run time copied next to it, so that the .vsix needs nothing installed:
//   dist/server/server.cjs, docs/*.md       the server bundle and the rule docs it reads
//   dist/server/*.wasm                       web-tree-sitter's runtime and the Python grammar
//                                            (found through RETRYLINT_WASM_DIR, set by the client)
//   dist/server/node_modules/                the parsers the server bundle keeps external:
//                                            web-tree-sitter, oxc-parser and its native binding,
//                                            and ts-morph (project mode), bundled into one file
// The native binding makes the .vsix platform specific: it is the building machine's (platform.mjs).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildPlatform } from './platform.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const linter = path.join(here, '../linter');
const dist = path.join(here, 'dist');
const serverDist = path.join(dist, 'server');
const requireFromLinter = createRequire(path.join(linter, 'package.json'));

/** An installed package's folder, found as Node would (its exports map may hide package.json). */
function packageFolder(name, require = requireFromLinter) {
  const folder = (require.resolve.paths(name) ?? [])
    .map((nodeModules) => path.join(nodeModules, name))
    .find((candidate) => existsSync(path.join(candidate, 'package.json')));
  if (!folder) throw new Error(`retrylint extension build: ${name} is not installed`);
  return folder;
}

/** Copies an installed package's package.json and the listed files into dist/server/node_modules. */
function vendor(name, files, require) {
  const source = packageFolder(name, require);
  const target = path.join(serverDist, 'node_modules', name);
  mkdirSync(target, { recursive: true });
  for (const file of ['package.json', 'LICENSE', ...files]) {
    if (existsSync(path.join(source, file))) cpSync(path.join(source, file), path.join(target, file), { recursive: true });
  }
}

/**
 * ts-morph, with the TypeScript it carries and its small dependencies, as one CommonJS file:
 * the server's project worker requires it on the first tsconfig (pure JS, so it works on every
 * platform). Their licences go with it.
 */
async function vendorTsMorph() {
  const target = path.join(serverDist, 'node_modules', 'ts-morph');
  mkdirSync(target, { recursive: true });
  await build({
    entryPoints: [requireFromLinter.resolve('ts-morph')],
    outfile: path.join(target, 'index.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
  const manifest = JSON.parse(readFileSync(path.join(packageFolder('ts-morph'), 'package.json'), 'utf8'));
  writeFileSync(path.join(target, 'package.json'), `${JSON.stringify({ name: 'ts-morph', version: manifest.version, license: manifest.license, main: 'index.cjs' }, null, 2)}\n`);
  const requireFromTsMorph = createRequire(path.join(packageFolder('ts-morph'), 'package.json'));
  const licences = [
    ['ts-morph', path.join(packageFolder('ts-morph'), 'LICENSE')],
    ['@ts-morph/common (and the TypeScript it bundles)', path.join(packageFolder('@ts-morph/common', requireFromTsMorph), 'LICENSE')],
    ['code-block-writer', path.join(packageFolder('code-block-writer', requireFromTsMorph), 'LICENSE')],
  ].filter(([, file]) => existsSync(file));
  writeFileSync(path.join(target, 'LICENSE'), licences.map(([name, file]) => `${name}\n\n${readFileSync(file, 'utf8')}`).join('\n\n'));
}

rmSync(serverDist, { recursive: true, force: true });
mkdirSync(serverDist, { recursive: true });

// The server bundle, from the linter's own build (cheap: esbuild, a second or two).
// --skip-linter-build: the caller has just built it (the test suite, whose other tests read it).
if (!process.argv.includes('--skip-linter-build')) {
  execFileSync(process.execPath, [path.join(linter, 'build.mjs')], { stdio: 'inherit' });
}
cpSync(path.join(linter, 'dist/server.cjs'), path.join(serverDist, 'server.cjs'));
cpSync(path.join(linter, 'dist/docs'), path.join(serverDist, 'docs'), { recursive: true });

cpSync(requireFromLinter.resolve('web-tree-sitter/web-tree-sitter.wasm'), path.join(serverDist, 'web-tree-sitter.wasm'));
cpSync(path.join(packageFolder('tree-sitter-python'), 'tree-sitter-python.wasm'), path.join(serverDist, 'tree-sitter-python.wasm'));
vendor('web-tree-sitter', ['web-tree-sitter.cjs', 'web-tree-sitter.js']);
vendor('oxc-parser', ['src-js']);
const requireFromOxc = createRequire(path.join(packageFolder('oxc-parser'), 'package.json'));
const { binding } = buildPlatform();
const bindingManifest = JSON.parse(readFileSync(path.join(packageFolder(binding, requireFromOxc), 'package.json'), 'utf8'));
vendor(binding, [bindingManifest.main], requireFromOxc);

await vendorTsMorph();

cpSync(path.join(here, '../shared/config.schema.json'), path.join(dist, 'config.schema.json'));

await build({
  entryPoints: { extension: path.join(here, 'src/extension.ts') },
  outdir: dist,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  conditions: ['source'],
  mainFields: ['module', 'main'],
  external: ['vscode'],
  sourcemap: true,
  minify: true,
  logLevel: 'warning',
});
