// Summarises a long ticket thread for the agent who picks it up.
import OpenAI from 'openai';

// The SDK client retries by itself: 2 retries, so up to 3 requests per call.
const openai = new OpenAI({ timeout: 30_000 });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function summariseThread(thread: string): Promise<string> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= 4; attempt++) {
    try {
      const completion = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'Summarise this support thread in three sentences.' },
          { role: 'user', content: thread },
        ],
      });
      return completion.choices[0]?.message.content ?? '';
    } catch (error) {
      lastError = error;
      await sleep(1000 * 2 ** attempt * Math.random());
    }
  }
  throw lastError;
}
