"""gunicorn's settings, read from the folder it starts in (its default --config).

gunicorn would set a request's scheme to https by itself when X-Forwarded-Proto says so and
the connection comes from an address in forwarded_allow_ips (127.0.0.1 and ::1 unless set):
behind a proxy on the same machine that passes the client's own header on, any client could
claim HTTPS over plain HTTP (no redirect to HTTPS, an HSTS header, https links). Whether a
request came over HTTPS is Django's decision alone: the proxy's header is believed only with
DJANGO_TRUST_X_FORWARDED_PROTO=true (SECURE_PROXY_SSL_HEADER in research_api/settings.py).
"""

secure_scheme_headers: dict[str, str] = {}
