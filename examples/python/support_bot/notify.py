"""Tells the on-call agent about urgent tickets."""
import random
import time

import httpx

NOTIFY_URL = "https://chat.example/hooks/support-oncall"


async def notify_on_call(message: str) -> None:
    async with httpx.AsyncClient(timeout=5.0) as client:
        for attempt in range(3):
            try:
                response = await client.post(NOTIFY_URL, json={"text": message})
                response.raise_for_status()
                return
            except httpx.TransportError:
                time.sleep(1 + random.random())
        raise RuntimeError("on-call notification failed")
