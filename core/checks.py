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
