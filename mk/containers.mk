# Containers, compose and Kubernetes (deploy/docker, deploy/compose, deploy/k8s).
# Podman or Docker: ENGINE=docker to use Docker. Podman uses deploy/docker/containers.conf.
ENGINE ?= podman
IMAGE ?= localhost/claude-tui
IMAGE_TAG ?= dev
LOCAL_BASE := localhost/claude-tui-base:bookworm
# The locally made base when this engine has it (machines without a registry), else the
# official slim Python image.
BASE_IMAGE ?= $(shell $(ENGINE) image inspect $(LOCAL_BASE) >/dev/null 2>&1 && echo $(LOCAL_BASE) || echo docker.io/library/python:3.11-slim-bookworm)
ENV ?= staging
COMPOSE_FILE_DEV := deploy/compose/compose.dev.yaml
COMPOSE_PROJECT ?= claude-tui-dev
K8S := deploy/k8s
K8S_TOOLS ?= /opt/claude-tui/k8s-tools/bin
K8S_OUT ?= build/k8s
KUBECTL ?= $(shell test -x $(K8S_TOOLS)/kubectl && echo $(K8S_TOOLS)/kubectl || echo kubectl)
KUBERNETES_VALIDATE ?= $(shell test -x $(K8S_TOOLS)/kubernetes-validate && echo $(K8S_TOOLS)/kubernetes-validate || echo kubernetes-validate)
TRIVY ?= $(shell test -x $(K8S_TOOLS)/trivy && echo $(K8S_TOOLS)/trivy || echo trivy)
HADOLINT ?= $(shell test -x $(K8S_TOOLS)/hadolint && echo $(K8S_TOOLS)/hadolint || echo hadolint)
# docker compose v2 when present, else Debian's docker-compose (v1.29) on podman's API socket.
COMPOSE ?= $(shell docker compose version >/dev/null 2>&1 && echo "docker compose" || echo docker-compose)
PODMAN_SOCKET ?= /run/claude-tui-podman.sock
# podman's Docker API for docker-compose, started when its socket is absent. It exits by itself
# after five idle minutes, so nothing is left running after compose-up or compose-down.
PODMAN_API = test -S $(PODMAN_SOCKET) || { podman system service --time=300 unix://$(PODMAN_SOCKET) & \
	for _ in 1 2 3 4 5 6 7 8 9 10; do test -S $(PODMAN_SOCKET) && break; sleep 0.5; done; }
REVISION := $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
export CONTAINERS_CONF ?= $(CURDIR)/deploy/docker/containers.conf

# The deploy tool (claude-tui deploy): IMAGE is a full reference (a bare name gets IMAGE_TAG);
# production asks for confirmation unless YES=1. DEPLOY_ARGS=--dry-run prints the plan.
YES ?=
DEPLOY_ARGS ?=
define deploy_to
	@ref="$(IMAGE)"; case "$${ref##*/}" in *:*|*@*) ;; *) ref="$$ref:$(IMAGE_TAG)" ;; esac; \
	echo "$(BIN)/claude-tui deploy $(1) --image $$ref $(if $(filter 1 yes true,$(YES)),--yes) $(DEPLOY_ARGS)"; \
	$(BIN)/claude-tui deploy $(1) --image "$$ref" $(if $(filter 1 yes true,$(YES)),--yes) $(DEPLOY_ARGS)
endef

.PHONY: container-base docker-wheels docker-build docker-scanner-wheels docker-build-audit docker-lint compose-up compose-down \
	compose-config k8s-monitoring k8s-render k8s-validate k8s-scan test-containers test-k8s \
	deploy-staging deploy-production

container-base: ## Build the local base image from Debian's archive (debootstrap; once per machine)
	bash deploy/docker/make-base-image.sh $(LOCAL_BASE)

docker-wheels: $(STAMP) ## Build the wheels of the app and its dependencies on the host, for the image
	PYTHON=$(BIN)/python bash deploy/docker/build-wheels.sh

# The default image's size budget (MB of 10^6 bytes, as podman and docker print them).
IMAGE_MAX_MB ?= 400
# Prints the size of image $(1) in MB and the budget $(2) when given; fails over the budget.
define image_size
	@bytes=$$($(ENGINE) image inspect $(1) --format '{{.Size}}'); \
	mb=$$(( (bytes + 500000) / 1000000 )); \
	if [ -n "$(2)" ]; then \
		echo "image $(1): $$mb MB ($$bytes bytes; budget $(2) MB)"; \
		[ "$$bytes" -lt $$(( $(2) * 1000000 )) ] || { echo "image $(1) is over its $(2) MB budget" >&2; exit 1; }; \
	else \
		echo "image $(1): $$mb MB ($$bytes bytes)"; \
	fi
endef

docker-build: docker-wheels ## Build the image (API, worker, TUI; no scanners), print its size, fail over IMAGE_MAX_MB
	$(ENGINE) build --format docker -f deploy/docker/Dockerfile \
		--build-arg BASE_IMAGE=$(BASE_IMAGE) --build-arg REVISION=$(REVISION) \
		--build-arg BUILD_DATE=$$(date -u +%Y-%m-%dT%H:%M:%SZ) \
		-t $(IMAGE):$(IMAGE_TAG) .
	$(call image_size,$(IMAGE):$(IMAGE_TAG),$(IMAGE_MAX_MB))

