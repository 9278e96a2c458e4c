#!/usr/bin/env bash
# Prometheus, promtool, Alertmanager and amtool for the monitoring tier. The tests start
# their own servers on loopback and free ports, so the system services are stopped.
set -euo pipefail

need=()
command -v prometheus >/dev/null || need+=(prometheus)
command -v promtool >/dev/null || need+=(prometheus)
command -v prometheus-alertmanager >/dev/null || need+=(prometheus-alertmanager)
command -v amtool >/dev/null || need+=(prometheus-alertmanager)

if [ ${#need[@]} -gt 0 ]; then
    mapfile -t packages < <(printf '%s\n' "${need[@]}" | sort -u)
    apt-get update -qq
    # Recommends would pull node-exporter and its collectors: the tests do not use them.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}"
fi
service prometheus stop >/dev/null 2>&1 || true
service prometheus-alertmanager stop >/dev/null 2>&1 || true
prometheus --version 2>&1 | sed -n 1p
prometheus-alertmanager --version 2>&1 | sed -n 1p
