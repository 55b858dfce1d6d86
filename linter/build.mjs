// Bundles the linter's entry points with esbuild: the policy core is bundled from its
// sources (condition "source"), and so are the pure-JS dependencies (one file loads much
// faster than hundreds of small modules). Parsers stay external: they ship native code or
// .wasm files that are located next to their packages, and load lazily; so does ts-morph
// (with the TypeScript compiler it carries), loaded only for a fix in another file.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { writeEngineTypes } from './engine-types.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(readFileSync(path.join(here, 'package.json'), 'utf8'));
const outdir = path.join(here, 'dist');

// Entry points that do not exist yet (written by other parts of the project) are skipped.
const entries = {
  cli: 'src/cli/main.ts',
  worker: 'src/cli/worker.ts',
  'eslint-plugin': 'src/eslint-plugin/index.ts',
  server: 'src/server/main.ts',
  engine: 'src/engine/index.ts',
};
const entryPoints = Object.fromEntries(
  Object.entries(entries).filter(([, source]) => existsSync(path.join(here, source))).map(([name, source]) => [name, path.join(here, source)]),
);

const LOADED_AT_RUN_TIME = [/^oxc-parser$/, /^web-tree-sitter$/, /^tree-sitter$/, /^tree-sitter-python$/, /^eslint$/, /^ts-morph$/];
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})].filter((name) =>
  LOADED_AT_RUN_TIME.some((pattern) => pattern.test(name)),
);

const shared = {
  outdir,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  conditions: ['source'],
  // jsonc-parser's `main` is a UMD build whose inner requires esbuild cannot follow.
  mainFields: ['module', 'main'],
  external,
  sourcemap: true,
  logLevel: 'warning',
  // Sources written as ES modules read import.meta.url; in a CJS bundle it is the bundle's own URL.
  define: {
    'import.meta.url': 'importMetaUrl',
    __RETRYLINT_VERSION__: JSON.stringify(pkg.version),
  },
  banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

const { 'eslint-plugin': pluginEntry, ...programEntries } = entryPoints;
await build({ ...shared, entryPoints: programEntries });
if (pluginEntry) {
  // `require('retrylint/eslint-plugin')` and `import plugin from 'retrylint/eslint-plugin'` both
  // get the plugin object itself, as ESLint plugins are expected to export it.
  await build({
    ...shared,
    entryPoints: { 'eslint-plugin': pluginEntry },
    footer: { js: 'module.exports = module.exports.default;' },
  });
}

// `retrylint/engine` ships declarations next to its bundle.
if (entryPoints.engine) writeEngineTypes({ linterTypes: path.join(here, 'dist/types'), coreTypes: path.join(here, '../shared/dist/types'), outdir: path.join(outdir, 'engine-types'), dependencies: Object.keys(pkg.dependencies ?? {}) });

// `retrylint rule <id>` and the SARIF help read the rule docs next to the bundle.
const docsSource = path.join(here, '../shared/docs/rules');
const docsTarget = path.join(outdir, 'docs');
mkdirSync(docsTarget, { recursive: true });
if (existsSync(docsSource)) {
  for (const name of readdirSync(docsSource)) {
    if (name.endsWith('.md')) copyFileSync(path.join(docsSource, name), path.join(docsTarget, name));
  }
}
