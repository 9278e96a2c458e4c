"""The AI agent: model providers, workspace tools, git, and the validate-and-fix loop."""
