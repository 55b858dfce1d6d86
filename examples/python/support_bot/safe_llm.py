"""Classifies tickets by urgency: the same kind of call as llm.py, retried by one layer only."""
from openai import OpenAI

# The SDK's own retries are enough: exponential backoff with jitter, Retry-After honoured,
# and only the errors worth retrying (connection errors, 408, 409, 429, 5xx).
client = OpenAI(max_retries=3, timeout=15)


def classify(ticket_text: str) -> str:
    response = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[
            {"role": "system", "content": "Answer with one word: urgent, normal or low."},
            {"role": "user", "content": ticket_text},
        ],
    )
    return (response.choices[0].message.content or "normal").strip().lower()
