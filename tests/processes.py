"""Real processes for tests: the web process as gunicorn.conf.py starts it, on a free port, always stopped."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Settings that would leak from the test runner's environment into a production-like child.
_RUNNER_ONLY = {"DEBUG", "TESTING", "DATABASE_URL", "SQLITE_PATH", "LOG_FORMAT", "LOG_LEVEL", "DJANGO_SETTINGS_MODULE"}
PRODUCTION = {
    "DEBUG": "0",
    "TESTING": "0",
    "SECRET_KEY": "test-only-" + "s" * 50,
    "TELEGRAM_WEBHOOK_SECRET": "test-only-hook",
    "ALLOWED_HOSTS": "astro.example.com",
    "TELEGRAM_BOT_TOKEN": "",
    "ENV_FILE": os.devnull,
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def descendants(root: int) -> set[int]:
    """Processes below `root`, from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
    found, todo = set(), [root]
    while todo:
        parent = todo.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found.update(children)
        todo.extend(children)
    return found


def child_environment(**overrides: str) -> dict[str, str]:
    """The runner's environment without its settings, production values, then `overrides`."""
    clean = {key: value for key, value in os.environ.items() if key not in _RUNNER_ONLY}
    bin_dir = str(Path(sys.executable).parent)
    return {**clean, "PATH": f"{bin_dir}{os.pathsep}{clean.get('PATH', '')}", **PRODUCTION, **overrides}


@dataclass
class WebProcess:
    """A running web process and where its output goes."""

    process: subprocess.Popen
    port: int
    stdout: Path
    stderr: Path
    final_output: list[str] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output_lines(self) -> list[str]:
        """Every line the process wrote to stdout and stderr (so far, or until it stopped)."""
        if self.final_output is not None:
            return self.final_output
        return [line for path in (self.stdout, self.stderr) for line in path.read_text(errors="replace").splitlines()]


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
    # gunicorn's workers may outlive a master killed hard: end the group either way.
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


@contextmanager
def web_process(env: dict[str, str], *, start_timeout: float = 30) -> Iterator[WebProcess]:
    """gunicorn with gunicorn.conf.py (one worker) on a free port; stopped with its whole group on exit."""
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        stdout, stderr = Path(tmp) / "stdout", Path(tmp) / "stderr"
        with stdout.open("wb") as out, stderr.open("wb") as err:
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"],
                cwd=ROOT,
                env={**env, "PORT": str(port), "WEB_CONCURRENCY": "1"},
                stdout=out,
                stderr=err,
                start_new_session=True,
            )
        web = WebProcess(process, port, stdout, stderr)
        try:
            _wait_until_serving(web, start_timeout)
            yield web
        finally:
            _stop(process)
            web.final_output = web.output_lines()


def _wait_until_serving(web: WebProcess, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if web.process.poll() is not None:
            raise RuntimeError(
                f"the web process exited with {web.process.returncode}:\n" + "\n".join(web.output_lines())
            )
        # The port opens in the master before the worker has loaded the app: wait for the worker.
        if any("Application startup complete" in line for line in web.output_lines()):
            return
        time.sleep(0.05)
    raise RuntimeError("the web process did not start:\n" + "\n".join(web.output_lines()))
