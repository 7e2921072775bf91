"""gunicorn's settings for litigation: `gunicorn -c deploy/gunicorn.conf.py` (docs/deployment.md).

Change a value for one host with GUNICORN_CMD_ARGS in the environment file, for example
GUNICORN_CMD_ARGS="--workers 5"; command-line options win over this file. tests/stack starts
gunicorn with this very file.
"""

import multiprocessing

wsgi_app = "litigation.wsgi:app"
# Only nginx on this host talks to gunicorn (deploy/nginx.conf, upstream litigation).
bind = "127.0.0.1:8000"
forwarded_allow_ips = "127.0.0.1,::1"

# Sync workers: each serves one request at a time; sessions live in the database, so any
# worker serves any signed-in user.
workers = 2 * multiprocessing.cpu_count() + 1
# The app and workflows.yaml are loaded once, in the master, before the workers fork: a broken
# workflows.yaml or a missing secret key stops the master with exit code 3 and readable lines,
# instead of workers failing one after another.
preload_app = True
timeout = 60
graceful_timeout = 30
# A worker is replaced after about a thousand requests, so that no slow leak grows for months.
max_requests = 1000
max_requests_jitter = 100
# No control socket (gunicorn 25.1+ makes one in $HOME): the service's home is read-only
# (deploy/litigation.service), and `systemctl reload litigation` is how workers are renewed.
control_socket_disable = True

# Both logs go to standard output and error: systemd's journal under deploy/litigation.service.
accesslog = "-"
errorlog = "-"
# The calendar feed's token (its only key) is masked in every access log line.
logger_class = "litigation.access_log.MaskingLogger"
# %(h)s is the client's address (ProxyFix takes it from nginx's X-Forwarded-For); %(M)s the
# milliseconds the request took.
access_log_format = '%(h)s - %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'


def pre_fork(server, worker):
    """Before each worker forks from the preloaded app: freeze what is alive now (the app, its
    routes, workflows and translations), so that the worker's garbage collector never scans
    those objects again (about 9 ms a request otherwise) and their memory pages stay shared."""
    import gc

    gc.freeze()
