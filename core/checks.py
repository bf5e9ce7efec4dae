from django.conf import settings
from django.core.checks import Warning, register


@register("security", deploy=True)
def shared_cache_for_limits(app_configs, **kwargs):
    """Rate limits and counters live in the cache: with the local-memory cache each worker
    process counts alone, so N workers let N times the limit through."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith("LocMemCache"):
        return [
            Warning(
                "Rate limits use the per-process local-memory cache.",
                hint="Set CACHE_URL or REDIS_URL (Redis) when more than one worker or server runs.",
                id="core.W001",
            )
        ]
    return []


@register()
def watermark_font(app_configs, **kwargs):
    """Restricted images are stamped with their reader's name in a CJK font (core/watermark.py):
    without it, cadres get an error page instead of the image."""
    from core.watermark import font_available

    if font_available():
        return []
    return [
        Warning(
            f"The watermark font {settings.WATERMARK_FONT} cannot be loaded.",
            hint="apt-get install fonts-wqy-zenhei, or set WATERMARK_FONT to a TTF/TTC file with Chinese glyphs.",
            id="core.W002",
        )
    ]
