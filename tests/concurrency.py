"""Races for tests: work released in several threads at the same moment, each with its own connection."""

import threading
from collections.abc import Callable

from django.db import connections


def race(work: Callable[[int], object], threads: int) -> list:
    """Run work(i) for i in range(threads), all released at once; results (or the exceptions raised) in order."""
    barrier = threading.Barrier(threads)
    results: list = [None] * threads

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = work(index)
        except Exception as exc:  # collected for the assertions
            results[index] = exc
        finally:
            connections.close_all()

    pool = [threading.Thread(target=run, args=(index,)) for index in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(60)
    return results
