"""What the payments app announces once a change has committed, for the layer that tells the user.

Sent with `payment_id` from `transaction.on_commit`, only for changes made in the background (a provider
check, the Stars reconciliation, a staff refund): the bot's own handlers answer the user themselves.
"""

from django.dispatch import Signal

# Premium was granted by a payment confirmed away from the chat (card payment checked, Stars reconciled).
payment_granted = Signal()
# A payment was refunded (by staff, or found refunded at Telegram) and Premium shortened.
payment_refunded = Signal()
