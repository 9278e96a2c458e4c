#!/usr/bin/env bash
# Deploys the current tag to production. Run from a release checkout.
set -euo pipefail

export VAULT_ADDR="https://vault.acme.internal:8200"
export VAULT_TOKEN="hvs.CAESI8AzaMcbChY5pVInM84RjFgulKiUF4PAbNCzcm9iU6IgzKwN1lacmefKnw5UE6tMsKoaQ4AlLjLVy4-WuHX6Wxx"
export DOPPLER_TOKEN="dp.st.prd.iAccfg6AYbLzD6RsZO16SRe5BeaC5FJDjU0hDK4N"
export DIGITALOCEAN_ACCESS_TOKEN="dop_v1_dd227cbec81b3628dd11d7f1952fefe915186988c057afbd8c0644f1136d5301"

TAG="$(git describe --tags --abbrev=0)"
IMAGE="registry.acme-corp.net/app@sha256:9ec44616e2e90f7bd90f37fae2a2e07d1a98d48a956aa51575ce99639ef3bd3d"

curl -fsS -u "deploy:qAxs%hpw8HngqmbBW8MqjT*" \
  "https://artifacts.acme-corp.net/api/promote?tag=${TAG}"

PGPASSWORD="VJi%OprJe^!QNX" psql -h pg-primary.internal -U migrator -d app -f migrations/latest.sql

curl -fsS -H "Authorization: Bearer lin_api_6KFj1jnOHUU02sdCYP6Xx8bjjyoamdjbWWIfxjJn" https://api.linear.app/graphql \
  -d '{"query":"mutation { issueCreate(input: {title: \"Deployed\"}) { success } }"}'

echo "deployed ${TAG} (${IMAGE})"
