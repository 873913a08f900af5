#!/usr/bin/env python3
"""Set up and run Astrobot on a fresh machine with nothing but Python 3.11+.

python3 dev.py run     # virtualenv, install, migrate, staff account, then web + worker + bot
python3 dev.py test    # virtualenv, install, then the whole test suite (extra args go to pytest)
"""

import hashlib
import os
import signal
import socket
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"


def _requirements_digest(name: str) -> str:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "requirements").glob("*.txt")):
        digest.update(path.name.encode() + path.read_bytes())
    return f"{name}:{digest.hexdigest()}"


def ensure_venv(requirements: str) -> None:
    """Create .venv and install requirements/<name>.txt, skipping the install when nothing changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this file runs under whatever python3 the machine has
        sys.exit(f"Python 3.11 or newer is needed, this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print(f"Creating a virtual environment in {VENV.name}/ ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / ".installed"
    wanted = _requirements_digest(requirements)
    installed = stamp.read_text().splitlines() if stamp.exists() else []
    if wanted in installed:
        return
    print(f"Installing requirements/{requirements}.txt ...", flush=True)
    subprocess.run([PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([PYTHON, "-m", "pip", "install", "--quiet", "-r", f"requirements/{requirements}.txt"], check=True)
    stamp.write_text("\n".join([*[line for line in installed if not line.startswith(f"{requirements}:")], wanted]))


def manage(*args: str, env: dict | None = None) -> None:
    subprocess.run([PYTHON, "manage.py", *args], check=True, cwd=ROOT, env=env)


def _dotenv(environ: dict[str, str]) -> dict[str, str]:
    """KEY=value lines of .env (or ENV_FILE), read the simple way: only what dev.py itself needs."""
    path = Path(environ.get("ENV_FILE") or ROOT / ".env")
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for line in path.read_text().splitlines():
        line = line.strip().removeprefix("export ").strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = (part.strip() for part in line.split("=", 1))
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key] = value
    return values


def environment(environ: dict[str, str]) -> dict[str, str]:
    """The environment of `dev.py run`: the shell's, which wins over .env (settings read .env themselves)."""
    env = dict(environ)
    dotenv = _dotenv(environ)
    if "DEBUG" not in env and "DEBUG" not in dotenv:
        # The embedded defaults are a development setup; production runs through the Procfile.
        env["DEBUG"] = "1"
    if "Q_STOP_GRACE" not in env and "Q_STOP_GRACE" not in dotenv:
        # honcho kills what is still running 5 s after Ctrl+C: let the worker hand its tasks back before.
        env["Q_STOP_GRACE"] = "3"
    # Procfile.dev reads PORT itself, so it must be in the environment even when only .env has it.
    env["PORT"] = env.get("PORT") or dotenv.get("PORT") or "8000"
    return env


def port_problem(port: str) -> str | None:
    """Why the web process could not listen on 127.0.0.1:PORT, or None when it can."""
    hint = "Set PORT to a free port in the environment or in .env, e.g.  PORT=8001 python3 dev.py run"
    if not port.isdigit() or not 0 < int(port) < 65536:
        return f"PORT={port!r} is not a port number. {hint}"
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does
        try:
            probe.bind(("127.0.0.1", int(port)))
        except OSError as error:
            return f"Port {port} (PORT) is busy: {error.strerror}. Another dev.py run, perhaps? {hint}"
    return None


def serve(env: dict[str, str], python: Path = PYTHON) -> int:
    """Run Procfile.dev with honcho until it ends, or until Ctrl+C, SIGTERM or SIGHUP stops all of it.

    honcho runs in a process group of its own and each of its processes in a session of its own, so a signal
    reaches only this script, which asks honcho to stop everything (SIGTERM to each process's group, SIGKILL
    5 s later) and waits for it. Killing honcho outright would leave its processes running.
    """
    env = {**env, "PATH": f"{python.parent}{os.pathsep}{env.get('PATH', os.defpath)}"}
    # honcho would load .env over the environment; settings read .env themselves, under the environment.
    command = [str(python), "-m", "honcho", "--env", os.devnull, "-f", "Procfile.dev", "start"]
    stopping: list[int] = []
    started: list[subprocess.Popen] = []

    def stop(signum: int, frame: object) -> None:
        if not stopping:
            print(f"\n{signal.Signals(signum).name}: stopping web, worker and bot ...", file=sys.stderr, flush=True)
            for honcho in started:
                os.kill(honcho.pid, signal.SIGTERM)
        stopping.append(signum)

    handled = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {signum: signal.signal(signum, stop) for signum in handled}
    try:
        honcho = subprocess.Popen(command, cwd=ROOT, env=env, process_group=None if os.name == "nt" else 0)
        started.append(honcho)
        if stopping:  # a signal came while honcho was starting
            os.kill(honcho.pid, signal.SIGTERM)
        code = honcho.wait()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 0 if stopping else code


def run() -> int:
    """Set up and run the web process, the task worker and the bot (polling) together."""
    ensure_venv("prod")
    env = environment(dict(os.environ))
    problem = port_problem(env["PORT"])
    if problem:
        print(problem, file=sys.stderr)
        return 1
    manage("migrate", "--noinput", env=env)
    manage("sync_roles", env=env)
    manage("sync_schedules", env=env)
    manage("ensure_admin", env=env)
    print(
        f"\nAdmin: http://127.0.0.1:{env['PORT']}/admin/   Health: http://127.0.0.1:{env['PORT']}/health\n", flush=True
    )
    return serve(env)


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def test(args: list[str]) -> int:
    """Run the test suite; no test collected counts as a failure."""
    ensure_venv("dev")
    if not os.path.exists(CHROMIUM):
        warning = (
            f"\n*** Chromium is not at {CHROMIUM}: the staff panel's browser tests will be SKIPPED.\n"
            "*** Install it (Debian: apt-get install chromium) or set CHROMIUM_PATH.\n"
        )
        print(warning, file=sys.stderr, flush=True)
    code = subprocess.call([PYTHON, "-m", "pytest", *args], cwd=ROOT)
    if not os.path.exists(CHROMIUM):
        print(warning, file=sys.stderr, flush=True)
    if code == 5:
        print("pytest collected no tests: that is a failure, not a pass.", file=sys.stderr)
        return 1
    return code


def main() -> int:
    command, *rest = sys.argv[1:] or ["help"]
    if command == "run":
        try:
            return run()
        except KeyboardInterrupt:  # during set-up: nothing runs yet
            return 130
    if command == "test":
        return test(rest)
    if command == "setup":
        ensure_venv(rest[0] if rest else "dev")
        return 0
    print(__doc__)
    return 0 if command == "help" else 2


if __name__ == "__main__":
    sys.exit(main())
