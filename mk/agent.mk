# The AI agent: its tests, and a queue worker for the distributed mode.
.PHONY: agent-test agent-worker

agent-test: $(STAMP) ## Run the agent's tests (providers, tools, loop, queue, workers, CLI)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) tests/unit/agent tests/integration/agent $(PYTEST_ARGS)

agent-worker: $(STAMP) ## Run a task worker on the Redis queue (needs CLAUDE_TUI_REDIS_URL and a provider)
	$(BIN)/claude-tui worker --concurrency $${CONCURRENCY:-2}

.PHONY: bench-agent
bench-agent: $(STAMP) ## Benchmark SDK turn overhead and the cost of a validated loop step
	$(BIN)/python benchmarks/agent/bench_agent.py
