from django.conf import settings


def portal(request):
    return {
        "hotline": {
            "name": settings.HOTLINE_NAME,
            "phone": settings.HOTLINE_PHONE,
            "text": settings.HOTLINE_TEXT,
        },
    }
