// Generated source files for the language server latency benchmark: application code of
// about 2,000 lines, mostly plain HTTP calls with a retry site every few functions, in
// the shapes the recognisers see in real projects (hand-written loops, tenacity, p-retry,
// an SDK client inside a loop).

/** Python: functions with requests calls, loops with sleeps, tenacity decorators. */
export function pythonDocument(lines = 2000) {
  const out = [
    'import random',
    'import time',
    '',
    'import requests',
    'from openai import OpenAI',
    'from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_random_exponential',
    '',
    'client = OpenAI()',
    '',
  ];
  for (let i = 0; out.length < lines; i++) {
    switch (i % 6) {
      case 0:
        out.push(
          '',
          `def sync_orders_${i}(order_id):`,
          '    for attempt in range(5):',
          '        try:',
          `            response = requests.post("https://api.example.com/orders/${i}", json={"id": order_id}, timeout=30)`,
          '            response.raise_for_status()',
          '            return response.json()',
          '        except requests.ConnectionError:',
          '            time.sleep(random.uniform(0, min(2 ** attempt, 30)))',
        );
        break;
      case 1:
        out.push(
          '',
          '@retry(',
          '    stop=stop_after_attempt(4),',
          '    wait=wait_random_exponential(multiplier=1, max=20),',
          '    retry=retry_if_exception_type(requests.ConnectionError),',
          ')',
          `def archive_${i}(url, payload):`,
          '    return requests.put(url, json=payload, timeout=20)',
        );
        break;
      case 2:
        out.push(
          '',
          `def summarise_${i}(text):`,
          '    for attempt in range(3):',
          '        try:',
          '            return client.chat.completions.create(',
          '                model="gpt-4o-mini",',
          '                messages=[{"role": "user", "content": text}],',
          '                timeout=30,',
          '            )',
          '        except Exception:',
          '            time.sleep(2 ** attempt)',
        );
        break;
      default:
        out.push(
          '',
          `def fetch_user_${i}(user_id, fields=None):`,
          `    params = {"fields": ",".join(fields or ["id", "name"]), "page": ${i}}`,
          '    response = requests.get(f"https://api.example.com/users/{user_id}", params=params, timeout=10)',
          '    response.raise_for_status()',
          '    data = response.json()',
          '    return {key: data.get(key) for key in (fields or ["id", "name"])}',
        );
    }
  }
  // Whole functions only: the file may run a few lines past `lines`.
  return `${out.join('\n')}\n`;
}

/** TypeScript: fetch calls, p-retry wrappers, hand-written loops with growing sleeps. */
export function typescriptDocument(lines = 2000) {
  const out = [
    "import pRetry from 'p-retry';",
    '',
    'const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));',
    '',
    'interface User {',
    '  id: string;',
    '  name: string;',
    '}',
  ];
  for (let i = 0; out.length < lines; i++) {
    switch (i % 5) {
      case 0:
        out.push(
          '',
          `export async function syncOrders${i}(orderId: string): Promise<unknown> {`,
          '  for (let attempt = 0; attempt < 5; attempt++) {',
          '    try {',
          `      const response = await fetch(\`https://api.example.com/orders/${i}/\${orderId}\`, { method: 'POST', signal: AbortSignal.timeout(30_000) });`,
          '      if (response.ok) return await response.json();',
          '    } catch (error) {',
          '      if (attempt === 4) throw error;',
          '    }',
          '    await sleep(Math.random() * Math.min(1000 * 2 ** attempt, 30_000));',
          '  }',
          '  return undefined;',
          '}',
        );
        break;
      case 1:
        out.push(
          '',
          `export function archive${i}(url: string, body: string): Promise<Response> {`,
          "  return pRetry(() => fetch(url, { method: 'PUT', body, signal: AbortSignal.timeout(20_000) }), {",
          '    retries: 4,',
          '    minTimeout: 1000,',
          '    maxTimeout: 16_000,',
          '  });',
          '}',
        );
        break;
      default:
        out.push(
          '',
          `export async function fetchUser${i}(userId: string, fields: string[] = ['id', 'name']): Promise<User> {`,
          `  const query = new URLSearchParams({ fields: fields.join(','), page: '${i}' });`,
          '  const response = await fetch(`https://api.example.com/users/${userId}?${query}`, { signal: AbortSignal.timeout(10_000) });',
          "  if (!response.ok) throw new Error(`user ${userId}: HTTP ${response.status}`);",
          '  return (await response.json()) as User;',
          '}',
        );
    }
  }
  // Whole functions only: the file may run a few lines past `lines`.
  return `${out.join('\n')}\n`;
}
