"""Block network access in test processes, including notebook kernels.

tests/conftest.py puts this folder on PYTHONPATH and sets CRMLAB_NETGUARD=1,
so every Python process the test suite starts (pytest workers, nbval kernels)
imports it. What is refused, before any packet leaves the machine:

* ``connect``/``connect_ex`` (TCP and UDP) to anything but loopback;
* ``sendto``/``sendmsg`` with an explicit address that is not loopback (UDP);
* name look-ups that would ask a resolver: ``getaddrinfo``, ``gethostbyname``,
  ``gethostbyname_ex`` for a name that is not ``localhost`` (numeric
  addresses need no look-up and pass), and the reverse look-ups
  ``gethostbyaddr``/``getnameinfo`` for an address that is not loopback.

Loopback addresses (127.0.0.0/8, ::1, ::ffff:127.x), the names ``localhost``
and ``*.localhost``, Unix sockets and netlink stay allowed (Jupyter kernels
talk to their client over loopback). Every refusal raises
``ConnectionRefusedError`` whose message starts with "network access blocked
by crm-notebooks tests" and names the call and the address, so a notebook or
helper that tries to reach the network fails loudly instead of depending on it.

Limits: code that uses the C module ``_socket``'s socket type directly, or a C
extension with its own sockets/resolver, is not covered.
"""

import os

if os.environ.get("CRMLAB_NETGUARD") == "1" and not getattr(
    __import__("socket"), "_crmlab_netguard", False
):
    import _socket
    import ipaddress
    import socket

    _LOCAL_FAMILIES = {
        f for f in (getattr(socket, "AF_UNIX", None), getattr(socket, "AF_NETLINK", None))
        if f is not None
    }
    _LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}

    def _blocked(call, what):
        return ConnectionRefusedError(
            f"network access blocked by crm-notebooks tests: {call} {what!r}"
        )

    def _text(host):
        if isinstance(host, (bytes, bytearray)):
            return bytes(host).decode("ascii", "replace")
        return host

    def _ip(host):
        """The address as an ip_address, or None when it is not numeric."""
        host = _text(host)
        if isinstance(host, int) and not isinstance(host, bool):
            return None
        if not isinstance(host, str):
            return None
        try:
            return ipaddress.ip_address(host.split("%", 1)[0])
        except ValueError:
            return None

    def _is_loopback_ip(addr):
        if addr is None:
            return False
        mapped = getattr(addr, "ipv4_mapped", None)
        return bool(addr.is_loopback or (mapped is not None and mapped.is_loopback))

    def _is_local_name(host):
        host = _text(host)
        if host is None or host == "":
            return True
        if not isinstance(host, str):
            return False
        name = host.lower().rstrip(".")
        return name in _LOCAL_NAMES or name.endswith(".localhost")

    def _local_host(host):
        """True for loopback addresses and localhost names (nothing leaves the machine)."""
        return _is_local_name(host) or _is_loopback_ip(_ip(host))

    def _allowed(sock, address):
        if sock.family in _LOCAL_FAMILIES:
            return True
        host = address[0] if isinstance(address, tuple) and address else address
        return _local_host(host)

    # ------------------------------------------------------------ socket methods
    _connect = socket.socket.connect
    _connect_ex = socket.socket.connect_ex
    _sendto = socket.socket.sendto
    _sendmsg = getattr(socket.socket, "sendmsg", None)

    def _guarded_connect(self, address):
        if not _allowed(self, address):
            raise _blocked("connect to", address)
        return _connect(self, address)

    def _guarded_connect_ex(self, address):
        if not _allowed(self, address):
            raise _blocked("connect to", address)
        return _connect_ex(self, address)

    def _guarded_sendto(self, data, *args):
        # sendto(data, address) or sendto(data, flags, address)
        address = args[-1] if args else None
        if address is not None and not _allowed(self, address):
            raise _blocked("sendto", address)
        return _sendto(self, data, *args)

    def _guarded_sendmsg(self, buffers, *args, **kwargs):
        # sendmsg(buffers[, ancdata[, flags[, address]]])
        address = args[2] if len(args) > 2 else kwargs.get("address")
        if address is not None and not _allowed(self, address):
            raise _blocked("sendmsg to", address)
        return _sendmsg(self, buffers, *args, **kwargs)

    socket.socket.connect = _guarded_connect
    socket.socket.connect_ex = _guarded_connect_ex
    socket.socket.sendto = _guarded_sendto
    if _sendmsg is not None:
        socket.socket.sendmsg = _guarded_sendmsg

    # ------------------------------------------------------------ name look-ups
    def _forward(name, original):
        """Guard a look-up by host name: numeric addresses and localhost pass."""

        def guarded(host, *args, **kwargs):
            if not (_is_local_name(host) or _ip(host) is not None):
                raise _blocked(f"{name} (DNS look-up) of", host)
            return original(host, *args, **kwargs)

        guarded.__name__ = name
        guarded.__doc__ = original.__doc__
        return guarded

    def _reverse_addr(original):
        def gethostbyaddr(ip_address, *args, **kwargs):
            if not _local_host(ip_address):
                raise _blocked("gethostbyaddr (reverse DNS look-up) of", ip_address)
            return original(ip_address, *args, **kwargs)

        gethostbyaddr.__doc__ = original.__doc__
        return gethostbyaddr

    def _reverse_nameinfo(original):
        def getnameinfo(sockaddr, flags, *args, **kwargs):
            host = sockaddr[0] if isinstance(sockaddr, tuple) and sockaddr else sockaddr
            numeric = flags & getattr(socket, "NI_NUMERICHOST", 0)
            if not numeric and not _local_host(host):
                raise _blocked("getnameinfo (reverse DNS look-up) of", sockaddr)
            return original(sockaddr, flags, *args, **kwargs)

        getnameinfo.__doc__ = original.__doc__
        return getnameinfo

    for _module in (socket, _socket):
        for _name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex"):
            if hasattr(_module, _name):
                setattr(_module, _name, _forward(_name, getattr(_module, _name)))
        if hasattr(_module, "gethostbyaddr"):
            _module.gethostbyaddr = _reverse_addr(_module.gethostbyaddr)
        if hasattr(_module, "getnameinfo"):
            _module.getnameinfo = _reverse_nameinfo(_module.getnameinfo)

    socket._crmlab_netguard = True
