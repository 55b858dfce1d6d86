"""Drafts answers to support tickets with an LLM."""
from openai import OpenAI
from tenacity import retry, stop_after_attempt, wait_exponential

# The SDK client retries by itself: 2 retries, so up to 3 requests per call.
client = OpenAI()


@retry(stop=stop_after_attempt(5), wait=wait_exponential(multiplier=1, max=30))
def draft_answer(ticket_text: str) -> str:
    response = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {"role": "system", "content": "You draft polite, short answers to support tickets."},
            {"role": "user", "content": ticket_text},
        ],
        timeout=30,
    )
    return response.choices[0].message.content or ""
