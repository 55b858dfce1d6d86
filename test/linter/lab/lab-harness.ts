/** Starts Retry Lab servers on 127.0.0.1 for a test file and closes them after it. */
import { afterAll } from 'vitest';
import { RetryGiveUpError } from '@retrylint/shared';
import { startLabServer, type LabServer, type LabServerOptions } from '../../../linter/src/lab/lab-server.js';
import type { LabScenario, LabStep } from '../../../linter/src/lab/scenario.js';

const open = new Set<LabServer>();
afterAll(async () => {
  await Promise.all([...open].map((server) => server.close()));
  open.clear();
});

/** A server playing these steps (or a built-in scenario's name, or a scenario); closed after the file's tests. */
export async function labServer(scenario: string | readonly LabStep[] | LabScenario, options: Omit<LabServerOptions, 'scenario'> = {}): Promise<LabServer & { chat: string }> {
  const server = await startLabServer({ ...options, scenario: Array.isArray(scenario) ? { name: 'test', steps: scenario } : (scenario as string | LabScenario) });
  open.add(server);
  return Object.assign(server, { chat: `${server.url}/v1/chat/completions` });
}

export const MESSAGES = { messages: [{ role: 'user', content: 'How do retries work?' }] };

/** The RetryGiveUpError a call ended with; fails the test when it succeeded or threw anything else. */
export async function giveUpOf(call: Promise<unknown>): Promise<RetryGiveUpError> {
  const outcome = await call.then(
    () => new Error('expected the call to give up, but it succeeded'),
    (error: unknown) => error,
  );
  if (!(outcome instanceof RetryGiveUpError)) throw outcome;
  return outcome;
}
