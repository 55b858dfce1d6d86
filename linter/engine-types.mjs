// The declarations of `retrylint/engine` (dist/engine.cjs), made from tsc's output: the
// engine's .d.ts files and the policy core's ones they reach, renamed .d.cts (they describe a
// CommonJS bundle in a "type": "module" package) with relative specifiers to match. The core
// is a private workspace package, so each name imported from `@retrylint/shared` is pointed at
// the core file that declares it: only what the engine's API reaches is shipped.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const SPECIFIER = /(\bfrom\s+|\bimport\s*\(\s*)(['"])([^'"]+)\2/g;
const SHARED_IMPORT = /(import|export)\s+(type\s+)?\{([^}]*)\}\s+from\s+['"]@retrylint\/shared['"];?/g;
const DECLARATION = (name) => new RegExp(`export (?:declare )?(?:abstract )?(?:class|function|const|let|interface|type|enum) ${name}\\b`);

/** Finds, through the core's re-exports from its index down, the core file (relative to its types root) that declares a name. */
function coreDeclarations(coreTypes) {
  const find = (name, module) => {
    const text = readFileSync(path.join(coreTypes, module), 'utf8');
    if (DECLARATION(name).test(text)) return module;
    for (const match of text.matchAll(/export (\*|\{[^}]*\}) from '(\.[^']+)\.js'/g)) {
      if (match[1] !== '*' && !new RegExp(`\\b${name}\\b`).test(match[1])) continue;
      const found = find(name, path.join(path.dirname(module), `${match[2]}.d.ts`));
      if (found) return found;
    }
    return undefined;
  };
  return (name) => find(name, 'index.d.ts');
}

/**
 * Writes the declarations under `outdir`; throws when they import a package the installed
 * `retrylint` does not depend on (the bundle inlines such packages, the types cannot).
 */
export function writeEngineTypes({ linterTypes, coreTypes, outdir, dependencies }) {
  const entry = path.join(linterTypes, 'engine/index.d.ts');
  if (!existsSync(entry)) throw new Error(`${path.relative(process.cwd(), entry)} is missing: run \`tsc -b\` before bundling the engine`);
  const declaredIn = coreDeclarations(coreTypes);
  rmSync(outdir, { recursive: true, force: true });
  const roots = [
    { from: linterTypes, to: path.join(outdir, 'linter') },
    { from: coreTypes, to: path.join(outdir, 'core') },
  ];
  const target = (file) => {
    const root = roots.find((candidate) => file.startsWith(candidate.from + path.sep));
    return path.join(root.to, path.relative(root.from, file)).replace(/\.d\.ts$/, '.d.cts');
  };
  const pending = [entry];
  const done = new Set();
  while (pending.length > 0) {
    const file = pending.pop();
    if (done.has(file)) continue;
    done.add(file);
    const out = target(file);
    const text = readFileSync(file, 'utf8')
      .replace(SPECIFIER, (all, lead, quote, specifier) => {
        if (!specifier.startsWith('.')) {
          const name = specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
          if (name !== '@retrylint/shared' && !dependencies.includes(name)) {
            throw new Error(`engine types: ${path.relative(linterTypes, file)} imports "${specifier}", which is not a dependency of retrylint`);
          }
          return all;
        }
        pending.push(path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.d.ts')));
        return `${lead}${quote}${specifier.replace(/\.js$/, '.cjs')}${quote}`;
      })
      .replace(SHARED_IMPORT, (_all, keyword, typeOnly = '', names) => {
        const byModule = new Map();
        for (const raw of names.split(',').map((name) => name.trim()).filter(Boolean)) {
          const name = raw.replace(/^type\s+/, '').split(/\s+as\s+/)[0];
          const module = declaredIn(name);
          if (!module) throw new Error(`engine types: no core declaration of ${name}, imported by ${path.relative(linterTypes, file)}`);
          byModule.set(module, [...(byModule.get(module) ?? []), raw]);
        }
        return [...byModule]
          .map(([module, list]) => {
            const core = path.join(coreTypes, module);
            pending.push(core);
            const specifier = path.relative(path.dirname(out), target(core)).replace(/\\/g, '/').replace(/\.d\.cts$/, '.cjs');
            return `${keyword} ${typeOnly}{ ${list.join(', ')} } from '${specifier.startsWith('.') ? specifier : `./${specifier}`}';`;
          })
          .join('\n');
      });
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, text);
  }
  return path.relative(path.dirname(outdir), target(entry));
}
