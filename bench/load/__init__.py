"""The load test: locust against gunicorn and PostgreSQL on loopback (bench/bench_load.py)."""
