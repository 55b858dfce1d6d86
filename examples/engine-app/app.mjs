// An application that retries its AI calls by the policy its CI lints with: the engine reads
// retrylint.config.json (the same lookup, extends and overrides as the linter).
//
//     npx retrylint lab serve --scenario-file examples/engine-app/outage.json
//     node examples/engine-app/app.mjs            # LAB_URL=http://127.0.0.1:8787/v1 by default
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, RetryGiveUpError } from 'retrylint/engine';

const here = path.dirname(fileURLToPath(import.meta.url));
const baseUrl = process.env.LAB_URL ?? 'http://127.0.0.1:8787/v1';
const questions = ['What is jitter?', 'Why cap a backoff?', 'When is a 429 permanent?', 'Stream me an answer.'];

function describeAttempt(event) {
  const answer = event.status !== undefined ? `HTTP ${event.status}${event.errorClass ? ` ${event.errorClass}` : ''}` : event.outcome;
  const decision = event.decision.action === 'retry' ? `retry in ${Math.round(event.decision.delayMs)} ms (${event.decision.delaySource})` : event.decision.reason;
  return `  attempt ${event.attempt}: ${answer} after ${event.durationMs} ms -> ${decision}`;
}

const engine = createEngine({
  config: path.join(here, 'retrylint.config.json'),
  onEvent: (event) => {
    if (event.type === 'attempt') console.log(describeAttempt(event));
  },
});
const { policy } = engine;
console.log(`policy ${policy.profile}: ${policy.maxAttempts} attempts, delays ${policy.baseDelayMs}-${policy.maxDelayMs} ms, Retry-After up to ${policy.maxRetryAfterMs} ms`);
const { tokenBucket, circuitBreaker, retryBudget } = engine.guards;
console.log(
  `guards: ${tokenBucket?.options.ratePerSecond ?? '-'} requests/s, circuit opens after ${circuitBreaker?.options.failureThreshold ?? '-'} failures, retry budget ${retryBudget?.options.capacity ?? '-'} tokens`,
);

let answered = 0;
for (const [index, question] of questions.entries()) {
  const stream = index === questions.length - 1;
  console.log(`question ${index + 1}${stream ? ' (streamed)' : ''}: ${question}`);
  try {
    const result = await engine.call({
      url: `${baseUrl}/chat/completions`,
      headers: process.env.LAB_KEY ? { authorization: `Bearer ${process.env.LAB_KEY}` } : {},
      body: { model: 'retrylint-lab', messages: [{ role: 'user', content: question }], stream },
    });
    const text = stream ? result.chunks.map((chunk) => JSON.parse(chunk).choices[0]?.delta?.content ?? '').join('') : result.json.choices[0].message.content;
    console.log(`  answer: ${text} (${result.usage?.totalTokens ?? '?'} tokens)`);
    answered++;
  } catch (error) {
    if (!(error instanceof RetryGiveUpError)) throw error;
    console.log(`  gave up (${error.reason}): ${error.message}`);
  }
}
console.log(`${answered} of ${questions.length} questions answered`);
process.exitCode = answered === questions.length ? 0 : 1;
