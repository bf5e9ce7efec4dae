"""The Celery application: `celery -A config worker` runs the background jobs (core/jobs.py).

Settings come from Django's, prefixed CELERY_; without a broker configured every task runs at
once where it is called (CELERY_TASK_ALWAYS_EAGER), so `make run` and the tests need no worker."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("qingfeng")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
