#!/bin/sh
# Container entrypoint: secrets from files, then one of the image's roles.
#
#   serve [OPTIONS]        the HTTP API (default)
#   worker [OPTIONS]       the task worker
#   migrate                the database migrations (same as: db upgrade)
#   db|health-check|version|config ...   any other claude-tui command
#   anything else          run as given (e.g. sh for debugging)
#
# CLAUDE_TUI_SECRET_KEY_FILE, CLAUDE_TUI_DATABASE_URL_FILE, CLAUDE_TUI_REDIS_URL_FILE and
# CLAUDE_TUI_AGENT_API_KEY_FILE name files (Docker/Compose secrets, Kubernetes secret volumes) whose content becomes the setting,
# so secrets never sit in the environment of the orchestrator's configuration.
set -eu

for name in SECRET_KEY DATABASE_URL REDIS_URL AGENT_API_KEY; do
    file_var="CLAUDE_TUI_${name}_FILE"
    eval "file=\${${file_var}:-}"
    if [ -n "${file}" ]; then
        if [ ! -r "${file}" ]; then
            echo "claude-tui-entrypoint: ${file_var} names ${file}, which cannot be read" >&2
            exit 2
        fi
        value="$(cat "${file}")"
        export "CLAUDE_TUI_${name}=${value}"
        unset "${file_var}"
    fi
done

if [ "$#" -eq 0 ]; then
    set -- serve
fi

case "$1" in
    serve)
        if [ "${CLAUDE_TUI_MIGRATE_ON_START:-0}" = "1" ]; then
            claude-tui db upgrade
        fi
        exec claude-tui "$@"
        ;;
    migrate)
        shift
        exec claude-tui db upgrade "$@"
        ;;
    worker | db | health-check | version | config)
        exec claude-tui "$@"
        ;;
    *)
        exec "$@"
        ;;
esac
