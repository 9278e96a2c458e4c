# Benchmarks: each writes its numbers to benchmarks/results/.
.PHONY: bench-startup bench-hot-paths bench-tui bench-load load-test benchmark

# Extra options for the load test, e.g. LOAD_ARGS="--soak-minutes 0 --config sqlite-embedded".
LOAD_ARGS ?=

bench-startup: $(STAMP) ## Measure start-up of the CLI (--help) and of the server (to /ready)
	$(BIN)/python benchmarks/startup/bench_startup.py

bench-hot-paths: $(STAMP) ## Throughput and latency of the API's hot reads on PostgreSQL, with a py-spy profile
	$(BIN)/python benchmarks/hot_paths/bench_hot_paths.py --profile

bench-tui: $(STAMP) ## Measure the terminal UI: launch to first frame, to connected, memory (tmux)
	$(BIN)/python benchmarks/tui/bench_tui_startup.py

bench-load: $(STAMP) ## Load test every server configuration: saturation, overload, 10-min soak (~45 min)
	$(BIN)/python benchmarks/load/run_load.py $(LOAD_ARGS)

load-test: $(STAMP) ## Short load test (~1 min): rate ladder, overload and recovery; reports/load-quick.*
	$(BIN)/python benchmarks/load/run_load.py --quick $(LOAD_ARGS)

BENCHMARKS := bench-startup bench-hot-paths bench-tui bench-validation bench-audit bench-agent bench-identity \
	bench-platform bench-shapes bench-load

benchmark: $(BENCHMARKS) ## Run every benchmark of the project and write the results
	@echo "results in benchmarks/results/"

# Extra options for bench-shapes, e.g. SHAPES_ARGS="--seconds 20 --baseline main".
SHAPES_ARGS ?=

.PHONY: bench-shapes
bench-shapes: $(STAMP) ## Server CPU per request of health, get, list and create, and their ratios to health
	$(BIN)/python benchmarks/shapes/bench_shapes.py $(SHAPES_ARGS)

# Extra options for bench-rollback, e.g. ROLLBACK_ARGS="--runs 20".
ROLLBACK_ARGS ?=

.PHONY: bench-rollback
bench-rollback: $(STAMP) ## Rollback time on compose: 10 rollbacks under live load, median and worst (rootful podman)
	$(BIN)/python benchmarks/deploy/bench_rollback.py $(ROLLBACK_ARGS)
