"""What the payments app announces once a change has committed, for the layer that tells the user.

Sent with `payment_id` from `transaction.on_commit`, only for changes made in the background (a provider
check, the Stars reconciliation, a staff refund): the bot's own handlers answer the user themselves.
"""

from django.dispatch import Signal

# Premium was granted by a payment confirmed away from the chat (card payment checked, Stars reconciled).
payment_granted = Signal()
# A payment was refunded (by staff, or found refunded at Telegram) and Premium shortened.
payment_refunded = Signal()

# A provider's notification arrived from an allowed address (`address`); a listener may refuse it by raising
# NotificationRefused. The bot layer connects its shared rate limiter (the notification is only a hint: a
# refused one is retried by the provider, and pending payments are polled anyway).
notification_received = Signal()


class NotificationRefused(Exception):
    """Too many notifications: answer 429 and let the provider retry after `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after
