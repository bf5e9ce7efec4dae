import re

from django.core.paginator import Page, Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.ratelimit import limited
from search.forms import SearchForm
from search.services import search
from search.text import highlight, snippet

PER_PAGE = 20
SEARCHES_PER_MINUTE = 30


def _page_number(value: str | None) -> int:
    return int(value) if value and re.fullmatch(r"[0-9]{1,5}", value) else 1


@limited("search", limit=SEARCHES_PER_MINUTE, seconds=60, methods=("GET",))
def search_page(request):
    form = SearchForm(request.GET)
    section = form.chosen("section")
    results = search(
        user=request.user,
        words=form.words(),
        since=form.since(),
        section=section,
        page=_page_number(request.GET.get("page")),
        per_page=PER_PAGE,
    )
    # The pager needs only the count: the page's entries came with it.
    page = Page(results.hits, results.page, Paginator(range(results.count(section)), PER_PAGE))
    hits = [
        {
            "entry": entry,
            "title": highlight(entry.title, results.words),
            "snippet": snippet(entry.text, results.words),
        }
        for entry in results.hits
    ]
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "query": form.query(),
            "words": results.words,
            "results": results,
            "section": section,
            "within": form.chosen("within"),
            "page": page,
            "hits": hits,
            "crumbs": [(_("Site search"), "")],
        },
    )
