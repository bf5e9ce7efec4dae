"""The site's 栏目 (columns), declared once by the apps that own their content.

Each app's AppConfig offers its columns through `columns()`, a list of `Column`: what the column is
called, where it lives, which published items it shows to a given visitor, and which field dates
an item. The public navigation shows a column only while it has items for the visitor (a
government site shows no empty columns, portal/context_processors.py); the inspection dashboard
(sitecheck/) reads the same list to say when each public column was last updated."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    url: str
    # The published items a visitor (AnonymousUser for the public) sees in the column.
    items: Callable[[object], models.QuerySet]
    # The field that dates an item (when it reached the site).
    dated_by: str = "published_at"
    # A news-type column (工作动态, 通知公告) must be updated more often than the others.
    news: bool = False
    # False for a column reached inside another one (a kind tab of a list), not from the navigation.
    in_navigation: bool = True
    # False for a column only logged-in cadres have (案例通报): not judged as part of the public site.
    public: bool = True
