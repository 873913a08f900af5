import pytest

from bot import runtime
from bot.console.fake_api import FakeBotAPI


@pytest.fixture
def fake_api():
    """A fake Telegram Bot API on loopback, for one test."""
    with FakeBotAPI() as api:
        yield api


@pytest.fixture
def bot_settings(settings, fake_api):
    """Point the bot at the fake Bot API; each test gets a fresh per-process Application."""
    settings.TELEGRAM_BOT_TOKEN = fake_api.token
    settings.TELEGRAM_API_BASE_URL = fake_api.base_url
    settings.TELEGRAM_API_FILE_URL = fake_api.base_file_url
    runtime.state = runtime.BotState()
    runtime._lock = None
    yield fake_api
    runtime.state = runtime.BotState()
    runtime._lock = None


@pytest.fixture
def llm(settings, monkeypatch):
    """A fake OpenAI-compatible server configured as the LLM, with fast retries."""
    from horoscopes.llm import client as llm_client
    from tests.fakes.openai_server import FakeOpenAI

    monkeypatch.setattr(llm_client, "BACKOFF_SECONDS", 0.01)
    with FakeOpenAI() as server:
        settings.LLM_BASE_URL = server.base_url
        settings.LLM_API_KEY = "test"
        settings.LLM_MODEL = "fake-llm"
        settings.LLM_PRICES = {"fake-llm": [0.5, 1.5]}
        yield server
        assert server.errors == []


@pytest.fixture(autouse=True)
def _bot_config_fresh():
    """Admin Bot settings are cached per process: each test starts from what its database holds."""
    from users.bot_config import bot_config_forget

    bot_config_forget()
    yield
    bot_config_forget()


@pytest.fixture
def drawn_texts(monkeypatch) -> list[str]:
    """Every text Pillow draws on an image during the test, in order (to read what a picture says)."""
    from PIL import ImageDraw

    drawn: list[str] = []
    original = ImageDraw.ImageDraw.text

    def text(self, xy, content, *args, **kwargs):
        drawn.append(str(content))
        return original(self, xy, content, *args, **kwargs)

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", text)
    return drawn
