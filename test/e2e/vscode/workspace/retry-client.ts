import pRetry from 'p-retry';

export async function fetchReport(url: string): Promise<unknown> {
  return pRetry(
    async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      return response.json();
    },
    { retries: 19, minTimeout: 1000, maxTimeout: 30_000, randomize: true },
  );
}
