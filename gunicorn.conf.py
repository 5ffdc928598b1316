"""Production settings for gunicorn: ``gunicorn -c gunicorn.conf.py wsgi:app``.

Every value can be set from the environment. Sync workers, one per core: measured
on two cores, gthread workers stalled at about 400 req/s on kept-alive connections
now and then, and four sync workers were no faster than two.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "sync"

# A request taking longer than this is killed and its worker replaced; report
# files are made by `flask reports work`, not inside a request.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On a restart, let requests in flight finish for this long.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Sync workers behind a proxy: keep-alive only needs to outlast the proxy's reuse.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))

# Replace workers now and then so that a slow leak cannot grow; the jitter keeps
# them from restarting all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))

# Load the app in each worker, so a worker replaced after a crash starts clean and
# no database connection is shared across a fork.
preload_app = False

# An empty GUNICORN_ACCESS_LOG turns the access log off (as the benchmark does).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# No query strings: search terms may hold names. %(U)s is the path alone.
access_log_format = os.environ.get(
    "GUNICORN_ACCESS_LOG_FORMAT",
    '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms pid=%(p)s',
)

# gunicorn itself ignores X-Forwarded-Proto: the app alone decides whom to trust
# (PROXY_FIX), so that https, HSTS and Secure cookies cannot be claimed by a client.
secure_scheme_headers = {}
