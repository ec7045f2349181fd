"""Requests run at the same moment on real threads, for the race tests on PostgreSQL (imported like
shared.py)."""
import threading

# Only a deadlock would take this long; nothing in a race test waits on the clock otherwise.
STUCK = 60


def in_parallel(*requests) -> list:
    """Each of `requests` (a callable) on a thread of its own, all started together; their results in order."""
    results = [None] * len(requests)

    def run(index, request):
        results[index] = request()

    threads = [threading.Thread(target=run, args=(index, request)) for index, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(STUCK)
    assert not any(thread.is_alive() for thread in threads)
    return results
