"""Payments tests; the chats they buy from."""

CHAT = 5300000001
OTHER = 5300000002
