"""Reads stock levels so the bot can promise (or not) a delivery date."""
import random
import time

import requests

STOCK_URL = "http://warehouse.internal:8080/stock"


def stock_level(sku: str) -> int:
    for attempt in range(4):
        try:
            response = requests.get(f"{STOCK_URL}/{sku}", timeout=2)
            response.raise_for_status()
            return int(response.json()["available"])
        except requests.ConnectionError:
            time.sleep(random.uniform(0, min(30, 5 * 2 ** attempt)))
    raise RuntimeError(f"warehouse unreachable for {sku}")
