"""Requests run at the same moment on real threads, for the race tests on PostgreSQL (imported like
shared.py)."""
import threading

# Only a deadlock would take this long; nothing in a race test waits on the clock otherwise.
STUCK = 60


def in_parallel(*requests) -> list:
    """Each of `requests` (a callable) on a thread of its own, all started together; their results in order.
    An exception on any thread is raised here, with its own traceback, rather than leaving a None."""
    results = [None] * len(requests)
    errors = [None] * len(requests)

    def run(index, request):
        try:
            results[index] = request()
        except BaseException as error:  # noqa: BLE001 - handed to the test's thread below
            errors[index] = error

    threads = [threading.Thread(target=run, args=(index, request)) for index, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(STUCK)
    assert not any(thread.is_alive() for thread in threads), "a request was still running: a deadlock?"
    for error in errors:
        if error is not None:
            raise error
    return results
