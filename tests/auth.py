"""Signing in within tests."""

import time


def mfa_login(client, user):
    """Sign in as a person who passed the second factor, as allauth records it."""
    client.force_login(user)
    session = client.session
    now = time.time()
    methods = [{"method": "password", "at": now, "email": user.email}]
    if user.requires_mfa():
        methods.append({"method": "mfa", "at": now, "id": 1, "type": "totp"})
    session["account_authentication_methods"] = methods
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client
