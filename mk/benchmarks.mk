# Benchmarks: each writes its numbers to benchmarks/results/.
.PHONY: bench-startup bench-tui benchmark

bench-startup: $(STAMP) ## Measure start-up of the CLI (--help) and of the server (to /ready)
	$(BIN)/python benchmarks/startup/bench_startup.py

bench-tui: $(STAMP) ## Measure the terminal UI: launch to first frame, to connected, memory (tmux)
	$(BIN)/python benchmarks/tui/bench_tui_startup.py

benchmark: bench-startup bench-tui ## Run every benchmark of the project and write the results
	@echo "results in benchmarks/results/"
