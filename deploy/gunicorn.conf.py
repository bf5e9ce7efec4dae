"""gunicorn settings for the portal: `gunicorn -c deploy/gunicorn.conf.py config.wsgi`.

Every value can be overridden from the environment (GUNICORN_*), so one file serves a small VM
and a large one."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: pages are CPU-bound (templates), and a cached page costs a fraction of a
# millisecond; two per core plus one keeps the cores busy while one waits on the database.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Longer than the database statement timeout (DJANGO_DB_STATEMENT_TIMEOUT, 20 s), so that a slow
# query ends as an error page rather than a killed worker; long work goes to the job queue.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then (memory growth in any library stays bounded).
max_requests = 2000
max_requests_jitter = 200
# `systemctl reload` sends HUP: new workers start with the new code before the old ones stop.
preload_app = False
# Several gunicorn masters on one machine must not share ~/.gunicorn's control socket.
control_socket_disable = True
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# Who, what, status, size, time in microseconds, and the proxy's request id for tracing.
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(B)s %(D)sus "%(f)s" "%(a)s" %({x-request-id}i)s'


def on_starting(server):
    """Refuse to start several workers without a shared cache (REDIS_URL or CACHE_URL): rate
    limits, lockout throttles and sessions would then be counted per process, and a limit of 10
    would let 10 through each worker."""
    shared = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL")
    if server.cfg.workers > 1 and not shared:
        raise SystemExit(
            "多个工作进程需要共享缓存：请设置 REDIS_URL，或设 GUNICORN_WORKERS=1。"
            " (Several workers need a shared cache: set REDIS_URL, or GUNICORN_WORKERS=1.)"
        )
