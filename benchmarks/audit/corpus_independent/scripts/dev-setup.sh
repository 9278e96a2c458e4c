#!/usr/bin/env bash
# Local development bootstrap. Every value here is a placeholder or read from the environment.
set -euo pipefail

: "${GITHUB_TOKEN:?export GITHUB_TOKEN first (a token with repo scope)}"
export DATABASE_URL="postgres://app:${DB_PASSWORD}@localhost:5432/app"
export OPENAI_API_KEY="${OPENAI_API_KEY:-sk-...}"
export STRIPE_KEY="sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export ADMIN_PASSWORD=changeme
export API_TOKEN="<your-token>"
echo "ready"
