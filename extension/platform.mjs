// The platform the .vsix is built for: the one building it. oxc-parser's native binding for it
// goes into the .vsix, and vsce marks the .vsix with the matching target, so VS Code installs
// it only where that binding runs.

function isMusl() {
  if (process.platform !== 'linux') return false;
  return !process.report?.getReport()?.header?.glibcVersionRuntime;
}

/** { binding: the @oxc-parser package, target: vsce's --target } for this machine. */
export function buildPlatform() {
  const { platform, arch } = process;
  const musl = isMusl();
  const abi = platform === 'linux' ? (musl ? '-musl' : '-gnu') : platform === 'win32' ? '-msvc' : '';
  const target = `${musl ? 'alpine' : platform}-${arch}`;
  return { binding: `@oxc-parser/binding-${platform}-${arch}${abi}`, target };
}
