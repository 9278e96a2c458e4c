#!/bin/sh
# Nightly dump of the orders database to object storage.
set -eu

export AWS_ACCESS_KEY_ID=AKIAB2TOQUWZZGNHSQ7B
export AWS_SECRET_ACCESS_KEY=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
export AWS_DEFAULT_REGION=eu-west-1

mysqldump -h orders-db.internal -u backup -p'73Npp2zBUEbvAchz' orders | gzip > /tmp/orders.sql.gz
aws s3 cp /tmp/orders.sql.gz "s3://acme-backups/orders/$(date +%F).sql.gz"
sha256sum /tmp/orders.sql.gz  # e.g. a3bc44888d5444a4348a89958dfadae14a6efb40e5a568c2e7a61a0f87c9dc5d
lftp -u backup,"$FTP_PASSWORD" ftp.partner.example
curl -T /tmp/orders.sql.gz ftp://acme:ARzpPmIuS_SSsMa@ftp.partner-storage.net/incoming/
