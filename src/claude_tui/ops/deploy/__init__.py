"""Deploying the platform: environments, blue-green releases with gates, rollback."""
