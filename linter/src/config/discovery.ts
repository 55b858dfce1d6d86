import { statSync } from 'node:fs';
import path from 'node:path';

export const CONFIG_FILE_NAME = 'retrylint.config.json';

/** Finds the nearest `retrylint.config.json` from a folder upwards, remembering every folder asked. */
export class ConfigDiscovery {
  private readonly nearest = new Map<string, string | undefined>();

  nearestConfig(directory: string): string | undefined {
    const visited: string[] = [];
    let current = path.resolve(directory);
    let found: string | undefined;
    for (;;) {
      if (this.nearest.has(current)) {
        found = this.nearest.get(current);
        break;
      }
      visited.push(current);
      const candidate = path.join(current, CONFIG_FILE_NAME);
      if (isFile(candidate)) {
        found = candidate;
        break;
      }
      const parent = path.dirname(current);
      if (parent === current) break;
      current = parent;
    }
    for (const folder of visited) this.nearest.set(folder, found);
    return found;
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
