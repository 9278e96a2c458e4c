# Security audit of this repository (claude-tui audit); see docs/security.md.
.PHONY: security security-baseline bench-audit

SECURITY_FAIL_ON ?= high
# Extra audit options, e.g. SECURITY_ARGS="--advisories path/to/osv" where OSV is unreachable.
SECURITY_ARGS ?=

security: $(STAMP) ## Audit this repository (secrets, deps, licenses, code, infra); fails on high findings
	@mkdir -p reports
	$(BIN)/claude-tui audit . --fail-on $(SECURITY_FAIL_ON) \
		--report sarif:reports/audit.sarif --report markdown:reports/audit.md \
		--report json:reports/audit.json $(SECURITY_ARGS)

security-baseline: $(STAMP) ## Accept the current audit findings in .claude-tui/audit-baseline.json
	$(BIN)/claude-tui audit . --write-baseline .claude-tui/audit-baseline.json $(SECURITY_ARGS)

bench-audit: $(STAMP) ## Secret-scanner precision/recall vs detect-secrets and gitleaks; audit timings
	$(BIN)/python benchmarks/audit/bench_audit.py
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python benchmarks/audit/independent.py
