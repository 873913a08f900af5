"""The task worker: django-q2's cluster, run so that SIGTERM or SIGINT to its whole process group stops it.

django-q2's own `qcluster` stops from inside its signal handler (issue #346) and lets the signal kill its
children, which can leave it waiting for ever on a process that is already dead. Here only the main process
reacts to a signal: it notes it, and outside the handler tells the sentinel to stop; every child ignores
SIGTERM and SIGINT. Tasks still running after Q_STOP_GRACE seconds are killed: unacknowledged, the ORM broker
hands them out again after Q_CLUSTER["retry"]. See the README, "Deploying".
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import threading
import time
import uuid
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django_q.cluster import Sentinel, get_mp_context
from django_q.conf import Conf
from django_q.scheduler import scheduler

logger = logging.getLogger(__name__)

# After the grace period, the sentinel kills busy workers, then (this much later) the pusher and monitor;
# the main process kills whatever is left of the tree after twice that.
_AUX_AFTER = 4.0
_POLL = 0.2
_STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}


class _Sentinel(Sentinel):
    """django-q2's sentinel, deaf to signals (its children inherit that), with a bounded stop."""

    grace: float = 20.0

    def start(self) -> None:
        # Upstream leaves SIGTERM at its default here, so a signal to the group kills the sentinel and its
        # children mid-way, and the main process then waits on a dead process's lock for ever.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
        threading.Thread(target=self._watch_parent, name="parent-watch", daemon=True).start()
        super().start()

    def guard(self) -> None:
        # Upstream runs the scheduler only after 30 s; after a restart, what is due goes out at once.
        if Conf.SCHEDULER:
            scheduler(broker=self.broker)
        super().guard()

    def stop(self) -> None:
        timers = [
            threading.Timer(self.grace, self._kill_busy_workers),
            threading.Timer(self.grace + _AUX_AFTER, self._kill_auxiliaries),
        ]
        for timer in timers:
            timer.daemon = True
            timer.start()
        try:
            super().stop()
        finally:
            for timer in timers:
                timer.cancel()

    def _watch_parent(self) -> None:
        # The main process was killed outright (SIGKILL, the OOM killer): stop rather than run orphaned.
        while os.getppid() == self.parent_pid:
            time.sleep(1.0)
        logger.warning("The worker's main process is gone; stopping the cluster")
        self.stop_event.set()

    def _kill_busy_workers(self) -> None:
        busy = [process for process in list(self.pool) if process.is_alive()]
        if busy:
            logger.warning(
                "%d task(s) still running %.0f s after the stop was asked were stopped; "
                "the queue hands them out again after %s s",
                len(busy),
                self.grace,
                Conf.RETRY,
            )
        for process in busy:
            process.kill()

    def _kill_auxiliaries(self) -> None:
        for process in (self.pusher, self.monitor):
            if process is not None and process.is_alive():
                logger.warning("%s did not stop in time; killed", process.name)
                process.kill()


def _sentinel_main(stop_event, start_event, cluster_id: uuid.UUID, grace: float) -> None:
    """Entry point of the sentinel process."""
    # Held back until start() ignores them: upstream's __init__ restores SIGTERM's default first.
    signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    _Sentinel.grace = grace
    _Sentinel(stop_event, start_event, cluster_id)


def _process_tree(root: int) -> dict[int, str]:
    """The descendants of `root` (Linux /proc; empty elsewhere), each with its start time to tell reused ids."""
    children: dict[int, list[int]] = {}
    started: dict[int, str] = {}
    proc = Path("/proc")
    if not proc.is_dir():
        return {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)
        started[pid] = fields[19]
    tree: dict[int, str] = {}
    todo = list(children.get(root, []))
    while todo:
        pid = todo.pop()
        tree[pid] = started[pid]
        todo.extend(children.get(pid, []))
    return tree


def _kill_tree(tree: dict[int, str]) -> None:
    """SIGKILL every process of a snapshot that is still the same process."""
    for pid, started in tree.items():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[19] == started and fields[0] != "Z":
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


class Worker:
    """The main process of one cluster: starts the sentinel, waits for a signal, stops it within a bound."""

    def __init__(self, *, grace: float) -> None:
        self.grace = grace
        self.signal: int | None = None
        self.cluster_id = uuid.uuid4()

    def _note_signal(self, signum: int, frame: object) -> None:
        # Only a note: stopping from here is what deadlocks upstream's cluster (django-q2 issue #346).
        self.signal = signum

    def run(self) -> int:
        """Run until SIGTERM or SIGINT; 0 after a clean stop, 1 if the cluster died on its own."""
        if Conf.SYNC:
            raise ImproperlyConfigured("Q_SYNC is on: tasks run inline, so there is nothing for a worker to run.")
        for connection in connections.all():
            if connection.settings_dict.get("OPTIONS", {}).get("pool"):
                raise ImproperlyConfigured("The worker forks: it must run without psycopg's pool (see settings).")
        for signum in _STOP_SIGNALS:
            signal.signal(signum, self._note_signal)
        # Nothing of this process's may cross the fork: the children would share its sockets.
        connections.close_all()
        context = get_mp_context()
        stop_event, start_event = context.Event(), context.Event()
        sentinel = context.Process(
            target=_sentinel_main,
            args=(stop_event, start_event, self.cluster_id, self.grace),
            name=f"Sentinel-{self.cluster_id.hex[:8]}",
        )
        sentinel.start()
        logger.info("Worker %s started (cluster %s)", os.getpid(), self.cluster_id.hex[:8])
        tree: dict[int, str] = {}
        next_snapshot = 0.0
        while self.signal is None:
            if not sentinel.is_alive():
                logger.error("The task cluster died (exit code %s); stopping what is left", sentinel.exitcode)
                _kill_tree(tree)
                return 1
            if time.monotonic() >= next_snapshot:
                tree = _process_tree(os.getpid())
                next_snapshot = time.monotonic() + 2.0
            time.sleep(_POLL)
        return self._stop(sentinel, stop_event)

    def _stop(self, sentinel: multiprocessing.Process, stop_event) -> int:
        name = signal.Signals(self.signal).name if self.signal is not None else "a stop"
        logger.info("Worker %s got %s: stopping (running tasks get %.0f s)", os.getpid(), name, self.grace)
        started = time.monotonic()
        tree = _process_tree(os.getpid())
        # From a thread: setting the event waits for the sentinel to wake, which a dead sentinel never does.
        threading.Thread(target=stop_event.set, name="stop", daemon=True).start()
        sentinel.join(self.grace + 2 * _AUX_AFTER)
        if sentinel.is_alive():
            logger.error("The task cluster did not stop in time; killing it")
            _kill_tree({**tree, **_process_tree(os.getpid())})
            sentinel.join(5)
        else:
            # A child the sentinel lost track of must not outlive the worker either.
            _kill_tree(tree)
        logger.info("Worker %s stopped in %.1f s", os.getpid(), time.monotonic() - started)
        return 0
