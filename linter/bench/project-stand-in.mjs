// Until the CLI has `--project`: the built CLI with project sessions installed, bundled next
// to the real bundle (its lazy loads of oxc-parser and ts-morph resolve from there). Runs in
// one thread, as project mode does.
import path from 'node:path';
import { createRequire } from 'node:module';

export function buildProjectStandIn(repoRoot) {
  const esbuild = createRequire(path.join(repoRoot, 'package.json'))('esbuild');
  const linter = path.join(repoRoot, 'linter');
  const outfile = path.join(linter, 'dist', 'bench-project-stand-in.cjs');
  const contents = `
    import { main } from './src/cli/main.ts';
    import { setProjectSessions } from './src/frontends/typescript/index.ts';
    import { ProjectSessions } from './src/frontends/typescript/project/index.ts';
    setProjectSessions(new ProjectSessions({ onLoadError: (tsconfig, message) => process.stderr.write(message + '\\n') }));
    main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
  `;
  esbuild.buildSync({
    stdin: { contents, resolveDir: linter, loader: 'ts' },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    conditions: ['source'],
    mainFields: ['module', 'main'],
    external: ['oxc-parser', 'web-tree-sitter', 'tree-sitter', 'tree-sitter-python', 'eslint', 'ts-morph'],
    define: { 'import.meta.url': 'importMetaUrl', __RETRYLINT_VERSION__: '"stand-in"' },
    banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    logLevel: 'error',
  });
  return outfile;
}
