// Updates the customer record in the CRM, whose API is rate limited per account.
const CRM_URL = 'https://crm.example/api/v2/contacts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function updateContact(id: string, fields: Record<string, string>): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const response = await fetch(`${CRM_URL}/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fields),
      signal: AbortSignal.timeout(10_000),
    });
    if (response.ok) return;
    if (response.status !== 429) throw new Error(`CRM update failed with ${response.status}`);
    const retryAfter = parseInt(response.headers.get('retry-after') ?? '1', 10);
    await sleep(retryAfter * 1000);
  }
  throw new Error('CRM kept rate limiting the update');
}
