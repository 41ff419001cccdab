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


# --- DNS and UDP: the guard refuses before any packet leaves -------------------------------
_CHILD_PROBES = r"""
import socket

def probe(label, fn):
    try:
        fn()
    except ConnectionRefusedError as e:
        ok = "network access blocked" in str(e)
        print(label, "blocked" if ok else "other: " + str(e))
    except Exception as e:  # noqa: BLE001 - report any other outcome
        print(label, "raised", type(e).__name__)
    else:
        print(label, "allowed")

def udp(fn):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        fn(s)
    finally:
        s.close()

probe("getaddrinfo", lambda: socket.getaddrinfo("example.com", 80))
probe("getaddrinfo_bytes", lambda: socket.getaddrinfo(b"example.org", None))
probe("gethostbyname", lambda: socket.gethostbyname("example.com"))
probe("gethostbyname_ex", lambda: socket.gethostbyname_ex("example.com"))
probe("gethostbyaddr", lambda: socket.gethostbyaddr("192.0.2.1"))
probe("getnameinfo", lambda: socket.getnameinfo(("192.0.2.1", 80), 0))
probe("udp_sendto", lambda: udp(lambda s: s.sendto(b"x", ("192.0.2.1", 53))))
probe("udp_sendto_flags", lambda: udp(lambda s: s.sendto(b"x", 0, ("192.0.2.1", 53))))
probe("udp_sendto_name", lambda: udp(lambda s: s.sendto(b"x", ("example.com", 53))))
probe("udp_sendmsg", lambda: udp(lambda s: s.sendmsg([b"x"], [], 0, ("192.0.2.1", 53))))
probe("udp_connect", lambda: udp(lambda s: s.connect(("192.0.2.1", 53))))
probe("tcp_connect", lambda: socket.create_connection(("192.0.2.1", 80), timeout=1))
probe("tcp_connect_name", lambda: socket.socket().connect(("example.com", 80)))
probe("ipv6_connect", lambda: socket.socket(socket.AF_INET6).connect(("2001:db8::1", 80)))
probe("private_socket_module", lambda: __import__("_socket").getaddrinfo("example.com", 80))
probe("loopback_getaddrinfo", lambda: socket.getaddrinfo("localhost", 80))
probe("loopback_numeric_getaddrinfo", lambda: socket.getaddrinfo("127.0.0.1", 80))
probe("loopback_gethostbyaddr", lambda: socket.gethostbyaddr("127.0.0.1"))
probe("loopback_udp_sendto", lambda: udp(lambda s: s.sendto(b"x", ("127.0.0.1", 9))))
probe("loopback_udp_name", lambda: udp(lambda s: s.sendto(b"x", ("localhost", 9))))
"""

_REFUSED = [
    "getaddrinfo", "getaddrinfo_bytes", "gethostbyname", "gethostbyname_ex", "gethostbyaddr",
    "getnameinfo", "udp_sendto", "udp_sendto_flags", "udp_sendto_name",
    "udp_sendmsg", "udp_connect", "tcp_connect", "tcp_connect_name", "ipv6_connect",
    "private_socket_module",
]
_ALLOWED = [
    "loopback_getaddrinfo", "loopback_numeric_getaddrinfo", "loopback_gethostbyaddr",
    "loopback_udp_sendto", "loopback_udp_name",
]


@pytest.fixture(scope="module")
def child_probes() -> dict[str, str]:
    env = dict(os.environ, CRMLAB_NETGUARD="1")
    out = subprocess.run([sys.executable, "-c", _CHILD_PROBES], capture_output=True, text=True,
                         timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    result = dict(line.split(" ", 1) for line in out.stdout.strip().splitlines())
    assert set(result) == set(_REFUSED) | set(_ALLOWED), out.stdout
    return result


@pytest.mark.parametrize("probe", _REFUSED)
def test_dns_udp_and_tcp_to_the_outside_are_refused_in_a_child(child_probes, probe):
    assert child_probes[probe] == "blocked", (probe, child_probes[probe])


@pytest.mark.parametrize("probe", _ALLOWED)
def test_loopback_and_localhost_stay_allowed_in_a_child(child_probes, probe):
    assert child_probes[probe] == "allowed", (probe, child_probes[probe])


def test_without_the_switch_the_guard_does_nothing():
    env = {k: v for k, v in os.environ.items() if k != "CRMLAB_NETGUARD"}
    code = "import socket; print(getattr(socket, '_crmlab_netguard', False))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, env=env)
    assert out.stdout.strip() == "False", out.stderr


def test_udp_loopback_round_trip_still_works():
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 0))
    server.settimeout(5)
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client.sendto(b"ping", server.getsockname())
    data, _ = server.recvfrom(16)
    client.close()
    server.close()
    assert data == b"ping"


def test_dns_lookup_is_refused_in_this_process():
    with pytest.raises(ConnectionRefusedError, match="network access blocked.*getaddrinfo"):
        socket.getaddrinfo("example.com", 443)
