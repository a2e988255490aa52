"""The portal and the admin as an attacker meets them, through HTTP: sign-in pauses after
repeated failures, every page carries a Content-Security-Policy and a Permissions-Policy
that its own markup obeys, sign-up does not tell which addresses have accounts, and HSTS
comes only over HTTPS or from a trusted proxy."""

import http.client
import re
import urllib.parse
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client

from accounts.models import User
from audit import events
from audit.models import AuditEntry
from tests.conftest import PASSWORD
from tests.servers import gunicorn

pytestmark = pytest.mark.django_db

SIGN_IN_PAGES = ["/accounts/login/", "/admin/login/"]


def attempt(client: Client, page: str, email: str, password: str, address="10.0.0.1"):
    return client.post(page, {"username": email, "password": password}, REMOTE_ADDR=address)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- Sign-in lockout -----------------------------------------------------------------------


@pytest.mark.parametrize("page", SIGN_IN_PAGES)
def test_five_wrong_passwords_pause_sign_in_even_with_the_right_one(page, reviewer):
    client = Client()
    answers = [attempt(client, page, reviewer.email, "wrong").status_code for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]

    response = attempt(client, page, reviewer.email, PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    text = response.content.decode()
    assert "Sign-in paused" in text and "15 minutes" in text
    assert response["Content-Type"].startswith("text/html")
    assert 890 <= int(response["Retry-After"]) <= 900


@pytest.mark.parametrize("page", SIGN_IN_PAGES)
def test_sign_in_works_again_after_the_pause(page, reviewer):
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    client = Client()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(5):
            attempt(client, page, reviewer.email, "wrong")
        clock.shift(timedelta(minutes=14))
        # Refused, but not counted: the pause still ends 15 minutes after the fifth failure.
        assert attempt(client, page, reviewer.email, PASSWORD).status_code == 429
        clock.shift(timedelta(minutes=1, seconds=1))
        assert attempt(client, page, reviewer.email, PASSWORD).status_code == 302
        assert signed_in(client)


def test_the_pause_is_for_one_address_from_one_client_address(researcher, other_researcher):
    """Case does not make a new address; another address, or another network, is not paused."""
    client = Client()
    for email in ["alice@uni.example", "ALICE@uni.example", "Alice@Uni.Example"] * 2:
        response = attempt(client, "/accounts/login/", email, "wrong")
    assert response.status_code == 429
    assert attempt(Client(), "/accounts/login/", researcher.email, PASSWORD).status_code == 429

    bob = Client()
    assert attempt(bob, "/accounts/login/", other_researcher.email, PASSWORD).status_code == 302
    elsewhere = Client()
    response = attempt(elsewhere, "/accounts/login/", researcher.email, PASSWORD, "10.0.0.2")
    assert response.status_code == 302


def test_sign_in_takes_the_address_in_any_letter_case(researcher):
    client = Client()
    assert (
        attempt(client, "/accounts/login/", researcher.email.upper(), PASSWORD).status_code == 302
    )
    assert signed_in(client)


def test_a_successful_sign_in_clears_the_failures(researcher):
    client = Client()
    for _ in range(4):
        attempt(client, "/accounts/login/", researcher.email, "wrong")
    assert attempt(client, "/accounts/login/", researcher.email, PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    answers = [
        attempt(client, "/accounts/login/", researcher.email, "wrong").status_code for _ in range(5)
    ]
    assert answers == [200, 200, 200, 200, 429]


# --- Content-Security-Policy and Permissions-Policy ----------------------------------------


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parts = [part.split() for part in header.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


def page_client(who: str, researcher, reviewer) -> Client:
    client = Client()
    if who == "researcher":
        client.force_login(researcher)
    elif who == "reviewer":
        client.force_login(reviewer)
    return client


PAGES = [
    ("/", None),
    ("/accounts/login/", None),
    ("/accounts/sign-up/", None),
    ("/portal/", "researcher"),
    ("/admin/login/", None),
    ("/admin/", "reviewer"),
    ("/admin/accounts/application/", "reviewer"),
    ("/docs/", None),
    ("/docs/redoc/", None),
]


@pytest.mark.parametrize(("path", "who"), PAGES)
def test_every_page_has_a_content_security_policy_its_markup_obeys(path, who, researcher, reviewer):
    response = page_client(who, researcher, reviewer).get(path)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["script-src"][0] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]

    html = response.content.decode()
    nonce = next((s[7:-1] for s in policy["script-src"] if s.startswith("'nonce-")), None)
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or (nonce and f'nonce="{nonce}"' in tag), tag
    assert not re.search(r"<[a-z][^>]*\sstyle=", html), "style attributes do not apply"
    if "'unsafe-inline'" not in policy["style-src"]:
        for tag in re.findall(r"<style\b[^>]*>", html):
            assert nonce and f'nonce="{nonce}"' in tag, tag


def test_the_swagger_page_starts_from_a_script_of_this_origin():
    page = Client().get("/docs/").content.decode()
    sources = re.findall(r'<script src="([^"]+)"', page)
    start = [s for s in sources if s.startswith("/docs/")]
    assert start, sources
    script = Client().get(start[0])
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


@pytest.mark.parametrize(("path", "who"), [*PAGES, ("/healthz", None)])
def test_every_page_denies_the_browser_features_it_does_not_use(path, who, researcher, reviewer):
    response = page_client(who, researcher, reviewer).get(path)
    features = dict(
        part.strip().split("=", 1) for part in response["Permissions-Policy"].split(",")
    )
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"


# --- Sign-up that does not tell who has an account -----------------------------------------


def sign_up(email: str, committed) -> object:
    with committed(execute=True):
        return Client().post(
            "/accounts/sign-up/", {"email": email, "first_name": "Sam", "last_name": "Tester"}
        )


def test_sign_up_answers_the_same_whether_or_not_the_address_has_an_account(
    researcher, django_capture_on_commit_callbacks
):
    committed = django_capture_on_commit_callbacks
    known = sign_up("Alice@Uni.Example", committed)
    new = sign_up("Newcomer@Uni.Example", committed)

    assert known.status_code == new.status_code == 200
    assert [t.name for t in known.templates] == [t.name for t in new.templates]
    assert known.content.replace(b"alice@", b"someone@") == new.content.replace(
        b"newcomer@", b"someone@"
    )
    assert b"Check your inbox" in new.content
    assert sorted(known.headers) == sorted(new.headers)
    assert known.cookies.keys() == new.cookies.keys()

    # The account owner is told, and nothing about the account changed.
    to_alice, to_newcomer = mail.outbox
    assert to_alice.to == ["alice@uni.example"]
    assert "already has an account" in to_alice.body
    assert "/accounts/password_reset/" in to_alice.body
    researcher.refresh_from_db()
    assert researcher.check_password(PASSWORD) and researcher.first_name == "Alice"
    # The newcomer's account exists without a usable password until the link is followed.
    assert to_newcomer.to == ["newcomer@uni.example"]
    newcomer = User.objects.get(email="newcomer@uni.example")
    assert not newcomer.has_usable_password()
    assert list(AuditEntry.objects.filter(event=events.SIGN_UP).values_list("actor_id")) == [
        (newcomer.pk,)
    ]


def test_only_the_mailbox_owner_chooses_the_password(django_capture_on_commit_callbacks):
    """A second sign-up with an address whose password nobody chose yet sends the link again
    and changes nothing; the link sets the password once and signs its follower in."""
    committed = django_capture_on_commit_callbacks
    sign_up("dana@uni.example", committed)
    with committed(execute=True):
        again = Client().post(
            "/accounts/sign-up/", {"email": "dana@uni.example", "first_name": "Mallory"}
        )
    assert again.status_code == 200
    dana = User.objects.get(email="dana@uni.example")
    assert dana.first_name == "Sam" and not dana.has_usable_password()
    first, second = (re.search(r"http://testserver(\S+)", m.body).group(1) for m in mail.outbox)

    browser = Client()
    form = browser.get(second, follow=True)
    response = browser.post(
        form.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert signed_in(browser)
    # Used once: neither link works any more.
    for link in (first, second):
        assert b"This link no longer works" in Client().get(link, follow=True).content
    assert attempt(Client(), "/accounts/login/", "dana@uni.example", PASSWORD).status_code == 302


def test_sign_up_cannot_flood_a_mailbox_or_be_sprayed_from_one_address(
    settings, django_capture_on_commit_callbacks
):
    settings.RESEARCH_API_SIGN_UPS_PER_EMAIL = 2
    settings.RESEARCH_API_SIGN_UPS_PER_ADDRESS = 3
    committed = django_capture_on_commit_callbacks
    answers = [sign_up("target@uni.example", committed).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    assert len(mail.outbox) == 2
    refused = sign_up("target@uni.example", committed)
    assert b"Too many sign-ups" in refused.content and 0 < int(refused["Retry-After"]) <= 3600
    assert sign_up("other@uni.example", committed).status_code == 200  # the address's third
    assert sign_up("third@uni.example", committed).status_code == 429  # and no more
    assert len(mail.outbox) == 3


# --- HSTS only over HTTPS or from a trusted proxy ------------------------------------------


def get(base_url: str, path: str, headers: dict) -> http.client.HTTPResponse:
    url = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    connection.request("GET", path, headers={"Host": url.netloc, **headers})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_hsts_only_over_https_or_from_a_trusted_proxy():
    """A client on plain HTTP that claims HTTPS in X-Forwarded-Proto is redirected to HTTPS
    and gets no HSTS, unless the proxy's header is trusted. Run under gunicorn, which would
    believe the header from 127.0.0.1 by itself (forwarded_allow_ips)."""
    production = {"DJANGO_SECURE_SSL_REDIRECT": "true", "DJANGO_SECURE_HSTS_SECONDS": "31536000"}
    spoofed = {"X-Forwarded-Proto": "https"}
    with gunicorn(workers=1, **production) as url:
        response = get(url, "/", spoofed)
        assert response.status == 301
        assert response.getheader("Location").startswith("https://")
        assert response.getheader("Strict-Transport-Security") is None
    with gunicorn(workers=1, DJANGO_TRUST_X_FORWARDED_PROTO="true", **production) as url:
        response = get(url, "/", spoofed)
        assert response.status == 200
        assert response.getheader("Strict-Transport-Security").startswith("max-age=31536000")
        assert get(url, "/", {}).status == 301
