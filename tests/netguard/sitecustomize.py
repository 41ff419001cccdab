"""Block network access in test processes, including notebook kernels.

tests/conftest.py puts this folder on PYTHONPATH and sets CRMLAB_NETGUARD=1,
so every Python process the test suite starts (pytest workers, nbval kernels)
imports it. Connections to anything but loopback or a Unix socket raise
``ConnectionRefusedError`` naming the address, so a notebook or helper that
tries to download something fails loudly instead of depending on the network.
"""

import os

if os.environ.get("CRMLAB_NETGUARD") == "1":
    import ipaddress
    import socket

    _connect = socket.socket.connect
    _connect_ex = socket.socket.connect_ex

    def _allowed(sock, address):
        if sock.family == getattr(socket, "AF_UNIX", None):
            return True
        host = address[0] if isinstance(address, tuple) else address
        if host in ("localhost", ""):
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False

    def _guarded_connect(self, address):
        if not _allowed(self, address):
            raise ConnectionRefusedError(
                f"network access blocked by crm-notebooks tests: connect to {address!r}"
            )
        return _connect(self, address)

    def _guarded_connect_ex(self, address):
        if not _allowed(self, address):
            raise ConnectionRefusedError(
                f"network access blocked by crm-notebooks tests: connect to {address!r}"
            )
        return _connect_ex(self, address)

    socket.socket.connect = _guarded_connect
    socket.socket.connect_ex = _guarded_connect_ex
