"""The portal's WSGI application for load tests only: a path prefix stands for a cookie, because
the shared load tester (../shared/bench/loadtest.sh) sends no headers of its own.

    /_cadre/bulletins/  →  /bulletins/ with the session cookie in BENCH_CADRE_SESSION (and a CSRF cookie)
    /_elder/bases/      →  /bases/ with the 长者模式 cookie

Never used by a real server (deploy/ and the README serve config.wsgi)."""

import os

from django.middleware.csrf import _get_new_csrf_string

from config.wsgi import application as portal

# A browser that has been on the site carries a CSRF cookie besides its session.
CSRF_SECRET = _get_new_csrf_string()

PREFIXES = {
    "/_cadre": f"sessionid={os.environ.get('BENCH_CADRE_SESSION', '')}; csrftoken={CSRF_SECRET}",
    "/_elder": "elder_mode=1",
}


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    for prefix, cookie in PREFIXES.items():
        if path.startswith(prefix + "/"):
            environ["PATH_INFO"] = path[len(prefix) :]
            environ["HTTP_COOKIE"] = cookie
            break
    return portal(environ, start_response)
