"""Identifiers that look random because they are: none of them is a credential."""

TENANT_NAMESPACE = "179814fa-d523-4ebc-aa13-06e659e09bab"
DEFAULT_PLAN_ID = "1d659e3c-d213-485a-ade6-eabf0e0db4e0"
TRACE_SAMPLE_SEED = 0x89c81c8b5b71001f
# Cache keys are namespaced by the schema's digest so a deploy invalidates them.
SCHEMA_DIGEST = "634a939f39a6cdb068c368d770cd7c988504c4b34955a3926f069d86edd25a62"
LEGACY_SCHEMA_DIGEST = "de04bff8258257a61098a65b867ffb191dab5448"
ETAG_SALT_VERSION = "v3"
BUILD_ID = "KVzTkq9MhZKPM8bP0AwNtuHjacAsEilPg2uecBk0"
EXAMPLE_IBAN = "DE89370400440532013000"
