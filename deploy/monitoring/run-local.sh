#!/usr/bin/env bash
# Start (or stop) Prometheus and Alertmanager from the Debian packages on this machine,
# scraping the local app, with the committed configuration. Used by `make monitoring` when no
# container engine is available.
#   deploy/monitoring/run-local.sh start HOST:PORT STATE_DIR
#   deploy/monitoring/run-local.sh stop STATE_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

stop() {
    local state="$1"
    for name in prometheus alertmanager; do
        if [ -f "${state}/${name}.pid" ]; then
            kill "$(cat "${state}/${name}.pid")" 2>/dev/null || true
            rm -f "${state}/${name}.pid"
        fi
    done
    echo "monitoring stopped"
}

start() {
    local target="$1" state="$2"
    if ! command -v prometheus >/dev/null || ! command -v prometheus-alertmanager >/dev/null; then
        if [ "$(id -u)" -eq 0 ]; then
            bash "${here}/../../.ci/setup.d/30-monitoring.sh"
        else
            echo "error: prometheus and prometheus-alertmanager are not installed;" \
                "run as root or: sudo apt-get install --no-install-recommends prometheus prometheus-alertmanager" >&2
            exit 1
        fi
    fi
    stop "${state}" >/dev/null
    mkdir -p "${state}/targets" "${state}/rules"
    cp "${here}"/prometheus/rules/*.yml "${state}/rules/"
    cp "${here}/prometheus/prometheus-file-sd.yml" "${state}/prometheus.yml"
    printf '[{"targets": ["%s"], "labels": {"namespace": "local", "env": "development"}}]\n' "${target}" \
        > "${state}/targets/api.json"
    echo '[]' > "${state}/targets/worker.json"
    echo '[{"targets": ["127.0.0.1:9090"]}]' > "${state}/targets/prometheus.json"
    echo '[{"targets": ["127.0.0.1:9093"]}]' > "${state}/targets/alertmanager.json"
    # Local development has no pager: every receiver is a no-op, alerts show in the UI.
    cat > "${state}/alertmanager.yml" <<'YAML'
route:
  receiver: "null"
  group_by: [alertname, namespace, severity]
receivers:
  - name: "null"
YAML
    promtool check config "${state}/prometheus.yml" >/dev/null
    nohup prometheus --config.file="${state}/prometheus.yml" \
        --storage.tsdb.path="${state}/tsdb" --web.listen-address=127.0.0.1:9090 \
        --web.enable-lifecycle --enable-feature=exemplar-storage \
        >"${state}/prometheus.log" 2>&1 &
    echo $! > "${state}/prometheus.pid"
    nohup prometheus-alertmanager --config.file="${state}/alertmanager.yml" \
        --storage.path="${state}/alertmanager" --web.listen-address=127.0.0.1:9093 \
        --cluster.listen-address= >"${state}/alertmanager.log" 2>&1 &
    echo $! > "${state}/alertmanager.pid"
    echo "Prometheus:   http://127.0.0.1:9090  (scraping http://${target}/metrics)"
    echo "Alertmanager: http://127.0.0.1:9093"
    echo "Logs and data: ${state}; stop with: make monitoring-stop"
}

case "${1:-}" in
    start) start "${2:?HOST:PORT}" "${3:?STATE_DIR}" ;;
    stop) stop "${2:?STATE_DIR}" ;;
    *) echo "usage: $0 start HOST:PORT STATE_DIR | stop STATE_DIR" >&2; exit 2 ;;
esac
