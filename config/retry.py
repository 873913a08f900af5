"""The one backoff rule for every retry loop (Telegram polling and sending, the LLM client)."""

import random


def backoff_delay(failures: int, *, base: float, cap: float = float("inf"), jitter: float = 0.0) -> float:
    """Seconds to wait after `failures` failures in a row: base, 2*base, 4*base ... up to cap, plus jitter."""
    delay = min(base * 2 ** max(failures - 1, 0), cap)
    return delay + (random.uniform(0, jitter) if jitter else 0.0)  # noqa: S311 - spreading retries, not secrets
