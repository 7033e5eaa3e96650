"""In-memory storage. One lock; every method is atomic.

The HTTP layer also serialises each OAuth request on `store.lock`, so a
check-then-update inside a grant (e.g. redeem a device code once) cannot
race with a second request.
"""

import threading

from . import models
from .codes import normalize_user_code


class Store:
    def __init__(self, clock):
        self.clock = clock
        self.lock = threading.RLock()
        self.clients = {}
        self.users = {}
        self._devices = {}  # device_code -> DeviceRecord
        self._by_user_code = {}  # normalized user code -> DeviceRecord
        self._by_access = {}
        self._by_refresh = {}
        self._revoked_grants = set()

    # -- clients and users -------------------------------------------------

    def add_client(self, client):
        self.clients[client.client_id] = client

    def add_user(self, user):
        self.users[user.username] = user

    def check_password(self, username, password):
        user = self.users.get((username or "").strip().lower())
        if user is not None and password == user.password:
            return user
        return None

    # -- device codes --------------------------------------------------------

    def add_device(self, record):
        with self.lock:
            self._devices[record.device_code] = record
            self._by_user_code[normalize_user_code(record.user_code)] = record

    def user_code_in_use(self, user_code):
        with self.lock:
            record = self._by_user_code.get(normalize_user_code(user_code))
            return record is not None and not record.is_expired()

    def device_by_code(self, device_code):
        with self.lock:
            return self._devices.get(device_code)

    def pending_device(self, typed_user_code):
        """The live, undecided request a person's typed code names, or None."""
        with self.lock:
            record = self._by_user_code.get(normalize_user_code(typed_user_code))
            if record is None or record.state != models.PENDING or record.is_expired():
                return None
            return record

    def decide(self, typed_user_code, user, approved):
        """Record a person's decision; False if the code is not pending."""
        with self.lock:
            record = self.pending_device(typed_user_code)
            if record is None:
                return False
            record.user = user
            record.state = models.APPROVED if approved else models.DENIED
            return True

    # -- tokens --------------------------------------------------------------

    def add_token(self, record):
        with self.lock:
            self._by_access[record.access_token] = record
            if record.refresh_token:
                self._by_refresh[record.refresh_token] = record

    def token_by_access(self, access_token):
        with self.lock:
            record = self._by_access.get(access_token)
            if record is None or record.grant_id in self._revoked_grants:
                return None
            return record

    def token_by_refresh(self, refresh_token):
        """The record holding this refresh token, rotated out or not;
        None if unknown or its grant was revoked."""
        with self.lock:
            record = self._by_refresh.get(refresh_token)
            if record is None or record.grant_id in self._revoked_grants:
                return None
            return record

    def revoke_grant(self, grant_id):
        """Revoke every access and refresh token of one authorization."""
        with self.lock:
            self._revoked_grants.add(grant_id)
            for record in self._by_access.values():
                if record.grant_id == grant_id:
                    record.access_revoked = True

    def grant_revoked(self, grant_id):
        with self.lock:
            return grant_id in self._revoked_grants
