"""Imports resolved the way installers and compilers resolve them, in the layouts real projects use.

Each layout has a clean project that must stay quiet and, next to it, the same shape with an
invented name that must still be reported.
"""

from __future__ import annotations

import json
from pathlib import Path

from claude_tui.validation import Severity, validate_path
from claude_tui.validation.model import Finding


def serious(findings: list[Finding]) -> list[tuple[str, str, int]]:
    return [(f.path, f.rule, f.line) for f in findings if f.severity.at_least(Severity.MEDIUM)]


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return root


# --- distributions named after the module they install, in a workspace member ---------------

_WORKSPACE = {
    "pyproject.toml": (
        '[project]\nname = "plant"\nversion = "1.0"\ndependencies = []\n\n'
        '[tool.uv.workspace]\nmembers = ["services/*"]\n'
    ),
    "services/telemetry/pyproject.toml": (
        '[project]\nname = "plant-telemetry"\nversion = "1.0"\n'
        'dependencies = ["pyzmq>=25", "python-gnupg>=0.5", "msgpack-python"]\n'
    ),
    "services/telemetry/telemetry/__init__.py": "",
}


def test_workspace_member_distributions_named_py_or_python_resolve(tmp_path: Path) -> None:
    write(tmp_path, _WORKSPACE)
    write(
        tmp_path,
        {
            "services/telemetry/telemetry/publish.py": (
                "import gnupg\nimport msgpack\nimport zmq\n\n\n"
                "def publish(reading: dict[str, float]) -> None:\n"
                "    sock = zmq.Context().socket(zmq.PUB)\n"
                "    sock.send(gnupg.GPG().sign(msgpack.packb(reading)).data)\n"
            )
        },
    )
    findings = validate_path(tmp_path).findings
    assert serious(findings) == []
    # ``pyzmq`` -> ``zmq`` is a naming habit, not a fact: said, at low severity.
    assert [(f.rule, f.severity, f.line) for f in findings] == [
        ("imports.unverified", Severity.LOW, 3)
    ]
    assert "pyzmq" in findings[0].message


def test_an_invented_module_beside_a_py_prefixed_distribution_is_still_reported(
    tmp_path: Path,
) -> None:
    write(tmp_path, _WORKSPACE)
    write(
        tmp_path,
        {"services/telemetry/telemetry/publish.py": "import zmqstream\n\nzmqstream.open()\n"},
    )
    findings = validate_path(tmp_path).findings
    assert serious(findings) == [
        ("services/telemetry/telemetry/publish.py", "imports.unresolved", 1)
    ]
    assert "may not exist" in findings[0].message


# --- namespace packages shared by several distributions --------------------------------------


def _namespace_project(root: Path, code: str) -> Path:
    # An environment where another distribution already installed part of ``google.cloud``.
    site = root / ".venv" / "lib" / "python3.12" / "site-packages"
    return write(
        root,
        {
            ".venv/pyvenv.cfg": "home = /usr/bin\n",
            f"{site.relative_to(root)}/google/cloud/logging/__init__.py": "class Client: ...\n",
            "pyproject.toml": (
                '[project]\nname = "archiver"\nversion = "1.0"\n'
                'dependencies = ["google-cloud-storage>=2.14", "google-cloud-bigquery"]\n'
            ),
            "archiver/__init__.py": "",
            "archiver/upload.py": code,
        },
    )


def test_submodules_of_a_namespace_package_come_from_their_declared_distributions(
    tmp_path: Path,
) -> None:
    code = (
        "import google.cloud.bigquery\nfrom google.cloud import logging, storage\n"
        "from google.cloud.storage import Blob\n\n"
        "print(google.cloud.bigquery, logging.Client, storage.Client, Blob)\n"
    )
    report = validate_path(_namespace_project(tmp_path, code))
    assert serious(report.findings) == []


def test_an_invented_submodule_of_a_namespace_package_is_still_reported(tmp_path: Path) -> None:
    code = "from google.cloud import storage_fast\n\nprint(storage_fast)\n"
    report = validate_path(_namespace_project(tmp_path, code))
    assert serious(report.findings) == [("archiver/upload.py", "names.missing-import-name", 1)]


# --- what a declared dependency installs with it ---------------------------------------------


