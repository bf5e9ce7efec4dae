from django import template

from portal.worklist import work_queue as tasks_for

register = template.Library()


@register.inclusion_tag("portal/work_queue.html", takes_context=True)
def work_queue(context):
    """What waits for the staff member, on the admin home page, above this year's counts."""
    return {"tasks": tasks_for(context["request"])}
