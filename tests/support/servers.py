"""The local authorization server for tests: started per test, stopped
after it. `fixed=True` pins the user code and the public URL, for goldens."""

FIXED_CODE = "BCDF-GHJK"
PUBLIC_URL = "https://devflow.test"


def server_factory(tmp_path, monkeypatch):
    """The body of a `make_server` fixture: yields make(**settings)."""
    from host_tools.authserver import AuthServer, ServerSettings
    servers = []

    def make(fixed=False, **settings):
        settings.setdefault("interval", 1)
        if settings.get("tls"):
            settings.setdefault("certs_dir", str(tmp_path / "certs"))
        if fixed:
            from host_tools.authserver import oauth
            monkeypatch.setattr(oauth, "new_user_code", lambda charset, length: FIXED_CODE)
            settings["issuer_url"] = PUBLIC_URL
        server = AuthServer(ServerSettings(**settings)).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


def emulated_machine():
    """The body of an `emu_machine` fixture: the emulated machine module,
    installed and reset around one test."""
    from host_tools.emulator import install_board_modules
    install_board_modules()
    import machine
    machine.reset_emulator()
    yield machine
    machine.reset_emulator()
