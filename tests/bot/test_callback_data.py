"""Callback data and buttons: the wire format old buttons rely on, and matching by prefix and action."""

import re

import pytest
from telegram import InlineKeyboardMarkup

from bot.ui import buttons, callback_data


def test_build_keeps_the_wire_format_and_the_64_byte_limit():
    assert callback_data.build("hs", "v", "leo", 20261202) == "hs:v:leo:20261202"
    assert callback_data.build(callback_data.PREMIUM) == "pay"
    with pytest.raises(ValueError):
        callback_data.build("tr", "o", "x" * 70)


@pytest.mark.parametrize(
    ("data", "prefix", "action", "matches"),
    [
        ("tr:h:2", "tr", "h", True),
        ("tr:h", "tr", "h", True),
        ("tr:hp:2", "tr", "h", False),
        ("tr:hp:2", "tr", None, True),
        ("tr", "tr", None, True),
        ("tr", "tr", "h", False),
        ("trx:h:2", "tr", None, False),
        ("pay:c:5", "pay", "c", True),
        ("pay", "pay", None, True),
    ],
)
def test_pattern_matches_a_prefix_and_optionally_an_action(data, prefix, action, matches):
    assert bool(re.match(callback_data.pattern(prefix, action), data)) is matches


def test_arguments_are_the_values_after_the_action():
    assert callback_data.arguments("pay:u:7:y") == ["7", "y"]
    assert callback_data.arguments("pay") == []
    assert callback_data.arguments(None) == []


def test_buttons_as_json_are_bot_api_json():
    markup = InlineKeyboardMarkup(
        [[buttons.callback("History", "tr", "h", 1)], [buttons.url("Pay", "https://example.com/pay")]]
    )
    assert buttons.as_json(markup) == {
        "inline_keyboard": [
            [{"text": "History", "callback_data": "tr:h:1"}],
            [{"text": "Pay", "url": "https://example.com/pay"}],
        ]
    }
