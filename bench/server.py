"""The shop under gunicorn on 127.0.0.1, for the benchmark and the audit; always stopped on the way out."""
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"  # the app preloaded and warmed in the master
HOST = "127.0.0.1"
STARTUP_TIMEOUT = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn_server(env_overrides: dict[str, str], port: int, log_path: Path, workers: int = 2,
                    app: str = "wsgi:app", started=None):
    """Yields the base URL once /healthz answers; the environment is ours plus `env_overrides`.
    `started`, when given, is called with the master's Popen (to find its workers)."""
    env = {**os.environ, **env_overrides}
    env.pop("OCOP_ENV", None)  # the development configuration: no secret needed to serve public pages
    command = [str(GUNICORN), "-c", str(GUNICORN_CONFIG), "-w", str(workers), "-b", f"{HOST}:{port}", app]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        base = f"http://{HOST}:{port}"
        wait_until_healthy(process, base + "/healthz", log_path)
        if started is not None:
            started(process)
        yield base
    finally:
        stop(process)


def wait_until_healthy(process: subprocess.Popen, health_url: str, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log_path}")
        try:
            with urllib.request.urlopen(health_url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer {health_url} within {STARTUP_TIMEOUT} s; see {log_path}")


def worker_memory_mib(master_pid: int) -> list[float]:
    """The resident memory (VmRSS) of each worker of this gunicorn master, in MiB (Linux /proc)."""
    sizes = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master_pid) and "VmRSS" in fields:
            sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sorted(sizes)


def worker_pids(master_pid: int) -> set[int]:
    pids = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            if re.search(rf"^PPid:\s+{master_pid}$", status, re.MULTILINE):
                pids.add(int(entry.name))
    return pids


def fork_start(base: str, master_pid: int, path: str = "/products", runs: int = 3) -> float:
    """Seconds from killing every worker of this gunicorn master to the first answer to `path` (from a
    worker the master forked anew): a worker's start, from its fork to its first page. Best of `runs`."""
    best = None
    for _ in range(runs):
        old = worker_pids(master_pid)
        started = time.perf_counter()
        for pid in old:
            os.kill(pid, signal.SIGKILL)
        with urllib.request.urlopen(base + path, timeout=30) as response:
            response.read()
            assert response.status == 200, response.status
        took = time.perf_counter() - started
        best = took if best is None else min(best, took)
        deadline = time.monotonic() + 30
        while len(worker_pids(master_pid) - old) < len(old) and time.monotonic() < deadline:
            time.sleep(0.05)  # every worker back before the next run
        time.sleep(1)
    return best


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()  # the master stops its workers gracefully
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # its own session: gunicorn and its workers only
        process.wait(timeout=5)


def stop_on_signals() -> None:
    """SIGTERM and SIGINT unwind as KeyboardInterrupt, so the server is stopped on the way out
    (SIGINT too when a shell started us in the background with it ignored)."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)
