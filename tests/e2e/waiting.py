"""Waiting for a condition in a page. Playwright's wait_for_function polls by evaluating its text, which the
shop's Content-Security-Policy (no 'unsafe-eval') refuses whenever the condition is not true at once."""
import time


def wait_until(page, expression: str, timeout: float = 10.0) -> None:
    """Until `expression` (a JavaScript expression, or a function's text) is truthy in `page`."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {timeout:g} s: {expression}")
        page.wait_for_timeout(50)
