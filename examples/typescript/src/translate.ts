// Translates agent replies: p-retry around fetch, done the way retrylint asks for.
import pRetry, { AbortError } from 'p-retry';

const TRANSLATE_URL = 'https://translate.example/v1/translate';

export async function translate(text: string, target: string): Promise<string> {
  return pRetry(
    async () => {
      const response = await fetch(TRANSLATE_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text, target }),
        signal: AbortSignal.timeout(10_000),
      });
      // A 4xx fails the same way next time (a 429 here means the monthly quota is spent): stop.
      if (response.status >= 400 && response.status < 500 && response.status !== 408) {
        throw new AbortError(`translation rejected with ${response.status}`);
      }
      if (!response.ok) throw new Error(`translation failed with ${response.status}`);
      const body = (await response.json()) as { translation: string };
      return body.translation;
    },
    { retries: 3, minTimeout: 1000, maxTimeout: 10_000, randomize: true },
  );
}
