"""Project templates: the copier templates shipped in ``claude_tui/templates``."""

from __future__ import annotations

import asyncio
import shutil
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncSession

from claude_tui.services.authorization import PROJECTS_WRITE, require_scope
from claude_tui.services.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
)
from claude_tui.services.principal import Principal
from claude_tui.services.projects import (
    ProjectCreate,
    ProjectView,
    create_project,
    resolve_workspace,
)
from claude_tui.services.template_filters import EXTENSION, unrenderable_character

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"

DESCRIPTIONS = {
    "python-package": "A Python package with a src layout, pyproject.toml and pytest tests.",
    "fastapi-service": "A FastAPI web service with a health check, an item API and tests.",
}

AnswerValue = str | int | float | bool


class TemplateQuestion(BaseModel):
    name: str
    type: str
    help: str
    default: AnswerValue | None = Field(
        description="The default; may be a Jinja expression over earlier answers."
    )
    choices: list[AnswerValue] | None = None


class TemplateView(BaseModel):
    name: str
    description: str
    questions: list[TemplateQuestion]


class TemplateProject(BaseModel):
    """A new project to fill from a template."""

    model_config = ConfigDict(extra="forbid")

    project: ProjectCreate
    answers: dict[str, AnswerValue] = Field(
        default_factory=dict, description="Answers to the template's questions; the rest default."
    )


@lru_cache(maxsize=8)
def _questions(name: str) -> tuple[TemplateQuestion, ...]:
    config = yaml.safe_load((TEMPLATES_DIR / name / "copier.yml").read_text(encoding="utf-8"))
    questions = []
    for key, spec in config.items():
        if key.startswith("_"):
            continue
        raw_choices = spec.get("choices")
        questions.append(
            TemplateQuestion(
                name=key,
                type=str(spec.get("type", "str")),
                help=str(spec.get("help", "")),
                default=spec.get("default"),
                choices=list(raw_choices) if raw_choices is not None else None,
            )
        )
    return tuple(questions)


def list_templates() -> list[TemplateView]:
    """Every shipped template with its questions."""
    return [
        TemplateView(name=name, description=description, questions=list(_questions(name)))
        for name, description in DESCRIPTIONS.items()
    ]


def get_template(name: str) -> TemplateView:
    if name not in DESCRIPTIONS:
        raise NotFoundError(
            f"No template named '{name}'; available: {', '.join(sorted(DESCRIPTIONS))}."
        )
    return TemplateView(name=name, description=DESCRIPTIONS[name], questions=list(_questions(name)))


class TemplateRenderError(Exception):
    """Copier refused the answers or could not write the files."""


#: Template features that run code; none is allowed, shipped template or not.
CODE_FEATURES = ("_tasks", "_migrations")


def answer_problem(value: AnswerValue) -> str | None:
    """Why an answer can never be rendered into a text file, or None when it can."""
    return unrenderable_character(value) if isinstance(value, str) else None


def render_template(name: str, destination: Path, answers: dict[str, AnswerValue]) -> None:
    """Render the shipped template ``name`` into ``destination`` with copier (blocking).

    Only the templates shipped in the package can be rendered, and none of their code runs:
    the one Jinja extension they may load is the answer-escaping one, and copier's user
    settings (trusted templates, default answers) are ignored.
    """
    import copier
    from copier.errors import CopierError
    from jinja2 import TemplateError

    if name not in DESCRIPTIONS:
        raise TemplateRenderError(
            f"No template named {name!r}; available: {', '.join(sorted(DESCRIPTIONS))}."
        )
    for question, value in answers.items():
        problem = answer_problem(value)
        if problem is not None:
            raise TemplateRenderError(f"The answer to {question!r} is refused: {problem}.")
    source = TEMPLATES_DIR / name
    _refuse_template_code(source)
    try:
        copier.run_copy(
            str(source),
            str(destination),
            data=dict(answers),
            # Trusting exactly this directory lets copier load the escaping filters; tasks
            # stay skipped and any other template stays untrusted.
            settings=copier.Settings(defaults={}, trust=[str(source)]),
            defaults=True,
            quiet=True,
            unsafe=False,
            skip_tasks=True,
            overwrite=False,
        )
    except (CopierError, TemplateError, ValueError, TypeError, OSError) as exc:
        raise TemplateRenderError(_first_line(exc)) from exc


def _refuse_template_code(source: Path) -> None:
    """Refuse a template that declares code to run or a Jinja extension of its own."""
    config = yaml.safe_load((source / "copier.yml").read_text(encoding="utf-8")) or {}
    declared = [feature for feature in CODE_FEATURES if config.get(feature)]
    foreign = [ext for ext in config.get("_jinja_extensions") or [] if ext != EXTENSION]
    if foreign:
        declared.append("_jinja_extensions")
    if declared:
        raise TemplateRenderError(
            f"The template declares {', '.join(declared)}; template code is never run."
        )


async def create_from_template(
    session: AsyncSession,
    principal: Principal,
    workspace_root: Path,
    template_name: str,
    data: TemplateProject,
) -> ProjectView:
    """Create a project and fill its new workspace from a template.

    The workspace must not exist yet or be empty. When rendering fails, nothing is kept: no
    project row and no files.
    """
    require_scope(principal, PROJECTS_WRITE)
    template = get_template(template_name)
    known = {q.name for q in template.questions}
    unknown = sorted(set(data.answers) - known)
    if unknown:
        raise InvalidInputError(
            f"Template '{template.name}' has no question {', '.join(map(repr, unknown))}; "
            f"its questions are: {', '.join(sorted(known))}.",
            errors=[{"location": ["body", "answers", unknown[0]], "message": "unknown question"}],
        )
    for question, value in data.answers.items():
        problem = answer_problem(value)
        if problem is not None:
            raise InvalidInputError(
                f"The answer to {question!r} is refused: {problem}.",
                errors=[{"location": ["body", "answers", question], "message": problem}],
            )
    directory, _ = resolve_workspace(workspace_root, data.project.workspace_path)
    existed = directory.exists()
    if existed and any(directory.iterdir()):
        raise ConflictError(
            f"The workspace '{data.project.workspace_path}' is not empty; a template fills a "
            "new or empty directory."
        )
    # Render first and write the row after, so that no database transaction stays open
    # while copier works (on SQLite it would hold the write lock).
    try:
        await asyncio.to_thread(render_template, template.name, directory, data.answers)
    except TemplateRenderError as exc:
        _empty(directory, keep=existed)
        raise InvalidInputError(
            f"Template '{template.name}' could not be rendered: {_first_line(exc)}",
            errors=[{"location": ["body", "answers"], "message": _first_line(exc)}],
        ) from exc
    try:
        return await create_project(session, principal, workspace_root, data.project)
    except BaseException:
        # Whatever stopped the row (a refusal, a database error, a cancelled request), the
        # files must not outlive it.
        _empty(directory, keep=existed)
        raise


def _empty(directory: Path, *, keep: bool) -> None:
    """Remove what rendering wrote: the directory's content, and the directory unless ``keep``."""
    if not keep:
        shutil.rmtree(directory, ignore_errors=True)
        return
    for child in directory.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
