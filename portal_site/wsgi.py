import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal_site.settings")

try:
    application = get_wsgi_application()
except ImproperlyConfigured as error:
    # One clear line in the server log instead of a traceback.
    sys.exit(f"Configuration error: {error}")
