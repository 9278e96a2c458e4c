# Benchmarks: each writes its numbers to benchmarks/results/.
.PHONY: bench-startup benchmark

bench-startup: $(STAMP) ## Measure start-up of the CLI (--help) and of the server (to /ready)
	$(BIN)/python benchmarks/startup/bench_startup.py

benchmark: bench-startup ## Run every benchmark of the project and write the results
	@echo "results in benchmarks/results/"
