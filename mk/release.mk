# CI/CD and releases: local gates (pre-commit, workflow linters, the CI tiers), the Python
# matrix, versions from conventional commits, distributions and the standalone executable.
.PHONY: pre-commit pre-commit-install commit-check workflow-lint ci-tiers ci-matrix \
	bare-machine-test coverage-gate release-dry-run changelog dist twine-check executable build \
	smoke-test docs

DIST ?= dist
COMMIT_RANGE ?= origin/main..HEAD
COVERAGE ?= $(BIN)/coverage
COVERAGE_DATA ?= reports/coverage-data
COVERAGE_XML ?= reports/coverage.xml
# Named .coverage (combine looks for .coverage.*) but outside COVERAGE_DATA: report would
# otherwise combine the tiers' files again, and delete them.
COVERAGE_COMBINED ?= reports/coverage-combined/.coverage
PYINSTALLER_WORK ?= build/pyinstaller
SMOKE_URL ?= http://127.0.0.1:8000
SMOKE_TIMEOUT ?= 60
NOX_ARGS ?=
DOCS ?= README.md docs

pre-commit: $(STAMP) ## Run every pre-commit hook on all files (offline: the venv's tools)
	$(BIN)/pre-commit run --all-files --hook-stage manual --show-diff-on-failure

pre-commit-install: $(STAMP) ## Install the git hooks: pre-commit and the commit-message check
	$(BIN)/pre-commit install --hook-type pre-commit --hook-type commit-msg

commit-check: $(STAMP) ## Check the commit messages of COMMIT_RANGE follow Conventional Commits
	$(BIN)/cz check --rev-range $(COMMIT_RANGE)

workflow-lint: $(STAMP) ## Lint the GitHub workflows: actionlint (with shellcheck) and zizmor
	$(BIN)/actionlint
	$(BIN)/zizmor --offline --min-severity low .github/workflows

# The tiers in the order CI runs them; every tier runs, then one line each says how it went.
CI_TIERS ?= lint typecheck pre-commit workflow-lint test
ci-tiers: $(STAMP) ## Run the CI tiers one by one and print a pass/fail summary at the end
	@failed=0; summary=""; \
	for tier in $(CI_TIERS); do \
		echo "==> $$tier"; start=$$(date +%s); \
		if $(MAKE) --no-print-directory $$tier; then result=passed; else result=FAILED; failed=1; fi; \
		summary="$$summary$$(printf '  %-16s %-7s %5ss' "$$tier" "$$result" "$$(( $$(date +%s) - start ))")\n"; \
	done; \
	printf '\nci summary:\n%b' "$$summary"; \
	exit $$failed

ci-matrix: $(STAMP) ## Run the tests under every Python (3.11-3.14) found on this machine (nox)
	$(BIN)/nox --no-error-on-missing-interpreters $(NOX_ARGS)

bare-machine-test: ## The README's commands in a bare Debian 12 container (root, podman; ~12 min)
	bash .ci/bare-machine.sh

coverage-gate: ## Combine the coverage data of every CI tier and enforce COVERAGE_MIN
	@mkdir -p $(dir $(COVERAGE_COMBINED))
	$(COVERAGE) combine --keep --data-file=$(COVERAGE_COMBINED) $(COVERAGE_DATA)
	$(COVERAGE) report --data-file=$(COVERAGE_COMBINED) --fail-under=$(COVERAGE_MIN)
	$(COVERAGE) xml --data-file=$(COVERAGE_COMBINED) -o $(COVERAGE_XML)

# Exit 3 (no commits since the last tag) and 21 (none that bumps) are answers, not failures.
release-dry-run: $(STAMP) ## Show the next version and its changelog from the commit history
	$(BIN)/cz --no-raise 3,21 bump --dry-run --yes --changelog

changelog: $(STAMP) ## Regenerate CHANGELOG.md from the conventional commits
	$(BIN)/cz changelog

dist: $(STAMP) ## Build the sdist and the wheel into dist/
	rm -f $(DIST)/claude_tui-*.tar.gz $(DIST)/claude_tui-*.whl
	$(BIN)/python -m build --sdist --wheel --outdir $(DIST) .

twine-check: $(STAMP) ## Check the sdist and wheel metadata render on PyPI (twine check --strict)
	$(BIN)/twine check --strict $(DIST)/claude_tui-*.tar.gz $(DIST)/claude_tui-*.whl

executable: $(STAMP) ## Build the standalone claude-tui executable for this platform (PyInstaller)
	$(BIN)/python packaging/build_executable.py --dist $(DIST) --work $(PYINSTALLER_WORK) --smoke-test

build: dist twine-check executable ## Build sdist, wheel and the standalone executable; check them

smoke-test: ## Check a running deployment at SMOKE_URL answers /health, /ready and /version
	@for path in health ready version; do \
		curl --fail --silent --show-error --max-time 10 --retry 10 --retry-delay 2 \
			--retry-all-errors --retry-max-time $(SMOKE_TIMEOUT) "$(SMOKE_URL)/$$path" >/dev/null \
			|| { echo "smoke test: $(SMOKE_URL)/$$path did not answer 2xx" >&2; exit 1; }; \
		echo "smoke test: $(SMOKE_URL)/$$path ok"; \
	done

docs: $(STAMP) ## Check the docs: relative links and anchors resolve, every `make X` named exists
	$(BIN)/python tools/check_docs.py --targets <($(MAKE) --no-print-directory -s help) $(DOCS)
