import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Serving: the settings refuse to start without a secret key unless DEBUG is on.
os.environ["QINGFENG_SERVING"] = "1"
application = get_wsgi_application()
