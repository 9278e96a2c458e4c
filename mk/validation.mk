# The anti-hallucination engine: its benchmark and the check of the project's own code.
.PHONY: bench-validation validate-self

bench-validation: $(STAMP) ## Precision/recall per check on the corpora, false positives and speed on the stdlib vs ruff
	$(BIN)/python benchmarks/validation/run.py
	$(BIN)/python benchmarks/validation/realistic.py
	$(BIN)/python benchmarks/validation/stdlib_speed.py

validate-self: $(STAMP) ## Validate the project's own src/ (stubs, invented imports, names); fails on medium+
	$(BIN)/claude-tui validate src --no-exec --fail-on medium
