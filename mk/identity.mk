# Identity: users, tokens, API keys, login guard.
.PHONY: bench-identity test-identity

bench-identity: $(STAMP) ## Measure login, refresh and authenticated requests (JWT, API key)
	$(BIN)/python benchmarks/identity/bench_auth.py

test-identity: $(STAMP) ## Run the identity tests and the authorization matrix
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) tests/unit/identity tests/integration/identity tests/integration/authz $(PYTEST_ARGS)
