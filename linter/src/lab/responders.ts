/**
 * The server's decisions, apart from HTTP: which step a request falls in and what that step
 * answers. Each step keeps its own state (window counts, burst position), and the only
 * randomness is the seeded source `mixed` draws from, so the same seed and the same request
 * order give the same answers.
 */
import { seededRandom, type RandomSource } from '@retrylint/shared';
import { PERMANENT_ERRORS, type OpenAiError } from './openai-shapes.js';
import { DEFAULT_MIX, type LabLeafStep, type LabScenario, type LabStep } from './scenario.js';

export type Answer =
  | { readonly kind: 'ok'; readonly delayMs: number; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'error'; readonly error: OpenAiError; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'hang' }
  | { readonly kind: 'cut'; readonly chunks: number };

export interface Decision {
  readonly answer: Answer;
  /** For the log: step number, mode and what decided ("over the limit 101/100"). */
  readonly step: string;
  /** The step's mode, for the summary. */
  readonly mode: LabStep['scenario'];
}

type Responder = (nowMs: number) => { answer: Answer; detail: string };

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** OpenAI's reset format: "1s", "6m0s", "0.5s". */
function resetText(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 60) return `${Number(seconds.toFixed(3))}s`;
  return `${Math.floor(seconds / 60)}m${Math.round(seconds % 60)}s`;
}

class FixedWindow {
  private window = -1;
  private used = 0;

  constructor(
    private readonly windowMs: number,
    private readonly startedAt: number,
  ) {}

  /** The request's position in its window (1 for the first) and the ms until the window ends. */
  count(nowMs: number): { position: number; endsAt: number } {
    const window = Math.floor((nowMs - this.startedAt) / this.windowMs);
    if (window !== this.window) {
      this.window = window;
      this.used = 0;
    }
    this.used++;
    return { position: this.used, endsAt: this.startedAt + (window + 1) * this.windowMs };
  }
}

function rateLimited(message: string): OpenAiError {
  return { status: 429, type: 'requests', code: 'rate_limit_exceeded', message };
}

/** Retry-After for a wait until `endsAt`: whole seconds rounded up, or the HTTP-date of the next whole second. */
function retryAfterValue(form: 'seconds' | 'date', endsAt: number, nowMs: number): string {
  if (form === 'date') return new Date(Math.ceil(endsAt / 1000) * 1000).toUTCString();
  return String(Math.max(1, Math.ceil((endsAt - nowMs) / 1000)));
}

