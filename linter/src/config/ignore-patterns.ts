import { existsSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE_NAME } from './discovery.js';
import type { ConfigResolver } from './file-config.js';

/**
 * `ignorePatterns` of the config file in a folder (or of an explicit config, relative to its
 * folder), as IgnoreRules asks for them. Throws ConfigError when that config is invalid.
 */
export function configIgnorePatterns(resolver: ConfigResolver, explicitConfig: string | undefined) {
  return (directory: string): readonly string[] => {
    const file = explicitConfig ?? path.join(directory, CONFIG_FILE_NAME);
    if (path.dirname(file) !== directory || !existsSync(file)) return [];
    return resolver.sourcesOf(file).at(-1)?.ignorePatterns ?? [];
  };
}
