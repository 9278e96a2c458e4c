"""Invented project-internal code: modules, names and methods the project itself does not have."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from claude_tui.validation import Severity, validate_path

PROJECT_RULES = {
    "imports.missing-project-module",
    "names.missing-project-name",
    "names.undefined-method",
}


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def project_findings(root: Path) -> list[tuple[str, str, int, str]]:
    report = validate_path(root, workers=1)
    return sorted(
        (f.rule, f.path, f.line, f.severity.value)
        for f in report.findings
        if f.rule in PROJECT_RULES
    )


SHOP = {
    "pyproject.toml": '[project]\nname = "shop"\nversion = "1.0"\n',
    "shop/__init__.py": '"""A small shop."""\n\nfrom shop.models import Order\n\n'
    '__all__ = ["Order"]\n',
    "shop/models.py": """\
        from __future__ import annotations

        from dataclasses import dataclass


        class Base:
            def describe(self) -> str:
                return type(self).__name__


        class Order(Base):
            def __init__(self, total: float) -> None:
                self.total = total

            def summary(self) -> str:
                return f"{self.describe()} {self.total}"
        """,
    "shop/checkout.py": """\
        from __future__ import annotations

        from shop.models import Order, OrderLine
        from shop.payments.gateway import StripeGateway
        from shop.utils import format_money
        from . import inventory
        from .models import Base, Customer
        import shop.notifications


        class Checkout(Base):
            def __init__(self, order: Order) -> None:
                self.order = order

            def run(self) -> str:
                self.validate_cart()
                return self.describe()
        """,
    "shop/utils.py": """\
        def format_price(value: float) -> str:
            return f"{value:.2f}"
        """,
}


def test_invented_imports_names_and_methods_fail_validation(tmp_path: Path) -> None:
    root = write(tmp_path, SHOP)
    found = project_findings(root)
    rules_at = {(rule, line) for rule, path, line, _ in found if path == "shop/checkout.py"}
    assert rules_at == {
        ("names.missing-project-name", 3),  # OrderLine
        ("imports.missing-project-module", 4),  # shop.payments.gateway
        ("names.missing-project-name", 5),  # format_money
        ("names.missing-project-name", 6),  # inventory
        ("names.missing-project-name", 7),  # Customer
        ("imports.missing-project-module", 8),  # shop.notifications
        ("names.undefined-method", 16),  # validate_cart
    }
    assert all(severity == "high" for *_, severity in found)


def test_messages_say_what_the_module_defines(tmp_path: Path) -> None:
    root = write(tmp_path, SHOP)
    report = validate_path(root, workers=1)
    messages = {f.message for f in report.findings if f.rule in PROJECT_RULES}
    assert any(
        m.startswith("`shop.utils` has no name `format_money`") and "format_price" in m
        for m in messages
    ), messages
    assert any("`validate_cart`" in m and "Checkout" in m for m in messages), messages


def test_cli_exits_non_zero_on_invented_project_code(tmp_path: Path) -> None:
    root = write(tmp_path, SHOP)
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[3] / "src"))
    done = subprocess.run(
        [sys.executable, "-m", "claude_tui", "validate", "--no-exec", str(root)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0, done.stdout + done.stderr
    assert "format_money" in done.stdout + done.stderr


def test_findings_in_tests_are_down_ranked_not_dropped(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "app"\n',
            "app/__init__.py": "",
            "app/core.py": "def run() -> int:\n    return 1\n",
            "tests/test_core.py": "from app.core import run, stop\n\n\ndef test_run():\n"
            "    assert run() == 1\n",
        },
    )
    assert project_findings(root) == [
        ("names.missing-project-name", "tests/test_core.py", 1, Severity.LOW.value)
    ]


def test_conditional_and_optional_imports_are_ranked_by_guard(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/core.py": "VALUE = 1\n",
            "pkg/use.py": """\
                try:
                    from pkg._speedups import fast
                except ImportError:
                    fast = None
                try:
                    from pkg.core import FAST_VALUE
                except ImportError:
                    FAST_VALUE = 2
                """,
        },
    )
    assert project_findings(root) == [
        ("imports.missing-project-module", "pkg/use.py", 2, "low"),
        ("names.missing-project-name", "pkg/use.py", 6, "low"),
    ]


def test_src_layout_namespace_packages_and_package_dir(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "acme"\n',
            "src/acme/__init__.py": "",
            "src/acme/core.py": "def go() -> None:\n    return None\n",
            # PEP 420: no __init__.py
            "src/acme/plugins/csv/reader.py": "def read() -> list[str]:\n    return []\n",
            "src/acme/app.py": """\
                from acme.core import go
                from acme.plugins.csv.reader import read
                from acme.plugins.csv import reader
                from acme.plugins.json.reader import parse
                from acme.plugins import csv
                """,
        },
    )
    assert project_findings(root) == [
        ("imports.missing-project-module", "src/acme/app.py", 4, "high"),
    ]
    lib = write(
        tmp_path / "lib",
        {
            "setup.cfg": "[metadata]\nname = widgets\n\n[options]\npackage_dir =\n    =lib\n",
            "lib/widgets/__init__.py": "from .base import Widget\n",
            "lib/widgets/base.py": "class Widget:\n    pass\n",
            "lib/widgets/use.py": "from widgets import Widget, Gadget\n",
        },
    )
    assert project_findings(lib) == [
        ("names.missing-project-name", "lib/widgets/use.py", 1, "high"),
    ]


def test_reexports_star_all_getattr_and_conditional_definitions_are_quiet(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pkg/__init__.py": """\
                from .a import *
                from .b import *
                from .lazy import anything_at_all
                from ._compat import text_type, PY2
                from .stdstar import OrderedDict
                """,
            "pkg/a.py": "__all__ = ['alpha', '_private_but_exported']\nalpha = 1\n"
            "_private_but_exported = 2\n",
            "pkg/b.py": "from .deep import *\n",
            "pkg/deep.py": "def beta() -> int:\n    return 2\n",
            "pkg/lazy.py": "def __getattr__(name: str) -> object:\n    return name\n",
            "pkg/_compat.py": """\
                import sys
                from typing import TYPE_CHECKING
                PY2 = sys.version_info[0] == 2
                if PY2:
                    text_type = unicode  # noqa: F821
                else:
                    text_type = str
                if TYPE_CHECKING:
                    from collections.abc import Sequence
                try:
                    from json import loads as fast_loads
                except ImportError:
                    fast_loads = None
                """,
            "pkg/stdstar.py": "from collections import *\n",
            "pkg/dyn.py": "globals()['made_up'] = 1\n",
            "pkg/use.py": """\
                from pkg import alpha, beta, _private_but_exported, anything_at_all
                from pkg._compat import Sequence, fast_loads
                from pkg.dyn import made_up
                from pkg import a, b, deep
                import pkg.a as module_a
                """,
        },
    )
    assert project_findings(root) == []


CLASSES = """\
    from __future__ import annotations

    import enum
    import threading
    from dataclasses import dataclass
    from functools import cached_property
    from typing import Generic, TypeVar

    from pkg.mixins import LoggingMixin, UnknownBaseMixin
    from somewhere_else import Thing  # noqa

    T = TypeVar("T")


    class Color(enum.Enum):
        RED = 1

        def shout(self) -> str:
            return self.RED.name + self._missing_name()

        @classmethod
        def _missing_name(cls) -> str:
            return cls.RED._name_


    class Worker(threading.Thread):
        def go(self) -> None:
            self.start()
            self.join()


    class Failure(ValueError):
        def text(self) -> str:
            return str(self.with_traceback(None).args)


    def with_replacers(cls):
        return cls


    @with_replacers
    @dataclass
    class Point:
        x: int

        def moved(self) -> Point:
            return self.replace_x(1)


    class Box(Generic[T]):
        def __init__(self) -> None:
            self.callback = print

        @property
        def size(self) -> int:
            return 1

        @cached_property
        def weight(self) -> int:
            return self.size

        @staticmethod
        def make() -> Box[int]:
            return Box()

        @classmethod
        def build(cls) -> Box[int]:
            return cls.make()

        def fire(self) -> None:
            self.callback()
            self.size.bit_length()


    class Logged(LoggingMixin):
        def go(self) -> None:
            self.log("go")


    class Mixed(UnknownBaseMixin):
        def go(self) -> None:
            self.anything()


    class External(Thing):
        def go(self) -> None:
            self.whatever()


    class Dynamic:
        def __getattr__(self, name: str) -> object:
            return name

        def go(self) -> None:
            self.anything()


    class Patched:
        def go(self) -> None:
            self.later()


    Patched.later = lambda self: None


    class Meta(type):
        pass


    class WithMeta(metaclass=Meta):
        def go(self) -> None:
            self.added_by_meta()


    class Setter:
        def __init__(self, **kw: object) -> None:
            for key, value in kw.items():
                setattr(self, key, value)

        def go(self) -> None:
            self.configured()


    def factory() -> object:
        class Local:
            def go(self) -> None:
                self.whatever()

        return Local
    """


def test_known_members_through_stdlib_bases_decorators_and_dynamic_classes_are_quiet(
    tmp_path: Path,
) -> None:
    root = write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/mixins.py": """\
                import logging
                from somewhere_else import Base  # noqa


                class LoggingMixin:
                    def log(self, text: str) -> None:
                        logging.getLogger(__name__).info(text)


                class UnknownBaseMixin(Base):
                    pass
                """,
            "pkg/classes.py": CLASSES,
        },
    )
    assert project_findings(root) == []


def test_undefined_method_through_project_mixins_and_stdlib_base(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/mixins.py": "class Saves:\n    def save(self) -> None:\n        return None\n",
            "pkg/jobs.py": """\
                import threading

                from pkg import mixins


                class Job(mixins.Saves, threading.Thread):
                    def run(self) -> None:
                        self.save()
                        self.start()
                        self.persist()

                    @classmethod
                    def create(cls) -> "Job":
                        cls.register_job()
                        return cls()
                """,
        },
    )
    assert project_findings(root) == [
        ("names.undefined-method", "pkg/jobs.py", 10, "high"),
        ("names.undefined-method", "pkg/jobs.py", 14, "high"),
    ]


def test_template_hooks_of_subclasses_and_modules_registered_at_run_time_are_quiet(
    tmp_path: Path,
) -> None:
    root = write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            # requests' ``SessionRedirectMixin`` calls ``self.send`` that ``Session`` defines.
            "pkg/redirects.py": """\
                class Redirects:
                    def follow(self) -> None:
                        self.send()


                class HookMixin:
                    def fire(self) -> None:
                        self.on_fire()
                """,
            "pkg/session.py": """\
                from pkg.redirects import Redirects


                class Session(Redirects):
                    def send(self) -> None:
                        return None
                """,
            # ``requests.packages``: submodules that exist only as ``sys.modules`` entries.
            "pkg/packages.py": """\
                import sys

                import json

                sys.modules["pkg.packages.json"] = json
                """,
            "pkg/use.py": "from pkg.packages.json import loads\n",
        },
    )
    assert project_findings(root) == []


def test_mixins_of_classes_built_at_run_time_are_quiet(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/checks.py": """\
                import unittest


                class SpecChecks:
                    def check_spec(self) -> None:
                        self.assertEqual(self.load(), 1)


                class Loader(unittest.TestCase):
                    def load(self) -> int:
                        return 1


                Made = type("Made", (SpecChecks, Loader), {})
                """,
        },
    )
    assert project_findings(root) == []


def test_members_injected_by_setattr_outside_the_class_are_quiet(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/test_io.py": """\
                import io
                import unittest


                class ReaderTests(unittest.TestCase):
                    def test_read(self) -> None:
                        self.assertEqual(self.open_reader().read(), b"")


                def load_tests(loader, tests, pattern):
                    for name in ("open_reader",):
                        setattr(ReaderTests, name, lambda self: io.BytesIO())
                    return tests
                """,
        },
    )
    assert project_findings(root) == []


def test_a_sample_copy_of_a_package_inside_the_repository_is_not_judged(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "repo"\n',
            "tools/__init__.py": "",
            "tools/check_docs.py": "def main() -> None:\n    return None\n",
            "samples/demo/tools/__init__.py": "",
            "samples/demo/tools/deploy.py": "def apply_plan() -> None:\n    return None\n",
            "samples/demo/tools/cli/__init__.py": "",
            "samples/demo/tools/cli/main.py": "from tools.deploy import apply_plan, load_plan\n"
            "from tools.check_docs import main\n",
        },
    )
    # Run from ``samples/demo`` it imports its own ``tools``, which may be a fragment.
    assert project_findings(root) == []


def test_one_finding_per_missing_module_however_many_names(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/use.py": "from pkg.deploy import apply_plan, load_plan, rollback\n",
        },
    )
    assert project_findings(root) == [("imports.missing-project-module", "pkg/use.py", 1, "high")]


RENAMED = {
    "pyproject.toml": '[project]\nname = "billing"\nversion = "1.0"\n',
    "billing/__init__.py": "",
    "billing/pricing.py": """
        def compute_totals(lines):
            return {"gross": sum(line["amount"] for line in lines)}
        """,
    "billing/tax/__init__.py": "RATE = 0.2\n",
    "billing/tax/rules.py": "def rate_for(country):\n    return 0.2\n",
    "billing/checkout.py": """
        import billing.tax
        from . import pricing
        from billing import tax as taxes


        def checkout(lines):
            totals = pricing.calculate_totals(lines)
            rate = taxes.RATE + billing.tax.rules.rate_for("FR")
            return totals, rate, pricing.compute_totals(lines)


        def audit(pricing_table):
            return taxes.compute_vat(pricing_table)
        """,
}


def test_a_renamed_function_still_called_through_its_module_is_found(tmp_path: Path) -> None:
    # A partial refactor: ``pricing.calculate_totals`` became ``compute_totals`` in one file.
    root = write(tmp_path, RENAMED)
    found = [(rule, line) for rule, path, line, _ in project_findings(root)]
    assert found == [("names.missing-project-name", 8), ("names.missing-project-name", 14)]
    messages = [f.message for f in validate_path(root, workers=1).findings]
    assert any("`billing.pricing` has no name `calculate_totals`" in m for m in messages)


@pytest.mark.parametrize(
    "use",
    [
        # The name is rebound in the file: it may not be the module any more.
        "pricing = object()\nvalue = pricing.calculate_totals",
        # Attributes set on the module at run time.
        "pricing.calculate_totals = len\nvalue = pricing.calculate_totals",
        # Code that expects the attribute to be missing.
        "try:\n    value = pricing.calculate_totals\nexcept AttributeError:\n    value = None",
        "value = pricing.__file__",
    ],
)
def test_module_attributes_that_may_exist_are_quiet(tmp_path: Path, use: str) -> None:
    files = {k: v for k, v in RENAMED.items() if k != "billing/checkout.py"}
    files["billing/use.py"] = "from . import pricing\n\n" + use + "\n"
    root = write(tmp_path, files)
    assert project_findings(root) == []


def test_a_module_that_fills_its_namespace_at_run_time_is_not_judged(tmp_path: Path) -> None:
    files = {k: v for k, v in RENAMED.items() if k != "billing/checkout.py"}
    files["billing/pricing.py"] = "def __getattr__(name):\n    return len\n"
    files["billing/use.py"] = "from . import pricing\n\nvalue = pricing.calculate_totals\n"
    root = write(tmp_path, files)
    assert project_findings(root) == []


def test_a_stub_naming_a_type_of_another_stub_is_not_judged(tmp_path: Path) -> None:
    files = {k: v for k, v in RENAMED.items() if k != "billing/checkout.py"}
    files["billing/pricing.pyi"] = (
        "class _Totals: ...\ndef compute_totals(lines: list) -> _Totals: ...\n"
    )
    files["billing/__init__.pyi"] = (
        "from . import pricing\n\ndef totals() -> pricing._Totals: ...\n"
    )
    root = write(tmp_path, files)
    assert project_findings(root) == []


def test_a_dataclass_calling_a_constructor_it_never_defined_is_found(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "events"\nversion = "1.0"\n',
            "events/__init__.py": "",
            "events/views.py": """
                from dataclasses import dataclass


                @dataclass(frozen=True)
                class SeatView:
                    seats: int

                    @classmethod
                    def from_mapping(cls, raw):
                        return cls(seats=int(raw["seats"]))

                    @classmethod
                    def many(cls, rows):
                        return [cls.from_row(row) for row in rows]

                    def total(self):
                        return self.seats + len(self.__dataclass_fields__)
                """,
        },
    )
    assert [(rule, line) for rule, _, line, _ in project_findings(root)] == [
        ("names.undefined-method", 15)
    ]


PRINTING = {
    "pyproject.toml": '[project]\nname = "printing"\nversion = "1.0"\n',
    "printing/__init__.py": "",
    "printing/spooler.py": """\
        class Spooler:
            def __init__(self, queue: str) -> None:
                self.queue = queue
                self.sent = 0

            def submit_page(self, page: bytes) -> int:
                self.sent += 1
                return self.sent
        """,
}


def test_a_method_renamed_but_still_called_on_a_local_instance_is_found(tmp_path: Path) -> None:
    # A partial refactor: ``send_page`` became ``submit_page``; this caller was left behind.
    files = dict(PRINTING)
    files["printing/jobs.py"] = """\
        from .spooler import Spooler


        def print_all(pages: list[bytes]) -> int:
            spooler = Spooler("default")
            for page in pages:
                spooler.send_page(page)
            return spooler.sent


        class Batch:
            def run(self, pages: list[bytes]) -> None:
                local = Spooler("batch")
                local.submit_page(pages[0])
                local.flush_all()
        """
    root = write(tmp_path, files)
    assert project_findings(root) == [
        ("names.undefined-method", "printing/jobs.py", 7, "high"),
        ("names.undefined-method", "printing/jobs.py", 15, "high"),
    ]
    messages = [f.message for f in validate_path(root, workers=1).findings]
    assert any("`Spooler` defines `send_page`" in m and "submit_page" in m for m in messages)


@pytest.mark.parametrize(
    "body",
    [
        # Rebound to something else before the call.
        "spooler = Spooler('x')\nif pages:\n    spooler = make_other()\n"
        "spooler.send_page(pages[0])",
        # A parameter of the same name in a nested scope.
        "spooler = Spooler('x')\nsend = lambda spooler: spooler.send_page(b'')\nsend(None)",
        "spooler = Spooler('x')\nreturn [spooler.send_page(p) for spooler in pages]",
        # The member is put on instances elsewhere.
        "spooler = Spooler('x')\nspooler.send_page = print\nspooler.send_page(pages[0])",
        # The class name is shadowed in the function.
        "Spooler = make_other\nspooler = Spooler('x')\nspooler.send_page(pages[0])",
        # A defined member, an inherited one, and a callable data attribute.
        "spooler = Spooler('x')\nspooler.submit_page(b'')\nreturn spooler.__repr__()",
    ],
)
def test_local_instances_whose_members_may_exist_are_quiet(tmp_path: Path, body: str) -> None:
    files = dict(PRINTING)
    indented = textwrap.indent(body, "    ")
    files["printing/jobs.py"] = (
        "from .spooler import Spooler\n\n\ndef make_other():\n    return object()\n\n\n"
        f"def print_all(pages):\n{indented}\n"
    )
    root = write(tmp_path, files)
    assert project_findings(root) == []


def test_local_instances_of_classes_with_unknown_members_are_quiet(tmp_path: Path) -> None:
    files = dict(PRINTING)
    files["printing/spooler.py"] = (
        "from somewhere_else import Remote\n\n\nclass Spooler(Remote):\n    pass\n\n\n"
        "class Lazy:\n    def __getattr__(self, name):\n        return len\n"
    )
    files["printing/jobs.py"] = (
        "from .spooler import Lazy, Spooler\n\n\ndef run():\n    a = Spooler()\n"
        "    a.send_page()\n    b = Lazy()\n    b.anything()\n"
    )
    root = write(tmp_path, files)
    assert project_findings(root) == []


def test_local_instances_of_classes_given_members_by_a_class_call_are_quiet(
    tmp_path: Path,
) -> None:
    # ``Manager.register("get_queue")`` adds the method at run time; a stdlib class is read
    # from stubs, which may leave members out.
    files = dict(PRINTING)
    files["printing/jobs.py"] = (
        "from multiprocessing.managers import BaseManager\nfrom argparse import ArgumentParser\n"
        "\n\nclass QueueManager(BaseManager):\n    pass\n\n\nQueueManager.register('get_queue')\n"
        "\n\ndef run():\n    manager = QueueManager()\n    manager.get_queue()\n"
        "    parser = ArgumentParser()\n    parser.undocumented_helper()\n"
    )
    root = write(tmp_path, files)
    assert project_findings(root) == []


WEATHER = {
    "pyproject.toml": '[project]\nname = "weather"\nversion = "1.0"\n',
    "src/weather/__init__.py": '"""Station readings."""\n\nfrom .client import Client\n',
    "src/weather/client.py": """\
        from __future__ import annotations


        class ApiError(Exception):
            def __init__(self, status: int, message: str) -> None:
                super().__init__(f"HTTP {status}: {message}")
                self.status = status


        class Client:
            def __init__(self, base_url: str, token: str, *, max_attempts: int = 3) -> None:
                self.base_url = base_url
                self.token = token
                self.max_attempts = max_attempts

            def latest(self, station: str) -> dict[str, float]:
                return {"station": 0.0}


        def fetch_all(client: Client, stations: list[str], /, limit: int = 10) -> list[str]:
            return stations[:limit]
        """,
}


def test_a_call_with_a_renamed_keyword_or_extra_arguments_is_found(tmp_path: Path) -> None:
    # A partial refactor: ``retries`` became ``max_attempts``; this caller was left behind.
    files = dict(WEATHER)
    files["src/weather/cli.py"] = """\
        import os

        from weather import Client
        from weather.client import ApiError, fetch_all


        def main() -> int:
            client = Client(os.environ["URL"], os.environ["TOKEN"], retries=5)
            try:
                fetch_all(client, ["a"], 3, 4)
            except ApiError:
                return 1
            return 0
        """
    root = write(tmp_path, files)
    found = [
        (f.rule, f.path, f.line, f.severity.value)
        for f in validate_path(root, workers=1).findings
        if f.rule == "names.unexpected-argument"
    ]
    assert found == [
        ("names.unexpected-argument", "src/weather/cli.py", 8, "high"),
        ("names.unexpected-argument", "src/weather/cli.py", 10, "high"),
    ]
    messages = [f.message for f in validate_path(root, workers=1).findings]
    assert any("`retries`" in m and "max_attempts" in m for m in messages)


@pytest.mark.parametrize(
    "call",
    [
        "Client('u', 't', max_attempts=5)",
        "Client(base_url='u', token='t')",
        "fetch_all(Client('u', 't'), ['a'], 3)",
        "ApiError(404, 'gone')",
        # ``**options`` and ``*rest`` may carry anything.
        "Client('u', 't', **options)",
        "fetch_all(*rest)",
    ],
)
def test_calls_the_signature_accepts_are_quiet(tmp_path: Path, call: str) -> None:
    files = dict(WEATHER)
    files["src/weather/cli.py"] = (
        "from weather import Client\nfrom weather.client import ApiError, fetch_all\n\n\n"
        f"def main(options, rest):\n    return {call}\n"
    )
    root = write(tmp_path, files)
    assert [f for f in validate_path(root, workers=1).findings if f.rule.startswith("names.")] == []


def test_calls_of_functions_whose_signature_is_not_fixed_by_the_source_are_quiet(
    tmp_path: Path,
) -> None:
    # A decorator may change the signature; a dataclass writes its own ``__init__``; a
    # definition made twice (a fallback) may be either.
    files = {
        "pyproject.toml": '[project]\nname = "tools"\nversion = "1.0"\n',
        "tools/__init__.py": "",
        "tools/core.py": """\
            import functools
            from dataclasses import dataclass


            def retrying(func):
                @functools.wraps(func)
                def wrapper(*args, attempts=3, **kwargs):
                    return func(*args, **kwargs)
                return wrapper


            @retrying
            def fetch(url: str) -> str:
                return url


            @dataclass
            class Point:
                x: int
                y: int


            try:
                from fastjson import dumps
            except ImportError:
                def dumps(value):
                    return str(value)
            """,
        "tools/use.py": """\
            from tools.core import Point, dumps, fetch


            def run() -> object:
                return fetch("u", attempts=5), Point(1, y=2), dumps({}, indent=2)
            """,
    }
    root = write(tmp_path, files)
    assert [f for f in validate_path(root, workers=1).findings if f.rule.startswith("names.")] == []


def test_a_method_renamed_but_called_on_an_annotated_parameter_is_found(tmp_path: Path) -> None:
    files = dict(PRINTING)
    files["printing/jobs.py"] = """\
        from .spooler import Spooler


        def print_all(spooler: Spooler, pages: list[bytes]) -> None:
            for page in pages:
                spooler.send_page(page)


        def print_one(spooler: Spooler, page: bytes) -> None:
            spooler.submit_page(page)
        """
    root = write(tmp_path, files)
    assert project_findings(root) == [("names.undefined-method", "printing/jobs.py", 6, "high")]


def test_annotated_parameters_whose_members_may_exist_are_quiet(tmp_path: Path) -> None:
    files = dict(PRINTING)
    files["printing/spooler.py"] = textwrap.dedent(files["printing/spooler.py"]) + (
        "\n\nclass Lazy:\n    def __getattr__(self, name):\n        return len\n"
    )
    files["printing/jobs.py"] = """\
        from typing import Protocol

        from .spooler import Lazy, Spooler


        class Sink(Protocol):
            def write(self, data: bytes) -> None: ...


        def run(spooler: Spooler, lazy: Lazy, sink: Sink, other: Spooler) -> None:
            lazy.anything()
            sink.write(b"")
            if other is None:
                other = make()
            other.send_page(b"")
            spooler.submit_page(b"")


        def make() -> Spooler:
            return Spooler("x")
        """
    root = write(tmp_path, files)
    assert project_findings(root) == []


def test_a_second_run_from_the_cache_reports_what_the_first_did(tmp_path: Path) -> None:
    # A method stored on the instance in one file and called in another: the files served
    # from the cache still tell what they store.
    from claude_tui.validation.cache import MemoryLayer, ResultCache

    files = {
        "pyproject.toml": '[project]\nname = "jobs"\nversion = "1.0"\n',
        "jobs/__init__.py": "",
        "jobs/hooks.py": """\
            def attach(service, reaper) -> None:
                service.reap = reaper
            """,
        "jobs/service.py": """\
            class Service:
                def tick(self) -> int:
                    return self.reap()

                def stop(self) -> None:
                    self.halt_all()
            """,
    }
    root = write(tmp_path, files)
    cache = ResultCache([MemoryLayer()])
    first = validate_path(root, workers=1, cache=cache)
    (root / "jobs" / "service.py").write_text(
        (root / "jobs" / "service.py").read_text() + "\n\nVERSION = 2\n"
    )
    second = validate_path(root, workers=1, cache=cache)
    assert cache.hits["memory"] >= 2
    wanted = [("names.undefined-method", "jobs/service.py", 6)]
    assert [(f.rule, f.path, f.line) for f in first.findings if f.rule in PROJECT_RULES] == wanted
    assert [(f.rule, f.path, f.line) for f in second.findings if f.rule in PROJECT_RULES] == wanted
