"""Ends a Celery worker that stopped taking messages, so its supervisor starts a fresh one.

When Redis restarts while a worker holds messages, the worker's consumer can fail to recover:
it stops with an "Unrecoverable error", or stays alive without reading the queue again. Either
way reminders would wait until someone restarts it. Every few seconds a thread here asks Redis
how many messages wait in this worker's queues; when some wait, this worker runs none and
has taken none for `WORKER_STALL_SECONDS`, it logs why and shuts the worker down (SIGTERM, a
warm shutdown), and the process supervisor (systemd's `Restart=always`, or `make run`) starts
it again. No message is lost meanwhile: the queue keeps them, and the reminder sweep queues
again whatever is due.
"""

import logging
import os
import signal
import threading
import time

from celery import bootsteps
from celery.signals import task_received
from celery.worker import state
from django.conf import settings

from toolkit_portal import redis_urls

logger = logging.getLogger(__name__)


def is_stalled(*, waiting, busy, quiet_for, stall_seconds):
    """Messages wait, this worker runs or holds none, and it has taken none for a while."""
    return waiting > 0 and not busy and quiet_for >= stall_seconds


class Watchdog(bootsteps.StartStopStep):
    """A worker bootstep: one daemon thread watching the queues this worker consumes."""

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.stall_seconds = settings.WORKER_STALL_SECONDS
        self.stopped = threading.Event()
        self.last_message = time.monotonic()
        self.thread = None

    def start(self, worker):
        url = worker.app.conf.broker_url or ""
        if not self.stall_seconds or not redis_urls.is_redis(url):
            return
        self.last_message = time.monotonic()
        task_received.connect(self._received, weak=False, dispatch_uid="portal_watchdog")
        queues = sorted(worker.app.amqp.queues.consume_from or [worker.app.conf.task_default_queue])
        self.thread = threading.Thread(
            target=self._watch, args=(url, queues), name="broker-watchdog", daemon=True
        )
        self.thread.start()

    def stop(self, worker):
        self.stopped.set()

    def _received(self, **kwargs):
        self.last_message = time.monotonic()

    def _watch(self, url, queues):
        import redis

        # The embedded broker of `make run` is a unix socket, which redis-py spells its own way.
        client = redis.Redis.from_url(
            redis_urls.for_redis_py(url), socket_timeout=5, socket_connect_timeout=5
        )
        interval = max(1.0, self.stall_seconds / 4)
        while not self.stopped.wait(interval):
            try:
                waiting = sum(client.llen(queue) for queue in queues)
            except redis.RedisError:
                continue  # Redis is down: the consumer's own reconnection is under way
            busy = bool(state.active_requests or state.reserved_requests)
            quiet_for = time.monotonic() - self.last_message
            if is_stalled(
                waiting=waiting, busy=busy, quiet_for=quiet_for, stall_seconds=self.stall_seconds
            ):
                logger.error(
                    "%d messages wait but this worker has taken none for %.0f s: shutting it "
                    "down for its supervisor to start it again.",
                    waiting,
                    quiet_for,
                )
                os.kill(os.getpid(), signal.SIGTERM)
                # A shutdown that hangs (the consumer is already broken) ends the hard way.
                if not self.stopped.wait(self.stall_seconds):
                    logger.error("The worker did not shut down; exiting.")
                    os._exit(1)
                return