function leafResponder(step: LabLeafStep, startedAt: number): Responder {
  switch (step.scenario) {
    case 'ok': {
      const answer: Answer = { kind: 'ok', delayMs: step.latencyMs ?? 0, headers: NO_HEADERS };
      return () => ({ answer, detail: 'ok' });
    }
    case 'rate-limit': {
      const limit = step.limit ?? 100;
      const window = new FixedWindow(step.windowMs ?? 60_000, startedAt);
      return (nowMs) => {
        const { position, endsAt } = window.count(nowMs);
        const headers: Record<string, string> = {
          'x-ratelimit-limit-requests': String(limit),
          'x-ratelimit-remaining-requests': String(Math.max(0, limit - position)),
          'x-ratelimit-reset-requests': resetText(endsAt - nowMs),
        };
        if (position <= limit) return { answer: { kind: 'ok', delayMs: 0, headers }, detail: `${position}/${limit} in window` };
        headers['retry-after'] = retryAfterValue(step.retryAfter ?? 'seconds', endsAt, nowMs);
        if (step.retryAfterMs ?? true) headers['retry-after-ms'] = String(Math.max(0, endsAt - nowMs));
        return {
          answer: { kind: 'error', error: rateLimited(`Rate limit reached: ${limit} requests per ${resetText(step.windowMs ?? 60_000)}.`), headers },
          detail: `over the limit ${position}/${limit}`,
        };
      };
    }
    case 'window-head': {
      const rejectFirst = step.rejectFirst ?? 100;
      const window = new FixedWindow(step.windowMs ?? 60_000, startedAt);
      return (nowMs) => {
        const { position, endsAt } = window.count(nowMs);
        if (position > rejectFirst) return { answer: { kind: 'ok', delayMs: 0, headers: NO_HEADERS }, detail: `${position} in window, past the head of ${rejectFirst}` };
        const headers = step.retryAfter ? { 'retry-after': retryAfterValue('seconds', endsAt, nowMs) } : NO_HEADERS;
        return { answer: { kind: 'error', error: rateLimited('Rate limit reached at the start of the window.'), headers }, detail: `head ${position}/${rejectFirst}` };
      };
    }
    case 'server-errors': {
      const status = step.status ?? 503;
      const errors = step.errors ?? 3;
      const period = step.period ?? 10;
      let seen = 0;
      return () => {
        const position = (seen++ % period) + 1;
        if (position > errors) return { answer: { kind: 'ok', delayMs: 0, headers: NO_HEADERS }, detail: `${position}/${period}, past the burst` };
        const error: OpenAiError = { status, type: 'server_error', code: status === 503 ? 'overloaded' : 'server_error', message: `The server had an error (HTTP ${status}).` };
        return { answer: { kind: 'error', error, headers: NO_HEADERS }, detail: `burst ${position}/${errors}` };
      };
    }
    case 'slow-first-byte': {
      const answer: Answer = { kind: 'ok', delayMs: step.delayMs ?? 5_000, headers: NO_HEADERS };
      return () => ({ answer, detail: `first byte after ${answer.delayMs} ms` });
    }
    case 'hang':
      return () => ({ answer: { kind: 'hang' }, detail: 'hang' });
    case 'stream-cut': {
      const chunks = step.chunksBeforeCut ?? 2;
      return () => ({ answer: { kind: 'cut', chunks }, detail: `cut after ${chunks} chunk(s)` });
    }
    case 'wrong-key':
    case 'context-length':
    case 'insufficient-quota': {
      const answer: Answer = { kind: 'error', error: PERMANENT_ERRORS[step.scenario], headers: NO_HEADERS };
      return () => ({ answer, detail: answer.error.code });
    }
  }
}

function stepResponder(step: LabStep, startedAt: number, random: RandomSource): Responder {
  if (step.scenario !== 'mixed') return leafResponder(step, startedAt);
  const mix = (step.mix ?? DEFAULT_MIX).filter((entry) => entry.weight > 0);
  const responders = mix.map((entry) => leafResponder(entry, startedAt));
  const total = mix.reduce((sum, entry) => sum + entry.weight, 0);
  return (nowMs) => {
    let draw = random() * total;
    let index = 0;
    while (index < mix.length - 1 && draw >= mix[index].weight) draw -= mix[index++].weight;
    const { answer, detail } = responders[index](nowMs);
    return { answer, detail: `${mix[index].scenario}: ${detail}` };
  };
}

/** A scenario in play: hands each request, in arrival order, to its step. */
export class ScenarioScript {
  private readonly responders: Responder[];
  private served = 0;

  constructor(
    readonly scenario: LabScenario,
    seed: number,
    startedAt: number,
  ) {
    const random = seededRandom(seed);
    this.responders = scenario.steps.map((step) => stepResponder(step, startedAt, random));
  }

  decide(nowMs: number): Decision {
    const index = this.stepIndexFor(this.served++);
    const step = this.scenario.steps[index];
    const { answer, detail } = this.responders[index](nowMs);
    const numbered = this.scenario.steps.length > 1 ? `step ${index + 1} ` : '';
    return { answer, step: `${numbered}${step.scenario} (${detail})`, mode: step.scenario };
  }

  private stepIndexFor(request: number): number {
    const { steps, repeat } = this.scenario;
    const cycle = steps.reduce((sum, step) => sum + (step.requests ?? Infinity), 0);
    let position = repeat && Number.isFinite(cycle) ? request % cycle : request;
    for (let index = 0; index < steps.length - 1; index++) {
      const length = steps[index].requests ?? Infinity;
      if (position < length) return index;
      position -= length;
    }
    return steps.length - 1;
  }
}
