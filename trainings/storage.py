"""Where certificates are kept: the portal's private storage (toolkit_portal/storage.py),
never given a public URL. The files are served only by trainings.views_me.certificate, after
the access check. (Migrations name `private_storage` here.)"""

from toolkit_portal.storage import PrivateStorage, private_storage

__all__ = ["PrivateStorage", "private_storage"]
