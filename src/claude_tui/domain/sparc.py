"""The ``sparc`` workflow template: one goal becomes five tasks, each building on the last."""

from __future__ import annotations

from dataclasses import dataclass

SPARC_TEMPLATE = "sparc"


@dataclass(frozen=True)
class TaskSpec:
    """A task to create: ``key`` names it inside the workflow; dependencies refer to keys."""

    key: str
    title: str
    description: str
    depends_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Phase:
    key: str
    name: str
    instruction: str


_PHASES = (
    _Phase(
        "specification",
        "Specification",
        "Write the specification: the requirements, the inputs and outputs, the edge cases and "
        "the acceptance criteria, as tests where possible.",
    ),
    _Phase(
        "pseudocode",
        "Pseudocode",
        "From the specification, write the algorithm in pseudocode: the steps, the data it "
        "keeps, and how each edge case is handled.",
    ),
    _Phase(
        "architecture",
        "Architecture",
        "From the specification and pseudocode, decide the modules, their interfaces and the "
        "data flow between them, and where the code goes in this project.",
    ),
    _Phase(
        "refinement",
        "Refinement",
        "Implement the design test first: make the acceptance tests pass, then refactor and "
        "handle every edge case of the specification.",
    ),
    _Phase(
        "completion",
        "Completion",
        "Finish the work: run the whole test suite, fix what fails, document the change and "
        "check nothing is left unimplemented.",
    ),
)

SPARC_PHASES = tuple(phase.key for phase in _PHASES)


def expand_sparc(goal: str) -> list[TaskSpec]:
    """Five tasks for ``goal``, each depending on the one before it."""
    goal = goal.strip()
    if not goal:
        raise ValueError("a sparc workflow needs a goal")
    specs: list[TaskSpec] = []
    previous: tuple[str, ...] = ()
    for phase in _PHASES:
        specs.append(
            TaskSpec(
                key=phase.key,
                title=f"{phase.name}: {_shorten(goal, 150)}",
                description=f"Goal: {goal}\n\n{phase.instruction}",
                depends_on=previous,
            )
        )
        previous = (phase.key,)
    return specs


def _shorten(text: str, limit: int) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
