import abc
from typing import Any, ClassVar


class Plugin(metaclass=abc.ABCMeta):
    name: ClassVar[str]
    priority: ClassVar[int] = 100

    @abc.abstractmethod
    def setup(self, config: dict[str, Any]) -> None:
        pass

    @abc.abstractmethod
    def run(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Transform ``payload``; called once per event."""
        raise NotImplementedError

    @property
    @abc.abstractmethod
    def version(self) -> str: ...

    def teardown(self) -> None:
        """Release resources; the default plugin holds none."""


class UppercasePlugin(Plugin):
    name = "uppercase"

    def setup(self, config: dict[str, Any]) -> None:
        self.fields = tuple(config.get("fields", ("title",)))

    def run(self, payload: dict[str, Any]) -> dict[str, Any]:
        return {k: v.upper() if k in self.fields and isinstance(v, str) else v for k, v in payload.items()}

    @property
    def version(self) -> str:
        return "1.2.0"
