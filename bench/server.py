"""The shop under gunicorn on 127.0.0.1, for the benchmark and the audit; always stopped on the way out."""
import os
import signal
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
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
    command = [str(GUNICORN), "-w", str(workers), "-k", "sync", "-b", f"{HOST}:{port}", app]
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
