"""Use cases shared by the API and the worker. Only this layer touches storage."""
