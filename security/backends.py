"""The per-address login throttle, placed first in AUTHENTICATION_BACKENDS.

django-axes locks a username at one address (AXES_LOCKOUT_PARAMETERS); an attacker trying one
password against many usernames (password spraying) never trips that. This backend refuses any
login from an address that has failed SECURITY_ADDRESS_FAILURE_LIMIT times within
SECURITY_ADDRESS_FAILURE_WINDOW, whatever the username, until the window passes or an administrator
unlocks the address. It authenticates nobody itself."""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from core.network import client_ip
from security.log import security_event
from security.services import address_is_blocked


class AddressThrottleBackend:
    def authenticate(self, request, **credentials):
        if request is None:
            return None
        address = client_ip(request)
        if address_is_blocked(address):
            request.security_address_blocked = True
            security_event("address_blocked", request=request, address=address, level=logging.WARNING)
            # Stops the chain: Django's authenticate() reports a failed login and returns None.
            raise PermissionDenied
        return None

    # No get_user(): like axes' backend this one only refuses, so sessions never name it.


class AccountBackend(ModelBackend):
    """Django's ModelBackend; the user of each request comes with its AccountState in the same
    query, so that AccountSecurityMiddleware checks the session generation without another one."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("security_state").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
