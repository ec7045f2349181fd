"""The shop as several app nodes behind nginx, on one PostgreSQL database, on this machine.

    make cluster                                  # NODES=3 PORT=8080 CLUSTER_DATABASE_URL=… CLUSTER_DIR=…
    .venv/bin/python -m deploy.cluster --nodes 3 --port 8080 --database-url postgresql+psycopg://…/ocop_cluster

Once: the database (created when the server has none of that name), `flask db upgrade` and
`flask demo load --if-empty` on it. Then N nodes, each a gunicorn
(2 sync workers) on 127.0.0.1:PORT+i with folders of its own under the cluster folder, as separate
machines would have (nodes/node-i/: instance, media, search-index); and nginx, run as this user
with its configuration, cache, temporary files and logs under the cluster folder (nginx/), listening on
127.0.0.1:PORT: round robin over the nodes that answer their health check, keeping public pages as the
nodes' Cache-Control allows. Runs in the foreground; Ctrl-C (or SIGTERM) stops everything it started.

Health: open-source nginx only notices a dead node when a request to it fails (it then tries the next
one). The launcher also asks each node's /healthz (the process answers and reaches the database) every
second: a node that fails twice in a row is marked `down` in nginx's upstream list, and put back once it
answers again (nginx reloads its configuration without dropping connections).

The tests (tests/cluster) drive the same Cluster class.
"""
import argparse
import getpass
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
GUNICORN_CONFIG = Path(__file__).resolve().parent / "gunicorn.conf.py"
HOST = "127.0.0.1"
NODE_FOLDERS = ("instance", "media", "search-index")
DEFAULT_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/ocop_cluster"
START_TIMEOUT = 60
HEALTH_INTERVAL = 1.0
# Consecutive failed health checks before a node leaves nginx's list.
HEALTH_FAILURES = 2


def find_nginx() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def create_database_if_missing(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                     {"name": target.database}):
                print(f"cluster: creating the database {target.database}…", flush=True)
                connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        server.dispose()


