import path from 'node:path';

/** A path relative to `cwd` with forward slashes; absolute (still with `/`) when outside it. */
export function displayPath(filePath: string, cwd: string): string {
  const relative = path.relative(cwd, filePath);
  const outside = relative === '' || relative.startsWith('..') || path.isAbsolute(relative);
  return (outside ? filePath : relative).split(path.sep).join('/');
}
