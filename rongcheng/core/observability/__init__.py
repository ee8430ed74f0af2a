"""What operations watch: Prometheus metrics, request ids in JSON logs, the readiness probe."""
