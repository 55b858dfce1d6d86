// Types of cpu-profile.mjs for its test.
export interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: { readonly functionName: string; readonly url: string }; readonly children?: readonly number[] }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}
export declare const PROFILE_PHASES: readonly { readonly name: string }[];
export declare function profileBreakdown(profile: CpuProfile): { totalMs: number; phases: { name: string; ms: number }[] };
