from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.ratelimit import limited
from search.forms import SearchForm
from search.services import search
from search.text import highlight, snippet

PER_PAGE = 20
SEARCHES_PER_MINUTE = 30


@limited("search", limit=SEARCHES_PER_MINUTE, seconds=60, methods=("GET",))
def search_page(request):
    form = SearchForm(request.GET)
    words = form.words()
    results, ranked = search(user=request.user, words=words, since=form.since())
    section = form.cleaned_data.get("section", "") if form.is_valid() else ""
    paginator = Paginator(ranked(section), PER_PAGE)
    paginator.count = results.count(section)  # counted per 栏目 already: no second COUNT
    page = paginator.get_page(request.GET.get("page"))
    query = form.cleaned_data.get("q", "") if form.is_valid() else ""
    hits = [
        {"entry": entry, "title": highlight(entry.title, words), "snippet": snippet(entry.text, words)}
        for entry in page.object_list
    ]
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "query": query,
            "search_query": query,  # the header's box keeps it
            "words": words,
            "results": results,
            "section": section,
            "page": page,
            "hits": hits,
            "crumbs": [(_("Site search"), "")],
        },
    )
