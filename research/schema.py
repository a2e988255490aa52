"""drf-spectacular extensions: how our authentication appears in the OpenAPI schema."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ProjectTokenScheme(OpenApiAuthenticationExtension):
    target_class = "research.views_base.ProjectTokenAuthentication"
    name = "projectToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A project's access token from POST /v2/oauth/token/ (client credentials: "
                "client_key, client_secret, grant_type=client_credentials). Valid 7,200 s."
            ),
        }
