/**
 * Abstract fixes: what to change, in terms of the RetrySite's levers. Each language's
 * renderer in the linter turns an intent into text edits for its syntax (or declines, in
 * which case the fix is not offered). Rules build fixes; they never write syntax.
 */
import type { OptionSlot } from './site.js';
import type { Span } from './span.js';

/** Ruff's applicability: safe fixes run with --fix, unsafe ones with --unsafe-fixes. */
export type Applicability = 'safe' | 'unsafe' | 'display-only';

export type FixIntent =
  /** Set an option to a canonical value (ms for durations, total tries for counts). */
  | { readonly kind: 'set-option'; readonly slot: OptionSlot; readonly value: number | boolean }
  /** Remove items from a literal list (and the separators that go with them). */
  | { readonly kind: 'remove-list-items'; readonly list: Span; readonly items: readonly Span[] }
  /** Wrap a delay expression in `min(expr, cap)` / `Math.min(expr, cap)`. */
  | { readonly kind: 'cap-expression'; readonly expression: Span; readonly capMs: number; readonly unit: 'ms' | 'seconds' }
  /** Replace a delay expression by full jitter: `random.uniform(0, expr)` / `Math.random() * (expr)`. */
  | { readonly kind: 'full-jitter-expression'; readonly expression: Span }
  /** Replace a blocking sleep call by `await asyncio.sleep(arg)`. */
  | { readonly kind: 'async-sleep'; readonly call: Span; readonly argument?: Span }
  /** Replace a span by fixed text the frontend already spelled (library-specific renames). */
  | { readonly kind: 'replace'; readonly span: Span; readonly text: string };

export interface Fix {
  /** What the fix does, imperative: "Cap the delay at 60 s". */
  readonly title: string;
  readonly applicability: Applicability;
  readonly intents: readonly FixIntent[];
}

/** A concrete text edit; offsets as in Span. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}
