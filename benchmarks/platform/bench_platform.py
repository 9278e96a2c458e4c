"""Cost of the platform's hot paths: scheduling a large DAG, listing and creating tasks.

Run: ``.venv/bin/python benchmarks/platform/bench_platform.py [--tasks N] [--runs N]``.
Uses a real SQLite database in a temp dir and the real app over ASGI. Reports medians;
results go to benchmarks/results/platform.json and .md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import random
import secrets
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from claude_tui.api import create_app
from claude_tui.api.deps import policy_for
from claude_tui.domain.dag import plan_next
from claude_tui.domain.task_status import TaskStatus
from claude_tui.services import tokens
from claude_tui.settings import Settings
from claude_tui.storage import migrate
from claude_tui.storage.models import Project, ProjectMember, Task, TaskDependency, User

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results"


def bench_plan(size: int, runs: int) -> float:
    """Median seconds of one scheduling decision over a random DAG of ``size`` tasks."""
    rng = random.Random(7)
    graph = {n: tuple(rng.sample(range(n), min(n, 3))) for n in range(size)}
    statuses = {n: TaskStatus.SUCCEEDED if n < size // 2 else TaskStatus.PENDING for n in graph}
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        plan_next(graph, statuses, 8)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


async def bench_api(size: int, runs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            data_dir=Path(tmp),
            secret_key=secrets.token_urlsafe(48),
            database_url=f"sqlite+aiosqlite:///{tmp}/bench.db",
        )
        migrate.upgrade(settings.database_url)
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            async with app.state.db.session() as session:
                user = User(username="bench", email="b@example.test", password_hash="!")
                session.add(user)
                await session.flush()
                project = Project(name="bench", workspace_path="bench", created_by=user.id)
                session.add(project)
                await session.flush()
                session.add(ProjectMember(project_id=project.id, user_id=user.id, role="developer"))
                made = [Task(project_id=project.id, title=f"t{i}") for i in range(size)]
                session.add_all(made)
                await session.flush()
                session.add_all(
                    TaskDependency(task_id=made[i].id, depends_on_id=made[i - 1].id)
                    for i in range(1, size)
                )
                await session.commit()
                pair = await tokens.start_session(session, policy_for(app), user)
                project_id, last_id = project.id, made[-1].id
            headers = {"Authorization": f"Bearer {pair.access_token}"}
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://b") as client:
                results: dict[str, list[float]] = {
                    "list_page": [],
                    "list_last_page": [],
                    "create_with_dependency": [],
                }
                first = await client.get("/api/v1/tasks", params={"limit": 50}, headers=headers)
                for _ in range(runs):
                    start = time.perf_counter()
                    response = await client.get(
                        "/api/v1/tasks",
                        params={"limit": 50, "sort": "created_at"},
                        headers=headers,
                    )
                    results["list_page"].append(time.perf_counter() - start)
                    assert response.status_code == 200
                    start = time.perf_counter()
                    response = await client.get(
                        "/api/v1/tasks",
                        params={"limit": 50, "cursor": first.json()["next_cursor"]},
                        headers=headers,
                    )
                    results["list_last_page"].append(time.perf_counter() - start)
                    start = time.perf_counter()
                    response = await client.post(
                        f"/api/v1/projects/{project_id}/tasks",
                        json={"title": "new", "depends_on": [last_id]},
                        headers=headers,
                    )
                    results["create_with_dependency"].append(time.perf_counter() - start)
                    assert response.status_code == 201, response.text
        return {name: statistics.median(values) for name, values in results.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    plan_seconds = bench_plan(args.tasks, args.runs)
    api = asyncio.run(bench_api(args.tasks, args.runs))
    result: dict[str, Any] = {
        "tasks_in_project": args.tasks,
        "runs": args.runs,
        "python": platform.python_version(),
        "median_ms": {
            "plan_next_dag": round(plan_seconds * 1000, 3),
            **{name: round(value * 1000, 3) for name, value in api.items()},
        },
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "platform.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        "# Platform benchmark",
        "",
        f"{args.tasks} tasks in one project (a dependency chain), SQLite, {args.runs} runs, "
        "medians.",
        "",
        "| operation | median ms |",
        "|---|---|",
        *(f"| {name} | {value} |" for name, value in result["median_ms"].items()),
        "",
    ]
    (RESULTS / "platform.md").write_text("\n".join(lines))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
