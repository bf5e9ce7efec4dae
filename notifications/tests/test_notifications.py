"""The notification service: rows written in the caller's transaction, delivered after commit,
retried on failure, through email and through an SMS gateway's HTTP API (a local fake here)."""

import datetime
import http.server
import json
import threading

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notifications.models import Notification
from notifications.services import RETRY_DELAYS, Message, notifications_deliver_due, notify

pytestmark = pytest.mark.django_db


class FakeGateway(http.server.BaseHTTPRequestHandler):
    """An SMS gateway on the loopback: records what it receives, answers as told."""

    received: list = []
    answer = {"code": "OK"}
    status = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append({"auth": self.headers["Authorization"], **json.loads(body)})
        payload = json.dumps(type(self).answer).encode()
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    FakeGateway.received, FakeGateway.answer, FakeGateway.status = [], {"code": "OK"}, 200
    server = http.server.HTTPServer(("127.0.0.1", 0), FakeGateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.NOTIFICATIONS_SMS_BACKEND = "notifications.channels.HttpSms"
    settings.NOTIFICATIONS_SMS_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.NOTIFICATIONS_SMS_KEY = "secret-key"
    settings.NOTIFICATIONS_SMS_SIGN = "清风网"
    yield FakeGateway
    server.shutdown()


def sms(text="您的预约已确认"):
    return Message(channel="sms", address="13912345678", body=text)


def test_a_message_is_delivered_only_after_the_transaction_commits(gateway, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify(event="booking.confirmed", messages=[sms()])
        assert gateway.received == []  # nothing leaves before the commit
    assert gateway.received == [
        {"auth": "Bearer secret-key", "phone": "13912345678", "sign": "清风网", "text": "您的预约已确认"}
    ]
    notification = Notification.objects.get()
    assert (notification.status, notification.attempts) == ("sent", 1) and notification.sent_at is not None


def test_a_rolled_back_transaction_sends_nothing(gateway, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notify(event="booking.confirmed", messages=[sms()])
                raise RuntimeError("the booking failed")
        except RuntimeError:
            pass
    assert gateway.received == [] and not Notification.objects.exists()


def test_a_refusing_gateway_is_tried_again_later_then_given_up(gateway, django_capture_on_commit_callbacks, caplog):
    gateway.answer = {"code": "QUOTA", "message": "余额不足"}
    with django_capture_on_commit_callbacks(execute=True):
        notify(event="booking.confirmed", messages=[sms()])
    notification = Notification.objects.get()
    assert notification.status == "retrying" and "QUOTA" in notification.last_error
    assert "attempt 1 failed" in caplog.text
    # Not yet due: nothing is tried.
    assert notifications_deliver_due() == 0 and len(gateway.received) == 1
    later = timezone.now() + RETRY_DELAYS[0] + datetime.timedelta(seconds=1)
    gateway.answer = {"code": "OK"}
    assert notifications_deliver_due(now=later) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 2)


def test_an_unreachable_gateway_ends_as_failed_after_the_last_retry(settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATIONS_SMS_BACKEND = "notifications.channels.HttpSms"
    settings.NOTIFICATIONS_SMS_URL = "http://127.0.0.1:9/send"  # nothing listens on the discard port
    with django_capture_on_commit_callbacks(execute=True):
        notify(event="booking.confirmed", messages=[sms()])
    moment = timezone.now()
    for delay in RETRY_DELAYS:
        moment += delay + datetime.timedelta(seconds=1)
        notifications_deliver_due(now=moment)
    notification = Notification.objects.get()
    assert (notification.status, notification.attempts) == ("failed", len(RETRY_DELAYS) + 1)
    assert notifications_deliver_due(now=moment + datetime.timedelta(days=1)) == 0


def test_email_goes_through_the_django_email_backend(django_capture_on_commit_callbacks):
    message = Message(channel="email", address="staff@example.cn", subject="新的预约", body="请确认")
    with django_capture_on_commit_callbacks(execute=True):
        notify(event="booking.received", messages=[message])
    sent = [(email.subject, email.to, email.body) for email in mail.outbox]
    assert sent == [("新的预约", ["staff@example.cn"], "请确认")]
    assert Notification.objects.get().status == "sent"


def test_a_message_sent_once_is_not_written_twice(gateway, django_user_model):
    about = django_user_model.objects.create_user("someone")
    assert len(notify(event="booking.reminder", about=about, messages=[sms()], once=True)) == 1
    assert notify(event="booking.reminder", about=about, messages=[sms()], once=True) == []
    assert Notification.objects.count() == 1


def test_the_console_provider_logs_the_text(settings, caplog, django_capture_on_commit_callbacks):
    settings.NOTIFICATIONS_SMS_BACKEND = "notifications.channels.ConsoleSms"
    with django_capture_on_commit_callbacks(execute=True):
        notify(event="booking.confirmed", messages=[sms("测试短信")])
    assert "SMS to 13912345678: 测试短信" in caplog.text