def test_a_dependency_of_a_declared_dependency_resolves(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": (
                '[project]\nname = "media"\nversion = "1.0"\ndependencies = ["boto3>=1.34"]\n'
            ),
            "src/media/__init__.py": "",
            "src/media/store.py": (
                "import boto3\nfrom botocore.exceptions import ClientError\n\n\n"
                "def exists(bucket: str, key: str) -> bool:\n"
                "    try:\n        boto3.client('s3').head_object(Bucket=bucket, Key=key)\n"
                "    except ClientError:\n        return False\n    return True\n"
            ),
        },
    )
    assert serious(validate_path(tmp_path).findings) == []


def test_a_dependency_of_an_undeclared_distribution_is_still_reported(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": (
                '[project]\nname = "media"\nversion = "1.0"\ndependencies = ["pillow"]\n'
            ),
            "src/media/__init__.py": "",
            "src/media/store.py": "from botocore.exceptions import ClientError\n\nClientError\n",
        },
    )
    assert serious(validate_path(tmp_path).findings) == [
        ("src/media/store.py", "imports.unresolved", 1)
    ]


# --- setuptools projects: setup.cfg, setup.py, build requirements, compiled modules ----------


def test_setup_cfg_and_setup_py_declare_dependencies(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "setup.cfg": (
                "[metadata]\nname = shipper\nversion = 0.4.0\n\n[options]\npackages = find:\n"
                "install_requires =\n    paramiko>=3.4\n    PyNaCl\n\n"
                "[options.extras_require]\ncloud =\n    fabric>=3\n"
            ),
            "setup.py": "from setuptools import setup\n\nsetup(install_requires=['invoke>=2'])\n",
            "shipper/__init__.py": "",
            "shipper/remote.py": (
                "import fabric\nimport invoke\nimport nacl.signing\nimport paramiko\n\n"
                "print(fabric, invoke, nacl.signing, paramiko.SSHClient)\n"
            ),
        },
    )
    assert serious(validate_path(tmp_path).findings) == []


def test_an_import_setup_cfg_does_not_declare_is_still_reported(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "setup.cfg": "[options]\ninstall_requires =\n    paramiko>=3.4\n",
            "setup.py": "from setuptools import setup\n\nsetup()\n",
            "shipper/__init__.py": "",
            "shipper/remote.py": "import paramiko_async\n\nparamiko_async.connect()\n",
        },
    )
    findings = validate_path(tmp_path).findings
    assert serious(findings) == [("shipper/remote.py", "imports.unresolved", 1)]
    assert "setup.cfg" in findings[0].message


_CYTHON = {
    "pyproject.toml": (
        '[build-system]\nrequires = ["setuptools>=68", "Cython>=3.0"]\n'
        'build-backend = "setuptools.build_meta"\n\n'
        '[project]\nname = "stats"\nversion = "0.3.0"\ndependencies = []\n'
    ),
    "src/stats/_kernels.pyx": "def total(double[:] xs):\n    return sum(xs)\n",
}


def test_build_requirements_and_compiled_modules_resolve(tmp_path: Path) -> None:
    write(tmp_path, _CYTHON)
    write(
        tmp_path,
        {
            "setup.py": (
                "from Cython.Build import cythonize\nfrom setuptools import setup\n\n"
                "setup(ext_modules=cythonize(['src/stats/_kernels.pyx']))\n"
            ),
            "src/stats/__init__.py": (
                "try:\n    from ._kernels import total\nexcept ImportError:\n"
                "    def total(xs: list[float]) -> float:\n        return float(sum(xs))\n"
            ),
        },
    )
    assert serious(validate_path(tmp_path).findings) == []


def test_invented_build_and_compiled_modules_are_still_reported(tmp_path: Path) -> None:
    write(tmp_path, _CYTHON)
    write(
        tmp_path,
        {
            "setup.py": (
                "from cythonizer.Build import cythonize\nfrom setuptools import setup\n\n"
                "setup(ext_modules=cythonize(['src/stats/_kernels.pyx']))\n"
            ),
            "src/stats/__init__.py": "from ._kernel_fast import total\n\ntotal\n",
        },
    )
    assert serious(validate_path(tmp_path).findings) == [
        ("setup.py", "imports.unresolved", 1),
        ("src/stats/__init__.py", "imports.unresolved-relative", 1),
    ]


