"""Spreadsheet output that is safe to open in Excel or WPS."""

import tablib
from import_export.formats.base_formats import XLSX

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe
    (the OWASP advice against CSV/formula injection); numbers and dates pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeXLSX(XLSX):
    """The .xlsx export of every admin list: formula-like cells neutralised."""

    def export_data(self, dataset, **kwargs):
        rows = [[neutralise_formula(cell) for cell in row] for row in dataset]
        safe = tablib.Dataset(*rows, headers=dataset.headers, title=dataset.title)
        return super().export_data(safe, **kwargs)
