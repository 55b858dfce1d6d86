import { describe, expect, it } from 'vitest';
import { frontend } from '../../../../linter/src/frontends/python/index.js';
import { NATIVE_MODULES, nativePythonLoadError, preferNativePythonParser, pythonRuntime } from '../../../../linter/src/frontends/python/parser.js';

// When the native binding is not there (an install without optional dependencies, a platform
// without a prebuilt binary), the CLI's request for it falls back to web-tree-sitter.
describe('the Python parser when the native binding cannot load', () => {
  it('falls back to wasm, remembers why, and still finds the sites', async () => {
    NATIVE_MODULES.runtime = 'tree-sitter-that-is-not-installed';
    preferNativePythonParser();
    await frontend.load();
    expect(pythonRuntime()).toBe('wasm');
    expect(nativePythonLoadError()).toMatch(/Cannot find module 'tree-sitter-that-is-not-installed'/);
    const model = frontend.extract(['import time', 'import requests', '', 'def fetch():', '    for attempt in range(5):', '        try:', '            return requests.get("https://x.example")', '        except requests.RequestException:', '            time.sleep(2 ** attempt)', ''].join('\n'), 'a.py');
    expect(model.parseErrors).toEqual([]);
    expect(model.sites.map((site) => site.kind).sort()).toEqual(['loop']);
    expect(frontend.parses('def f(:\n', 'b.py')).toBe(false);
  });
});
