#!/usr/bin/env python3
"""Set up and run Astrobot on a fresh machine with nothing but Python 3.11+.

python3 dev.py run     # virtualenv, install, migrate, staff account, then web + worker + bot
python3 dev.py test    # virtualenv, install, then the whole test suite (extra args go to pytest)
"""

import hashlib
import os
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


def _dotenv_defines(name: str) -> bool:
    path = ROOT / ".env"
    if not path.exists():
        return False
    return any(line.strip().startswith(f"{name}=") for line in path.read_text().splitlines())


def run() -> int:
    """Set up and run the web process, the task worker and the bot (polling) together."""
    ensure_venv("prod")
    env = dict(os.environ)
    if "DEBUG" not in env and not _dotenv_defines("DEBUG"):
        # The embedded defaults are a development setup; production runs through the Procfile.
        env["DEBUG"] = "1"
    env.setdefault("PORT", "8000")
    manage("migrate", "--noinput", env=env)
    manage("sync_schedules", env=env)
    manage("ensure_admin", env=env)
    print(
        f"\nAdmin: http://127.0.0.1:{env['PORT']}/admin/   Health: http://127.0.0.1:{env['PORT']}/health\n", flush=True
    )
    try:
        return subprocess.call([PYTHON, "-m", "honcho", "-f", "Procfile.dev", "start"], cwd=ROOT, env=env)
    except KeyboardInterrupt:
        return 0


def test(args: list[str]) -> int:
    """Run the test suite; no test collected counts as a failure."""
    ensure_venv("dev")
    code = subprocess.call([PYTHON, "-m", "pytest", *args], cwd=ROOT)
    if code == 5:
        print("pytest collected no tests: that is a failure, not a pass.", file=sys.stderr)
        return 1
    return code


def main() -> int:
    command, *rest = sys.argv[1:] or ["help"]
    if command == "run":
        return run()
    if command == "test":
        return test(rest)
    if command == "setup":
        ensure_venv(rest[0] if rest else "dev")
        return 0
    print(__doc__)
    return 0 if command == "help" else 2


if __name__ == "__main__":
    sys.exit(main())
