"""The API documentation pages (Swagger UI and Redoc, served from drf-spectacular-sidecar),
each with the Content-Security-Policy its viewer needs and nothing more.

Both load their scripts from this origin: Swagger UI's start-up script is a file of its own
(drf-spectacular's split view), not an inline <script>. What they need beyond the site-wide
policy (settings.CONTENT_SECURITY_POLICY): images as data: URIs (their icons), and for
Redoc, styles it writes into the page at run time and its search worker, started from a
blob: URL.
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace, csp_update
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

swagger = csp_update({"img-src": [SELF, "data:"]})(
    SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api_docs/swagger.html")
)

redoc = csp_replace(
    {
        # Redoc's styled-components write <style> elements without a nonce; a nonce in the
        # policy would make browsers ignore 'unsafe-inline', so this page has none.
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "worker-src": [SELF, "blob:"],
    }
)(SpectacularRedocView.as_view(url_name="schema", template_name="api_docs/redoc.html"))
