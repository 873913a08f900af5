"""Failed django-q2 tasks reach Sentry (sentry-sdk has no django-q integration of its own)."""

import sentry_sdk
from django_q.signals import post_execute


class Recorder(sentry_sdk.transport.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[dict] = []

    def capture_envelope(self, envelope) -> None:
        for item in envelope.items:
            event = item.get_event()
            if event:
                self.events.append(event)


def test_failed_task_is_reported_and_a_successful_one_is_not():
    recorder = Recorder()
    sentry_sdk.init(dsn="https://key@sentry.example.com/1", transport=recorder, default_integrations=False)
    try:
        post_execute.send(
            sender="django_q",
            task={"id": "a1", "name": "ok", "func": "bot.tasks.heartbeat", "success": True, "result": None},
        )
        post_execute.send(
            sender="django_q",
            task={
                "id": "b2",
                "name": "boom",
                "func": "bot.tasks.updates_prune",
                "success": False,
                "result": "Traceback: ValueError: boom",
            },
        )
        sentry_sdk.flush()
    finally:
        sentry_sdk.init()  # back to a disabled client

    assert len(recorder.events) == 1
    event = recorder.events[0]
    assert "bot.tasks.updates_prune" in event["message"] and "ValueError: boom" in event["message"]
    assert event["tags"]["task"] == "bot.tasks.updates_prune"
    assert event["level"] == "error"
