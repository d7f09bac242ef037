"""Benchmarks and the load test: measured side by side, on data at the scale of a state."""
