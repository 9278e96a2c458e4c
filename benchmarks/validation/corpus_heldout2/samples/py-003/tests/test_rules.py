from alertbus.notifiers import NullNotifier, build_notifier
from alertbus.rules import Evaluator, Rule


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class RecordingNotifier:
    """Keeps what would have been sent so tests can look at it."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send(self, title: str, body: str) -> None:
        self.sent.append((title, body))


def test_fires_once_within_cooldown():
    clock = FakeClock()
    notifier = RecordingNotifier()
    ev = Evaluator(notifier, clock=clock)
    ev.add(Rule("cpu", threshold=0.9, cooldown_s=60))
    assert ev.observe("cpu", 0.95)
    clock.now += 30
    assert not ev.observe("cpu", 0.97)
    clock.now += 31
    assert ev.observe("cpu", 0.99)
    assert len(notifier.sent) == 2


def test_disabled_config_gives_null_notifier():
    assert isinstance(build_notifier({"enabled": False}), NullNotifier)
