from django.conf import settings


def portal(request):
    user = getattr(request, "user", None)
    unread = None
    if user is not None and user.is_authenticated:
        from .notifications import unread_count

        unread = unread_count(user)
    return {
        "unread_notifications": unread,
        "hotline": {
            "name": settings.HOTLINE_NAME,
            "phone": settings.HOTLINE_PHONE,
            "text": settings.HOTLINE_TEXT,
        },
        # Where "Leave this site" goes (shown to consultants and visitors).
        "quick_exit_url": settings.QUICK_EXIT_URL,
    }
