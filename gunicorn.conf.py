"""The office server: `gunicorn -c gunicorn.conf.py` (README, "Running it for an office").

Why threaded workers: a sync worker serves one connection at a time and blocks on it while a client
is still sending its request, so two clients trickling their headers a byte at a time held both
workers, every health check failed, and after `timeout` gunicorn killed the workers (issue 14).
A gthread worker waits for the first bytes in its main loop, serves each connection on one of
`threads` threads, and keeps answering the arbiter's heartbeat from its main thread whatever the
threads are doing, so a slow client costs one thread, not the worker. `bench/slowloris.py` measures it.

Environment: ALLIANCE_BIND (default 127.0.0.1:8050), ALLIANCE_WORKERS (2), ALLIANCE_THREADS (32),
ALLIANCE_EVENTS (the record folder, read by app.py).
"""

import os

wsgi_app = "app:server"
bind = [os.environ.get("ALLIANCE_BIND", "127.0.0.1:8050")]
workers = int(os.environ.get("ALLIANCE_WORKERS", "2"))
worker_class = "gthread"
# Threads per worker: each holds at most one connection; one held by a slow client is idle, not busy
# (the GIL is free). 32 per worker rides out far more slow clients than the eight of the benchmark.
threads = int(os.environ.get("ALLIANCE_THREADS", "32"))
worker_connections = 1000  # open connections per worker, kept-alive ones included
keepalive = 5  # seconds an idle kept-alive connection stays open
timeout = 30  # a worker whose main loop is stuck this long is restarted
graceful_timeout = 30
# Request line and headers: a dashboard link is a few hundred bytes (Query caps its fields), so 8 KB
# is room to spare; fewer, smaller header fields leave less for a client to trickle in.
limit_request_line = 8190
limit_request_fields = 50
limit_request_field_size = 8190
control_socket_disable = True  # no gunicornc socket: nothing on this host needs to steer it
