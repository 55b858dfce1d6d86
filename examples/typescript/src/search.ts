// Searches the help-centre articles for the support console.
import pRetry from 'p-retry';

const SEARCH_URL = 'https://help.example/api/search';

export interface Article {
  readonly id: string;
  readonly title: string;
  readonly url: string;
}

export async function searchArticles(query: string): Promise<Article[]> {
  return pRetry(
    async () => {
      const response = await fetch(`${SEARCH_URL}?q=${encodeURIComponent(query)}`);
      if (!response.ok) throw new Error(`search failed with ${response.status}`);
      return (await response.json()) as Article[];
    },
    { retries: 4 },
  );
}
