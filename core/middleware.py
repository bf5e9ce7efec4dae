from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The site-wide policy (settings.CONTENT_SECURITY_POLICY), relaxed for the admin only:
    CKEditor 5 injects <style> elements and the Django admin sets style attributes at run time,
    which a strict style-src blocks. Scripts stay 'self' everywhere."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith("/admin/"):
            parts.update = {**(parts.update or {}), "style-src": [UNSAFE_INLINE]}
        return parts
