import pytest

from nightshift.runner import Runner, failed


class FakeMailer:
    """Records messages instead of sending them."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def send(self, text: str) -> None:
        self.sent.append(text)


def flaky(times: int):
    calls = {"n": 0}

    def job() -> None:
        calls["n"] += 1
        if calls["n"] <= times:
            raise RuntimeError("transient")

    return job


def test_dependencies_run_first() -> None:
    order: list[str] = []
    runner = Runner()
    runner.register("b", lambda: order.append("b"), "a")
    runner.register("a", lambda: order.append("a"))
    runner.run()
    assert order == ["a", "b"]


def test_retries_then_succeeds() -> None:
    runner = Runner()
    runner.register("x", flaky(2), retries=2)
    assert runner.run()["x"].attempts == 3


def test_failed_dependency_skips_and_reports() -> None:
    mailer = FakeMailer()
    runner = Runner()
    runner.register("a", flaky(5))
    runner.register("b", lambda: mailer.send("never"), "a")
    results = runner.run()
    assert failed(results) == ["a", "b"]
    assert mailer.sent == []


def test_unknown_dependency() -> None:
    runner = Runner()
    runner.register("a", lambda: None, "ghost")
    with pytest.raises(KeyError, match="ghost"):
        runner.order()