@dataclass
class Node:
    index: int
    port: int
    folder: Path
    env: dict
    workers: int = 2
    process: subprocess.Popen | None = None
    healthy: bool = False
    failures: int = 0

    @property
    def name(self) -> str:
        return f"node-{self.index}"

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def address(self) -> str:
        return f"{HOST}:{self.port}"

    def folders(self) -> dict[str, Path]:
        return {name: self.folder / name for name in NODE_FOLDERS}

    def node_env(self) -> dict:
        folders = self.folders()
        # Media live in PostgreSQL; a node's media folder is only its cache of them.
        return {**self.env, "INSTANCE_DIR": str(folders["instance"]), "MEDIA_STORE": "postgresql",
                "MEDIA_CACHE_DIR": str(folders["media"]), "SEARCH_INDEX_DIR": str(folders["search-index"])}

    def start(self) -> None:
        for path in self.folders().values():
            path.mkdir(parents=True, exist_ok=True)
        log = open(self.folder / "gunicorn.log", "ab")
        command = [str(BIN / "gunicorn"), "-c", str(GUNICORN_CONFIG), "-w", str(self.workers), "-b", self.address,
                   "--graceful-timeout", "10", "--access-logfile", "-", "wsgi:app"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.node_env(), stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        log.close()

    def answers(self, path: str = "/healthz", timeout: float = 2) -> bool:
        try:
            with urllib.request.urlopen(self.url + path, timeout=timeout) as response:
                return response.status == 200
        except OSError:
            return False

    def wait_until_healthy(self, timeout: float = START_TIMEOUT) -> float:
        """Seconds from now until /healthz answers 200."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}; see "
                                   f"{self.folder / 'gunicorn.log'}")
            if self.answers():
                return time.monotonic() - started
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not answer {self.url}/healthz within {timeout} s")

    def kill(self) -> None:
        """As a machine that loses power: SIGKILL to gunicorn and its workers."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # gunicorn stops its workers gracefully
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()

    def wipe(self) -> None:
        """Empties the node's folders (a new machine): only while it is stopped."""
        assert self.process is None or self.process.poll() is not None, "stop the node first"
        for path in self.folders().values():
            shutil.rmtree(path, ignore_errors=True)


@dataclass
class Cluster:
    directory: Path
    database_url: str = DEFAULT_DATABASE_URL
    nodes_count: int = 3
    port: int = 8080
    node_ports: list[int] | None = None
    workers: int = 2
    settings: dict = field(default_factory=dict)
    nodes: list[Node] = field(default_factory=list)
    nginx: subprocess.Popen | None = None
    _monitor: threading.Thread | None = None
    _stopping: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def nginx_dir(self) -> Path:
        return self.directory / "nginx"

    # --- setting up ---

    def base_env(self) -> dict:
        env = {key: value for key, value in os.environ.items() if not key.startswith(("FLASK_RUN", "WERKZEUG"))}
        env.update({
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": env.get("SECRET_KEY") or self._secret_key(),
            # The address visitors use (canonical links, e-mails, QR codes): the same on every node.
            "PUBLIC_BASE_URL": env.get("PUBLIC_BASE_URL") or self.url,
            # Behind one proxy: the client address comes from nginx's X-Forwarded-For.
            "TRUSTED_PROXY_COUNT": "1",
            # Each worker rereads the content version twice a second: a change made on another node shows
            # within 0.5 s, and through nginx within that plus HTTP_SHARED_MAX_AGE.
            "PAGE_CACHE_VERSION_TTL": "0.5",
            # One release name for every node, so a page's ETag is the same whichever node made it.
            "RELEASE": env.get("RELEASE") or self._release(),
            "FLASK_APP": "wsgi",
        })
        env.update(self.settings)
        return env

    def _secret_key(self) -> str:
        # Every node must sign sessions with the same key; kept in the cluster folder across restarts.
        path = self.directory / "secret_key"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()

    @staticmethod
    def _release() -> str:
        sys.path.insert(0, str(ROOT))
        from storefront.httpcache import release_fingerprint

        return release_fingerprint(ROOT)

    def flask(self, *args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
        """A `flask` command against the cluster's database (with a node's folders when `env` gives them)."""
        return subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=env or self.base_env(),
                              check=check, capture_output=True, text=True, timeout=600)

    def prepare(self, demo: bool = True) -> None:
        """Once before the nodes start: the database if the server has none of that name, the schema, and the
        demo catalogue when the database is empty."""
        self.directory.mkdir(parents=True, exist_ok=True)
        create_database_if_missing(self.database_url)
        env = self.base_env()
        env["INSTANCE_DIR"] = str(self.directory / "setup")
        self._run_step("flask db upgrade", ["db", "upgrade"], env)
        if demo:
            self._run_step("flask demo load --if-empty", ["demo", "load", "--if-empty"], env)

    def _run_step(self, title: str, args: list[str], env: dict) -> None:
        print(f"cluster: {title}…", flush=True)
        finished = self.flask(*args, env=env, check=False)
        if finished.returncode != 0:
            raise RuntimeError(f"{title} failed:\n{finished.stdout[-3000:]}{finished.stderr[-3000:]}")

    # --- running ---

    def start(self) -> None:
        if find_nginx() is None:
            raise RuntimeError("nginx is not installed: apt-get install -y nginx-light")
        self.directory.mkdir(parents=True, exist_ok=True)
        env = self.base_env()
        ports = self.node_ports or [self.port + i for i in range(1, self.nodes_count + 1)]
        self.nodes = [Node(index=i, port=port, folder=self.directory / "nodes" / f"node-{i}", env=env,
                           workers=self.workers)
                      for i, port in enumerate(ports[:self.nodes_count], start=1)]
        try:
            for node in self.nodes:
                node.start()
            for node in self.nodes:
                node.wait_until_healthy()
                node.healthy = True
            self._start_nginx()
        except BaseException:
            self.stop()
            raise
        self._stopping.clear()
        self._monitor = threading.Thread(target=self._watch_health, name="cluster-health", daemon=True)
        self._monitor.start()

    def _start_nginx(self) -> None:
        for name in ("conf", "logs", "run", "temp", "cache"):
            (self.nginx_dir / name).mkdir(parents=True, exist_ok=True)
        self._write_upstreams()
        conf = self.nginx_dir / "conf" / "nginx.conf"
        conf.write_text(self.nginx_conf())
        command = [find_nginx(), "-p", str(self.nginx_dir), "-c", str(conf), "-e", str(self.nginx_dir / "logs" / "error.log"),
                   "-g", "daemon off;"]
        test = subprocess.run([*command[:-2], "-t"], capture_output=True, text=True)
        if test.returncode != 0:
            raise RuntimeError(f"nginx refuses its configuration:\n{test.stderr}")
        log = open(self.nginx_dir / "logs" / "nginx.out", "ab")
        self.nginx = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.nginx.poll() is not None:
                raise RuntimeError(f"nginx exited; see {self.nginx_dir / 'logs'}")
            try:
                with urllib.request.urlopen(self.url + "/nginx/health", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"nginx did not answer on {self.url}")

    def nginx_conf(self) -> str:
        user = f"user {getpass.getuser()};" if os.geteuid() == 0 else "# runs as the user who started it"
        fields = {
            "USER": user, "RUN": self.nginx_dir / "run", "LOGS": self.nginx_dir / "logs",
            "TEMP": self.nginx_dir / "temp", "CACHE": self.nginx_dir / "cache", "CONF": self.nginx_dir / "conf",
            "LISTEN": f"{HOST}:{self.port}",
            "SESSION_COOKIE": self.settings.get("SESSION_COOKIE_NAME", "session"),
            "REMEMBER_COOKIE": self.settings.get("REMEMBER_COOKIE_NAME", "remember_token"),
        }
        text = TEMPLATE.read_text()
        for name, value in fields.items():
            text = text.replace(f"@{name}@", str(value))
        return text

    def _write_upstreams(self) -> None:
        lines = ["# Written by deploy/cluster.py: the nodes, `down` while one fails its health check.",
                 "upstream shop_nodes {"]
        for node in self.nodes:
            lines.append(f"    server {node.address} max_fails=1 fail_timeout=2s{'' if node.healthy else ' down'};")
        if not any(node.healthy for node in self.nodes):
            lines[-len(self.nodes):] = [line.replace(" down;", ";") for line in lines[-len(self.nodes):]]
        lines += ["    keepalive 32;", "}", ""]
        (self.nginx_dir / "conf" / "upstream.conf").write_text("\n".join(lines))

    def _reload_nginx(self) -> None:
        if self.nginx is not None and self.nginx.poll() is None:
            self._write_upstreams()
            self.nginx.send_signal(signal.SIGHUP)

    def _watch_health(self) -> None:
        while not self._stopping.wait(HEALTH_INTERVAL):
            for node in list(self.nodes):
                if self._stopping.is_set():
                    return
                ok = node.answers(timeout=1)
                with self._lock:
                    node.failures = 0 if ok else node.failures + 1
                    changed = (ok and not node.healthy) or (node.healthy and node.failures >= HEALTH_FAILURES)
                    if changed:
                        node.healthy = ok
                        print(f"cluster: {node.name} is {'back' if ok else 'down'}", flush=True)
                        self._reload_nginx()

    def restart_node(self, node: Node, empty: bool = False) -> float:
        """Starts a stopped or killed node again (with empty folders when `empty`); seconds until it
        answers its health check."""
        node.kill()
        if empty:
            node.wipe()
        node.start()
        return node.wait_until_healthy()

    def stop(self) -> None:
        self._stopping.set()
        if self._monitor is not None:
            self._monitor.join(timeout=5)
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)  # graceful: finishes the requests in flight
            try:
                self.nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.nginx.pid, signal.SIGKILL)
                self.nginx.wait(timeout=5)
        for node in self.nodes:
            node.stop()

    def serve_forever(self) -> None:
        print(f"cluster: {len(self.nodes)} nodes behind nginx at {self.url}/ "
              f"({', '.join(n.url for n in self.nodes)}); folders in {self.directory}. Ctrl-C stops all.", flush=True)
        while True:
            for node in self.nodes:
                if node.process is not None and node.process.poll() is not None:
                    print(f"cluster: {node.name} exited ({node.process.returncode}); starting it again", flush=True)
                    node.start()
            if self.nginx is not None and self.nginx.poll() is not None:
                raise RuntimeError(f"nginx exited with {self.nginx.returncode}; see {self.nginx_dir / 'logs'}")
            time.sleep(1)


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Several app nodes behind nginx (see the module docstring).")
    parser.add_argument("--nodes", type=int, default=int(os.environ.get("NODES", "3")))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8080")),
                        help="nginx's port on 127.0.0.1; the nodes take the next ones (default 8080)")
    parser.add_argument("--database-url", default=os.environ.get("CLUSTER_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--dir", type=Path, default=Path(os.environ.get("CLUSTER_DIR", ROOT / "instance" / "cluster")))
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per node (default 2)")
    parser.add_argument("--no-demo", dest="demo", action="store_false", help="do not load the demo catalogue")
    args = parser.parse_args(argv)
    if not 1 <= args.nodes <= 32:
        parser.error("--nodes must be 1–32")
    if not args.database_url.startswith("postgresql"):
        parser.error("the nodes share one PostgreSQL database: --database-url postgresql+psycopg://…")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    cluster = Cluster(directory=args.dir.resolve(), database_url=args.database_url, nodes_count=args.nodes,
                      port=args.port, workers=args.workers)
    try:
        cluster.prepare(demo=args.demo)
        cluster.start()
        cluster.serve_forever()
    except KeyboardInterrupt:
        print("cluster: stopping…", file=sys.stderr)
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
