"""When the demo's items appear to have been published: on the dates of the story the source report
tells (2020-01-01 … 2022-09-06), not on the day the demo was loaded. A real site stamps the time
when staff publish; the demo writes the stamp afterwards, in one UPDATE that skips the history."""

import datetime

from django.utils import timezone

# The period of the source report's story.
STORY_START, STORY_END = datetime.date(2020, 1, 1), datetime.date(2022, 9, 6)


def published_on(item, day: datetime.date, hour: int = 9):
    """Give `item` the publication time of `day` at `hour` (and return it)."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    type(item).objects.filter(pk=item.pk).update(published_at=moment)
    item.published_at = moment
    return item
