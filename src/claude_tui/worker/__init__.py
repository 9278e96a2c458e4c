"""Task execution: claims a queued task, runs the agent, records every step and the outcome."""