# --- TypeScript: tsconfig path aliases and baseUrl ---------------------------------------------

_TS_ALIASES = {
    "package.json": json.dumps({"name": "console", "dependencies": {"zod": "^3.22.0"}}),
    "tsconfig.base.json": (
        '{\n  // shared by the apps of this repository\n  "compilerOptions": {\n'
        '    "baseUrl": ".",\n    "paths": {\n      "@shared/*": ["src/shared/*"],\n'
        '      "@config": ["src/config/index.ts"],\n    },\n  },\n}\n'
    ),
    "tsconfig.json": '{ "extends": "./tsconfig.base.json", "include": ["src"] }\n',
    "src/shared/money.ts": "export const cents = (n: number): number => Math.round(n * 100);\n",
    "src/config/index.ts": "export const currency = 'EUR';\n",
    "src/lib/clock.ts": "export const now = (): Date => new Date();\n",
}


def test_tsconfig_path_aliases_and_base_url_resolve(tmp_path: Path) -> None:
    write(tmp_path, _TS_ALIASES)
    write(
        tmp_path,
        {
            "src/app/invoice.ts": (
                "import { z } from 'zod';\nimport { cents } from '@shared/money';\n"
                "import { currency } from '@config';\nimport { now } from 'src/lib/clock';\n\n"
                "export const Invoice = z.object({ total: z.number() });\n"
                "export const stamp = () => `${cents(1)} ${currency} ${now()}`;\n"
            )
        },
    )
    assert serious(validate_path(tmp_path).findings) == []


def test_an_alias_to_no_file_and_an_invented_package_are_still_reported(tmp_path: Path) -> None:
    write(tmp_path, _TS_ALIASES)
    write(
        tmp_path,
        {
            "src/app/invoice.ts": (
                "import { cents } from '@shared/currency';\nimport { pdf } from 'zod-pdf';\n\n"
                "export const render = () => pdf(cents);\n"
            )
        },
    )
    findings = validate_path(tmp_path).findings
    assert serious(findings) == [
        ("src/app/invoice.ts", "imports.unresolved", 1),
        ("src/app/invoice.ts", "imports.unresolved", 2),
    ]
    assert "@shared/*" in findings[0].message


# --- TypeScript: modules declared or augmented in declaration files ----------------------------

_TS_TYPES = {
    "package.json": json.dumps(
        {
            "name": "api",
            "dependencies": {"express": "^4.18.2"},
            "devDependencies": {"@types/express": "^4"},
        }
    ),
    "src/server.ts": (
        "import express from 'express';\nimport { render } from 'legacy-templates';\n\n"
        "const app = express();\napp.get('/', (req, res) => res.send(render(req.tenant)));\n"
    ),
}


def test_modules_declared_or_augmented_by_the_project_resolve(tmp_path: Path) -> None:
    write(tmp_path, _TS_TYPES)
    write(
        tmp_path,
        {
            "src/types/express.d.ts": (
                "import 'express-serve-static-core';\n\n"
                "declare module 'express-serve-static-core' {\n"
                "  interface Request {\n    tenant: string;\n  }\n}\n"
            ),
            "src/types/legacy.d.ts": (
                "declare module 'legacy-templates' {\n"
                "  export function render(tenant: string): string;\n}\n"
                "declare module '~icons/*' {\n  const icon: string;\n  export default icon;\n}\n"
            ),
            "src/menu.ts": (
                "import account from '~icons/mdi/account';\n\nexport const menu = [account];\n"
            ),
        },
    )
    assert serious(validate_path(tmp_path).findings) == []


def test_a_declaration_file_importing_an_undeclared_package_is_still_reported(
    tmp_path: Path,
) -> None:
    write(tmp_path, _TS_TYPES)
    write(
        tmp_path,
        {
            "src/types/express.d.ts": (
                "import 'express-session-plus';\n\n"
                "declare module 'express-serve-static-core' {\n"
                "  interface Request {\n    tenant: string;\n  }\n}\n"
            ),
            "src/types/legacy.d.ts": (
                "declare module 'legacy-templates' {\n"
                "  export function render(tenant: string): string;\n}\n"
            ),
        },
    )
    assert serious(validate_path(tmp_path).findings) == [
        ("src/types/express.d.ts", "imports.unresolved", 1)
    ]
