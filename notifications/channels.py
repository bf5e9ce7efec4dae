"""How a message reaches someone: by email through Django's email backend, or by text message
through the provider named in settings.NOTIFICATIONS_SMS_BACKEND.

A provider is a class with `send(phone, text)` that returns nothing when the provider accepted
the message and raises DeliveryFailed otherwise. Two come with the project: `ConsoleSms` writes
the message to the log (development, demos, a city without an SMS contract) and `HttpSms` posts it
as JSON to an SMS gateway's HTTP API (NOTIFICATIONS_SMS_URL, NOTIFICATIONS_SMS_KEY,
NOTIFICATIONS_SMS_SIGN: the signature the carrier requires). Another provider's API is one more
class of the same shape."""

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger("notifications")


class DeliveryFailed(Exception):
    """The channel could not deliver the message now; it may succeed later."""


class ConsoleSms:
    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


class HttpSms:
    """A JSON POST {"phone", "sign", "text"} with the key as a bearer token; the gateway answers
    2xx with {"code": "OK"} when it accepted the message."""

    def __init__(self, url: str | None = None, key: str | None = None, sign: str | None = None, timeout: float = 5):
        self.url = url or settings.NOTIFICATIONS_SMS_URL
        self.key = key if key is not None else settings.NOTIFICATIONS_SMS_KEY
        self.sign = sign if sign is not None else settings.NOTIFICATIONS_SMS_SIGN
        self.timeout = timeout

    def send(self, phone: str, text: str) -> None:
        payload = json.dumps({"phone": phone, "sign": self.sign, "text": text}, ensure_ascii=False).encode()
        request = urllib.request.Request(  # noqa: S310 - the URL is the configured gateway
            self.url,
            data=payload,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "Authorization": f"Bearer {self.key}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read(4096) or b"{}")
        except (urllib.error.URLError, TimeoutError, ValueError, OSError) as error:
            raise DeliveryFailed(f"gateway: {error}") from error
        if answer.get("code") != "OK":
            raise DeliveryFailed(f"gateway refused: {str(answer)[:200]}")


def sms_provider():
    return import_string(settings.NOTIFICATIONS_SMS_BACKEND)()


def deliver(channel: str, address: str, subject: str, body: str) -> None:
    """Send one message, or raise DeliveryFailed."""
    if channel == "sms":
        sms_provider().send(address, body)
        return
    try:
        send_mail(subject, body, None, [address], fail_silently=False)
    except OSError as error:  # SMTP errors are OSErrors
        raise DeliveryFailed(f"email: {error}") from error
