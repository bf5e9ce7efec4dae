import json
import logging

import pytest
from django.test import Client

from security.tests.mfa import FakeClock


@pytest.fixture(autouse=True)
def _second_factor_passed_at_login():
    """Here the two-factor gate is tested for real: no account is marked verified at login."""
    yield


@pytest.fixture
def clock(monkeypatch):
    return FakeClock(monkeypatch)


class _Lines(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def security_log():
    """The JSON lines the "security" logger writes during the test, as dicts (`.events`) and text."""
    handler = _Lines()
    logger = logging.getLogger("security")
    logger.addHandler(handler)
    handler.events = lambda: [json.loads(line) for line in handler.lines]
    yield handler
    logger.removeHandler(handler)


@pytest.fixture
def everything_logged():
    """Every log line of every logger during the test (axes, django, security …), as text."""
    handler = _Lines()
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)
    root.setLevel(old_level)


@pytest.fixture
def client_at():
    """A browser at a given network address."""
    return lambda address, **extra: Client(REMOTE_ADDR=address, **extra)
