"""The suite runs with network access blocked (tests/netguard/sitecustomize.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest


def test_outbound_connection_is_refused_in_this_process():
    with pytest.raises(ConnectionRefusedError, match="network access blocked"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)


def test_loopback_is_still_allowed():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname(), timeout=2)
    client.close()
    server.close()


def test_child_processes_such_as_notebook_kernels_are_guarded_too():
    assert os.environ.get("CRMLAB_NETGUARD") == "1"
    code = (
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('198.51.100.7', 443), timeout=1)\n"
        "except ConnectionRefusedError as e:\n"
        "    print('blocked' if 'network access blocked' in str(e) else 'other')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "blocked", out.stderr
