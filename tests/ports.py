"""Ports for the servers tests start themselves."""

import socket


def free_port():
    """A loopback port no one listens on now (the system picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