docker-scanner-wheels: $(STAMP) ## Build the wheels of the audit's scanners on the host, for the audit image
	PYTHON=$(BIN)/python bash deploy/docker/build-scanner-wheels.sh

docker-build-audit: docker-wheels docker-scanner-wheels ## Build the audit image (IMAGE_TAG-audit): the image plus the audit's scanners
	$(ENGINE) build --format docker -f deploy/docker/Dockerfile --target audit \
		--build-arg BASE_IMAGE=$(BASE_IMAGE) --build-arg REVISION=$(REVISION) \
		--build-arg BUILD_DATE=$$(date -u +%Y-%m-%dT%H:%M:%SZ) \
		-t $(IMAGE):$(IMAGE_TAG)-audit .
	$(call image_size,$(IMAGE):$(IMAGE_TAG)-audit,)

docker-lint: ## Lint the Dockerfile (hadolint) and the container scripts (shellcheck)
	$(HADOLINT) --failure-threshold info deploy/docker/Dockerfile
	shellcheck deploy/docker/*.sh .ci/setup.d/40-containers.sh

compose-config: ## Validate every compose file with docker-compose config
	$(COMPOSE) -f $(COMPOSE_FILE_DEV) config -q
	$(COMPOSE) -f deploy/compose/compose.prod.yaml --profile monitoring config -q

compose-up: docker-wheels ## Start the development stack (API with reload, worker, PostgreSQL, Redis)
	@export CLAUDE_TUI_BASE_IMAGE=$(BASE_IMAGE); \
	if [ "$(COMPOSE)" = "docker-compose" ] && [ "$(ENGINE)" = "podman" ] && [ -z "$$DOCKER_HOST" ]; then \
		$(PODMAN_API); \
		export DOCKER_HOST=unix://$(PODMAN_SOCKET); \
	fi; \
	$(COMPOSE) -p $(COMPOSE_PROJECT) -f $(COMPOSE_FILE_DEV) up -d --build
	@echo "API on http://127.0.0.1:$${CLAUDE_TUI_DEV_PORT:-8000} (make compose-down to stop)"

compose-down: ## Stop the development stack and remove its containers (volumes are kept)
	@if [ "$(COMPOSE)" = "docker-compose" ] && [ "$(ENGINE)" = "podman" ] && [ -z "$$DOCKER_HOST" ]; then \
		$(PODMAN_API); \
		export DOCKER_HOST=unix://$(PODMAN_SOCKET); \
	fi; \
	$(COMPOSE) -p $(COMPOSE_PROJECT) -f $(COMPOSE_FILE_DEV) down

k8s-monitoring: $(STAMP) ## Regenerate the PrometheusRule and ServiceMonitor from deploy/monitoring
	$(BIN)/python $(K8S)/render_monitoring.py

k8s-render: ## Render an overlay (ENV=staging|production) to build/k8s/ENV.yaml
	@mkdir -p $(K8S_OUT)
	$(KUBECTL) kustomize $(K8S)/overlays/$(ENV) > $(K8S_OUT)/$(ENV).yaml
	@echo "rendered $(K8S_OUT)/$(ENV).yaml"

k8s-validate: $(STAMP) ## Render every overlay, validate (--strict, operator CRDs too), check generated files, policy-scan
	$(BIN)/python $(K8S)/render_monitoring.py --check
	@for env in staging production; do \
		$(MAKE) --no-print-directory k8s-render ENV=$$env || exit 1; \
		$(KUBERNETES_VALIDATE) --strict --quiet $(K8S_OUT)/$$env.yaml || exit 1; \
		$(BIN)/python $(K8S)/validate_operator_resources.py $(K8S_OUT)/$$env.yaml || exit 1; \
	done
	$(MAKE) --no-print-directory k8s-scan

k8s-scan: ## Policy scan (trivy config) of the rendered overlays and the Dockerfile
	@rm -rf $(K8S_OUT)/scan && mkdir -p $(K8S_OUT)/scan
	cp $(K8S_OUT)/staging.yaml $(K8S_OUT)/production.yaml deploy/docker/Dockerfile $(K8S_OUT)/scan/
	$(TRIVY) config --skip-check-update --exit-code 1 --severity HIGH,CRITICAL \
		--ignorefile $(K8S)/scan-exceptions.trivyignore.yaml $(K8S_OUT)/scan

test-containers: $(STAMP) ## Container tier: build the image with podman, run it and the compose stack
	$(BIN)/python -m pytest -q -p no:cacheprovider -m container tests/integration/container

test-k8s: $(STAMP) ## Kubernetes checks (render, validate, scan, invariants) and the deploy tool on a real control plane
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/integration/k8s tests/unit/deploy

deploy-staging: $(STAMP) ## Deploy IMAGE to staging, blue-green with gates (DEPLOY_ARGS=--dry-run)
	$(call deploy_to,staging)

deploy-production: $(STAMP) ## Deploy IMAGE to production (asks unless YES=1; DEPLOY_ARGS=--dry-run)
	$(call deploy_to,production)
