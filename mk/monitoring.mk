# Monitoring: Prometheus rules, Alertmanager, Grafana dashboards, log shipping (deploy/monitoring).
MONITORING := deploy/monitoring
MONITORING_STATE ?= .cache/monitoring

.PHONY: monitoring monitoring-stop monitoring-check monitoring-rules monitoring-test

monitoring-rules: $(STAMP) ## Render the SLO rules from deploy/monitoring/slo.yml (the one place for objectives)
	$(BIN)/python -m claude_tui.observability.slo_rules $(MONITORING)/slo.yml $(MONITORING)/prometheus/rules/slo.yml

monitoring-check: $(STAMP) ## Static checks of the monitoring stack: promtool, amtool, SLO drift, dashboard schema
	$(BIN)/python -m claude_tui.observability.slo_rules $(MONITORING)/slo.yml $(MONITORING)/prometheus/rules/slo.yml --check
	promtool check rules $(MONITORING)/prometheus/rules/*.yml
	promtool check config $(MONITORING)/prometheus/prometheus.yml
	promtool check config $(MONITORING)/prometheus/prometheus-file-sd.yml
	promtool test rules $(MONITORING)/prometheus/tests/*.test.yml
	amtool check-config $(MONITORING)/alertmanager/alertmanager.yml
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/unit/monitoring

monitoring-test: $(STAMP) ## Live monitoring tests: the app, real Prometheus and Alertmanager, an induced error burst
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/integration/monitoring

monitoring: ## Start Prometheus and Alertmanager (compose if an engine exists, else local packages) scraping the local app; print the URLs
	@if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then \
		docker compose -f $(MONITORING)/compose.yml up -d && \
		echo "Prometheus: http://127.0.0.1:9090  Alertmanager: http://127.0.0.1:9093  Grafana: http://127.0.0.1:3000"; \
	elif command -v podman-compose >/dev/null 2>&1 && podman info >/dev/null 2>&1; then \
		podman-compose -f $(MONITORING)/compose.yml up -d && \
		echo "Prometheus: http://127.0.0.1:9090  Alertmanager: http://127.0.0.1:9093  Grafana: http://127.0.0.1:3000"; \
	else \
		bash $(MONITORING)/run-local.sh start $(HOST):$(PORT) $(abspath $(MONITORING_STATE)); \
	fi

monitoring-stop: ## Stop the monitoring stack started by `make monitoring`
	@if [ -f $(MONITORING_STATE)/prometheus.pid ]; then \
		bash $(MONITORING)/run-local.sh stop $(abspath $(MONITORING_STATE)); \
	elif command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then \
		docker compose -f $(MONITORING)/compose.yml down; \
	elif command -v podman-compose >/dev/null 2>&1; then \
		podman-compose -f $(MONITORING)/compose.yml down; \
	fi
