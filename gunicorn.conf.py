"""gunicorn settings for sekretar (production):

    gunicorn -c gunicorn.conf.py 'server:create_app()'

Every value can be overridden on the command line or by SEKRETAR_* variables.
Each worker builds its own app (no preload): its own store connections,
thread pools and outbox drainer; several workers (and machines) on one
PostgreSQL are safe because the store hands each due action to one worker.
"""
import os

bind = f"{os.environ.get('SEKRETAR_HOST', '0.0.0.0')}:{os.environ.get('SEKRETAR_PORT', '8080')}"
workers = int(os.environ.get("SEKRETAR_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("SEKRETAR_THREADS", "8"))
timeout = 30            # a worker stuck longer than this is restarted
graceful_timeout = 10
keepalive = 5
preload_app = False     # each worker opens its own store and drainer
accesslog = None        # sekretar logs each turn itself, without bodies or secrets
errorlog = "-"
limit_request_line = 8190
limit_request_field_size = 8190


def child_exit(server, worker):
    """Prometheus multiprocess mode: forget a dead worker's live gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
