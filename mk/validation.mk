# The anti-hallucination engine: its benchmark and the check of the project's own code.
.PHONY: bench-validation validate-self

bench-validation: $(STAMP) ## Precision/recall on the corpora, false positives on pinned real packages, speed vs ruff
	$(BIN)/python benchmarks/validation/run.py
	$(BIN)/python benchmarks/validation/realistic.py
	$(BIN)/python benchmarks/validation/realcode.py

validate-self: $(STAMP) ## Validate the project's own src/ (stubs, invented imports, names); fails on medium+
	$(BIN)/claude-tui validate src --no-exec --fail-on medium
