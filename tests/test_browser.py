"""The portal and the review pages in a real browser (headless Chromium, no JavaScript
needed by the pages): an applicant applies, a reviewer approves, the applicant gets a secret
that works. Screenshots go to var/screenshots/ for people to look at."""

import io
import json
import re
import shutil
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import Application, Project
from tests.conftest import PASSWORD, get_token, provision

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not (CHROMIUM and DRIVER),
        reason="needs Debian's chromium and chromium-driver (make browsers)",
    ),
]
SHOTS = Path(settings.VAR_DIR) / "screenshots"


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,2000",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # CSP violations show here
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.implicitly_wait(5)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def fill(browser, values: dict):
    for name, value in values.items():
        field = browser.find_element("name", name)
        field.clear()
        field.send_keys(value)


def click(browser, text: str):
    """Click a button and wait for the page it submits to."""
    _go(
        browser,
        "xpath",
        f"//button[normalize-space()='{text}'] | //input[@type='submit' and @value='{text}']",
    )


def follow(browser, text: str):
    """Follow a link and wait for the page it leads to."""
    _go(browser, "link text", text)


def _go(browser, by: str, locator: str):
    """Click what `locator` finds and wait for the next page (clicks return before it loads).

    The old page is marked with a property on its window; the new document comes with a new
    window, so the mark's absence says the browser has moved on. (Waiting on an element of
    the old page to go stale is racy: Chromium may answer "node does not belong to the
    document" instead of "stale", which Selenium does not treat as stale.)"""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.support.wait import WebDriverWait

    wait = WebDriverWait(browser, 10, ignored_exceptions=(WebDriverException,))
    # A page reached through a redirect may still be replacing its document: wait until it
    # is loaded, and find the button again if the node we found was swapped out under us.
    for attempt in range(3):
        wait.until(lambda b: b.execute_script("return document.readyState") == "complete")
        browser.execute_script("window.__leaving = true")
        try:
            browser.find_element(by, locator).click()
            break
        except (StaleElementReferenceException, WebDriverException) as error:
            if attempt == 2 or ("document" not in str(error) and "stale" not in str(error)):
                raise
    wait.until(
        lambda b: b.execute_script(
            "return window.__leaving === undefined && document.readyState === 'complete'"
        )
    )


def sign_in(browser, url: str, path: str, email: str, button: str):
    browser.delete_all_cookies()  # whoever was signed in before is gone
    browser.get(f"{url}{path}")
    fill(browser, {"username": email, "password": PASSWORD})
    click(browser, button)


