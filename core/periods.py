import datetime

from django.utils import timezone


def date_param(value):
    """A date from a query parameter (YYYY-MM-DD), or None when missing or malformed."""
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def period_from_request(request) -> tuple[datetime.date, datetime.date]:
    """?start=&end= from the query string; by default this year up to today."""
    today = timezone.localdate()
    start = date_param(request.GET.get("start")) or today.replace(month=1, day=1)
    end = date_param(request.GET.get("end")) or today
    return (start, end) if start <= end else (end, start)
