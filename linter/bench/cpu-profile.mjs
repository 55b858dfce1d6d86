// Where a project-mode run's time goes: a V8 CPU profile (`node --cpu-prof`) summed into the
// phases the project layer has (building the program, the checker, our own extraction).

const TYPESCRIPT_CODE = /[\\/](typescript[\\/]lib[\\/]typescript\.js|@ts-morph[\\/]common[\\/]|ts-morph[\\/]dist[\\/])/;
const MODULE_RESOLUTION = /^(resolveModuleNames?|resolveModuleNamesWorker|actualResolveModuleNamesWorker|resolveModuleNamesReusingOldState)$/;
const FILE_LOADING = /^(createProgram|addSourceFileAtPath(IfExists)?|addSourceFilesAtPaths|createSourceFile|resolveSourceFileDependencies)$/;

const inTypeScript = (frame) => TYPESCRIPT_CODE.test(frame.url);

/**
 * The phases, in the order they are tested: a sample counts for the first phase any frame of
 * its stack belongs to (a module resolution inside the program build is module resolution).
 */
export const PROFILE_PHASES = [
  { name: 'garbage collection', leaf: (frame) => frame.functionName === '(garbage collector)' },
  { name: 'loading ts-morph and TypeScript', frame: (frame) => frame.functionName === 'loadTsMorph' },
  { name: 'program build: module resolution', frame: (frame) => inTypeScript(frame) && MODULE_RESOLUTION.test(frame.functionName) },
  { name: 'program build: reading, parsing, linking the files', frame: (frame) => inTypeScript(frame) && FILE_LOADING.test(frame.functionName) },
  { name: 'type checker: binding the files', frame: (frame) => inTypeScript(frame) && /^(initializeTypeChecker|bindSourceFile)$/.test(frame.functionName) },
  { name: 'type checker: queries (and the rest of ts-morph)', frame: inTypeScript },
  { name: 'oxc-parser (per-file parse)', frame: (frame) => /[\\/]oxc-parser[\\/]/.test(frame.url) },
  { name: 'retrylint: recognizers, links, rules', frame: (frame) => frame.functionName === 'lintText' },
  { name: 'Node start, bundle load, file walk, report', frame: () => true },
];

/** The phase of one profile node, read from its stack (the node and its ancestors). */
function phaseOf(stack) {
  const leaf = stack[0];
  for (const phase of PROFILE_PHASES) {
    if (phase.leaf ? phase.leaf(leaf) : stack.some(phase.frame)) return phase.name;
  }
  return PROFILE_PHASES.at(-1).name;
}

/** Milliseconds per phase (every phase listed, in PROFILE_PHASES order) and the total. */
export function profileBreakdown(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const phaseById = new Map();
  const phaseOfNode = (id) => {
    if (!phaseById.has(id)) {
      const stack = [];
      for (let current = id; current !== undefined; current = parentOf.get(current)) stack.push(byId.get(current).callFrame);
      phaseById.set(id, phaseOf(stack));
    }
    return phaseById.get(id);
  };
  const micros = new Map(PROFILE_PHASES.map((phase) => [phase.name, 0]));
  // timeDeltas[i] is the time from the previous sample to sample i: V8's own attribution.
  profile.samples.forEach((id, index) => {
    const phase = phaseOfNode(id);
    micros.set(phase, micros.get(phase) + (profile.timeDeltas[index] ?? 0));
  });
  const totalMs = [...micros.values()].reduce((sum, value) => sum + value, 0) / 1000;
  return { totalMs, phases: [...micros].map(([name, value]) => ({ name, ms: value / 1000 })) };
}
