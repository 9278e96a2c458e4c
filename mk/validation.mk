# The anti-hallucination engine: its benchmark and the check of the project's own code.
.PHONY: bench-validation validate-self

bench-validation: $(STAMP) ## Precision/recall on the corpora, false positives on pinned real packages, speed vs ruff
	$(BIN)/python benchmarks/validation/run.py
	$(BIN)/python benchmarks/validation/realistic.py
	$(BIN)/python benchmarks/validation/realcode.py
	$(BIN)/python benchmarks/validation/independent.py
	$(BIN)/python benchmarks/validation/stdlib_speed.py

validate-self: $(STAMP) ## Validate the project's own src/ (stubs, invented imports, names); fails on medium+
	$(BIN)/claude-tui validate src --no-exec --fail-on medium

.PHONY: bench-validation-project-tests
bench-validation-project-tests: $(STAMP) ## click and requests: their own tests through `validate` vs. their CI command (needs PyPI)
	$(BIN)/python benchmarks/validation/project_tests.py