def test_apply_approve_and_get_working_credentials(browser, live_server, reviewer):
    url = live_server.url

    # The applicant signs up and writes an application.
    browser.get(f"{url}/accounts/sign-up/")
    fill(browser, {"email": "eve@uni.example", "first_name": "Eve", "last_name": "Example"})
    click(browser, "Sign up")
    assert "Check your inbox" in browser.page_source
    # She follows the e-mailed link and chooses her password; she is signed in.
    link = re.search(r"http://\S+/accounts/sign-up/\S+", mail.outbox[-1].body).group(0)
    browser.get(link)
    fill(browser, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    click(browser, "Set password")
    assert "Welcome. Start your application below." in browser.page_source
    browser.get(f"{url}/portal/applications/new/")
    fill(
        browser,
        {
            "institution": "University of Examples",
            "role": "PhD candidate",
            "project_title": "Hashtags of hate",
            "abstract": "Hateful hashtags over time.",
            "research_questions": "Which hateful hashtags grow, and are they removed?",
            "data_security_plan": "Encrypted university storage.",
            "funding_statement": "Publicly funded; independent of the platform.",
            "public_summary": "Tracking hateful hashtags.",
            "necessity__video": "Hashtags and descriptions are the object of study.",
        },
    )
    browser.execute_script(
        "document.getElementsByName('time_frame_start')[0].value='2026-12-01';"
        "document.getElementsByName('time_frame_end')[0].value='2027-06-30';"
    )
    for field in ("id", "hashtag_names", "create_time"):
        browser.find_element(
            "css selector", f"input[name='fields__video'][value='{field}']"
        ).click()
    browser.save_screenshot(str(SHOTS / "1-application-form.png"))
    click(browser, "Save")
    assert "Draft saved" in browser.page_source
    click(browser, "Submit for review")
    assert browser.find_element("id", "status").text == "submitted, awaiting review"
    browser.save_screenshot(str(SHOTS / "2-application-submitted.png"))
    click(browser, "Sign out")

    # The reviewer signs in to the admin, finds it in the queue and approves it.
    sign_in(browser, url, "/admin/login/", reviewer.email, "Log in")
    browser.get(f"{url}/admin/accounts/application/")
    browser.save_screenshot(str(SHOTS / "3-review-queue.png"))
    follow(browser, "Hashtags of hate")
    assert "Tracking hateful hashtags." in browser.page_source
    # The decision panel is on the page, not past its right edge (1,280 px window).
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 1280
    approve = browser.find_element("xpath", "//input[@type='submit' and @value='Approve']")
    assert approve.location["x"] + approve.size["width"] <= 1280
    browser.save_screenshot(str(SHOTS / "4-review-application.png"))
    # The form proposes the applicant's time frame (from December); open access today.
    today = timezone.now().date().isoformat()
    browser.execute_script(f"document.getElementsByName('access_start')[0].value='{today}';")
    click(browser, "Approve")
    assert "Approved; the project was created." in browser.page_source
    project = Project.objects.get(application=Application.objects.get())

    # The applicant issues the secret in the portal and it works at the token endpoint.
    sign_in(browser, url, "/accounts/login/", "eve@uni.example", "Sign in")
    browser.get(f"{url}/portal/projects/{project.id}/")
    click(browser, "Issue the client secret")
    key = browser.find_element("id", "client-key").text
    secret = browser.find_element("id", "client-secret").text
    browser.save_screenshot(str(SHOTS / "5-secret-shown-once.png"))
    form = urllib.parse.urlencode(
        {"client_key": key, "client_secret": secret, "grant_type": "client_credentials"}
    ).encode()
    with urllib.request.urlopen(f"{url}/v2/oauth/token/", data=form) as response:  # noqa: S310
        token = json.load(response)
    assert token["token_type"] == "Bearer"
    browser.get(f"{url}/portal/projects/{project.id}/")
    assert secret not in browser.page_source


def test_the_api_docs_work_under_the_content_security_policy(browser, live_server):
    """Swagger UI and Redoc render with the pages' policy, which blocks nothing they need (it
    does block Redoc's logo from its makers' server: no third-party requests)."""
    from selenium.webdriver.support.wait import WebDriverWait

    browser.get(f"{live_server.url}/docs/")
    title = ".swagger-ui .info .title"
    WebDriverWait(browser, 10).until(lambda b: b.find_elements("css selector", title))
    assert "Research API" in browser.find_element("css selector", title).text
    browser.get(f"{live_server.url}/docs/redoc/")
    WebDriverWait(browser, 10).until(lambda b: b.find_elements("css selector", "h1"))
    assert "Research API" in browser.find_element("css selector", "h1").text
    browser.find_element("css selector", "input[placeholder='Search...']").send_keys("video")
    WebDriverWait(browser, 10).until(  # the search runs in a worker started from a blob: URL
        lambda b: b.find_elements("css selector", "[data-markjs]")
    )
    violations = [
        entry["message"]
        for entry in browser.get_log("browser")
        if "Content Security Policy" in entry["message"] and "cdn.redoc.ly" not in entry["message"]
    ]
    assert violations == []


def test_the_transparency_page_draws_every_chart_at_common_widths(browser, live_server):
    """The public page, as the public sees it: charts drawn by the Chart.js this site serves,
    under the Content-Security-Policy, no sideways scrolling, a table beside each chart."""
    from django.core.management import call_command
    from selenium.webdriver.support.wait import WebDriverWait

    from transparency.figures import figures

    call_command(
        "seed_platform",
        videos=2_000,
        seed=5,
        no_progress=True,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    call_command("publish_transparency", "--end", "20261031", stdout=io.StringIO())
    for width in (1280, 1920, 390):
        browser.set_window_size(width, 1000)
        browser.get(f"{live_server.url}/transparency/")
        WebDriverWait(browser, 10).until(
            lambda b: (
                b.execute_script("return window.Chart && Object.keys(Chart.instances).length")
                == len(figures())
            )
        )
        drawn = browser.execute_script(
            "return [...document.querySelectorAll('canvas[data-figure]')].map(c => {"
            "  const blank = document.createElement('canvas');"
            "  blank.width = c.width; blank.height = c.height;"
            "  return c.width > 100 && c.toDataURL() !== blank.toDataURL(); })"
        )
        assert drawn == [True] * len(figures()), width
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width
        assert len(browser.find_elements("css selector", "section.figure table")) == len(figures())
        height = browser.execute_script("return document.body.scrollHeight")
        browser.set_window_size(width, min(height, 8000))
        browser.save_screenshot(str(SHOTS / f"transparency-{width}.png"))
    problems = [
        entry["message"]
        for entry in browser.get_log("browser")
        if entry["level"] == "SEVERE" and "favicon" not in entry["message"]
    ]
    assert problems == []


def test_a_projects_review_page_fits_the_window(browser, live_server, reviewer):
    """Manage, quotas, usage and the access log below the project, none past the edge."""
    project, key, secret = provision(scopes=("research.data.basic", "research.stats"))
    get_token(Client(), key, secret)  # an access-log entry with a long client key
    sign_in(browser, live_server.url, "/admin/login/", reviewer.email, "Log in")
    for width in (1280, 1920):
        browser.set_window_size(width, 2000)
        browser.get(f"{live_server.url}/admin/accounts/project/{project.id}/change/")
        assert "research.stats" in browser.page_source
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width
        button = browser.find_element("xpath", "//input[@type='submit' and @value='Set quotas']")
        assert button.location["x"] + button.size["width"] <= width
        browser.save_screenshot(str(SHOTS / f"6-review-project-{width}.png"))
