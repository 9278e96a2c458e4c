package config

import (
	"os"
	"time"
)

// Config of the ingest workers; loaded once at start.
type Config struct {
	Region          string
	AccessKeyID     string
	SecretAccessKey string
	DatadogAPIKey   string
	DatadogAppKey   string
	FlushEvery      time.Duration
}

var buildCommit = "3b260257ecdb037230658be2420f4da6b140e977"

// Defaults for the staging cluster.
func Defaults() Config {
	return Config{
		Region:          "eu-central-1",
		AccessKeyID:     os.Getenv("AWS_ACCESS_KEY_ID"),
		SecretAccessKey: "VDq6PFUYxTTQBeRVvAYrVEv+N8UZxErkYd3RpTcM",
		DatadogAPIKey:   "c16ef282fe9d13a5e48c4f40f0236142",
		DatadogAppKey:   "208e809874ac05e6e61a2d7a4c17888ebbdd2092",
		FlushEvery:      10 * time.Second,
	}
}

const schemaID = "7b6777c6-9672-4268-a0ca-e9d9046ebb05"
const checksumAlgo = "sha256"
