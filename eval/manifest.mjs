// Reads and checks an evaluation manifest, naming the file and entry of every problem.
import { readFileSync } from 'node:fs';

const SOURCES = new Set(['npm', 'debian', 'git']);
const COMMIT = /^[0-9a-f]{40}$/;

function problem(file, where, message) {
  return new Error(`${file}: ${where}: ${message}`);
}

function requireString(file, where, value, key) {
  if (typeof value?.[key] !== 'string' || value[key] === '') throw problem(file, where, `"${key}" must be a non-empty string`);
}

export function readManifest(file) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw problem(file, 'parse', error.message);
  }
  for (const key of ['packages', 'expected', 'silent']) {
    if (!Array.isArray(manifest[key])) throw problem(file, key, 'must be an array');
  }
  const ids = new Set();
  manifest.packages.forEach((pkg, index) => {
    const where = `packages[${index}]`;
    for (const key of ['id', 'source', 'name', 'version']) requireString(file, where, pkg, key);
    if (!SOURCES.has(pkg.source)) throw problem(file, where, `"source" must be npm, debian or git, found "${pkg.source}"`);
    if (pkg.source === 'git' && !COMMIT.test(pkg.version)) throw problem(file, where, `a git package's "version" must be a full commit hash, found "${pkg.version}"`);
    if (ids.has(pkg.id)) throw problem(file, where, `duplicate id "${pkg.id}"`);
    ids.add(pkg.id);
  });
  for (const key of ['expected', 'silent']) {
    manifest[key].forEach((entry, index) => {
      const where = `${key}[${index}]`;
      requireString(file, where, entry, 'package');
      requireString(file, where, entry, 'file');
      if (!ids.has(entry.package)) throw problem(file, where, `unknown package "${entry.package}"`);
      if (key === 'expected') {
        requireString(file, where, entry, 'rule');
        const hasLine = Number.isInteger(entry.line) && entry.line > 0;
        const hasLines = Array.isArray(entry.lines) && entry.lines.length === 2 && entry.lines.every(Number.isInteger);
        if (!hasLine && !hasLines) throw problem(file, where, '"line" (a positive integer) or "lines" ([from, to]) is required');
      }
    });
  }
  return manifest;
}
