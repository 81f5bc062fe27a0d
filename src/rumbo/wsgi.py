"""WSGI entry point for gunicorn and `rumbo serve`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rumbo.settings")
application = get_wsgi_application()
