# Projects, tasks, workflows, live events and templates.
.PHONY: platform-test bench-platform

platform-test: $(STAMP) ## Run the platform tests (projects, RBAC, tasks, workflows, events, templates)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) tests/unit/platform tests/integration/platform $(PYTEST_ARGS)

bench-platform: $(STAMP) ## Benchmark DAG scheduling, task lists and task creation on a large project
	$(BIN)/python benchmarks/platform/bench_platform.py
