import random
import time

import requests
from tenacity import retry, stop_after_attempt, wait_random_exponential


@retry(stop=stop_after_attempt(20), wait=wait_random_exponential(multiplier=1, max=30))
def fetch_report(url):
    return requests.get(url, timeout=10).json()


def fetch_status(url):
    for attempt in range(12):
        try:
            return requests.get(url, timeout=10).json()
        except requests.ConnectionError:
            time.sleep(random.uniform(0, 1))
