from allauth.account.signals import user_signed_up
from django.dispatch import receiver

from .services import announce_pending_coordinator


@receiver(user_signed_up)
def tell_admins_about_new_coordinator(sender, request, user, **kwargs):
    if user.is_pending_coordinator:
        announce_pending_coordinator(coordinator=user)
