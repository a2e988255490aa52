"""The portal and the review pages in a real browser (headless Chromium, no JavaScript
needed by the pages): an applicant applies, a reviewer approves, the applicant gets a secret
that works, at 1,280 and 1,920 px, no page scrolling sideways. Screenshots of every page go to
var/screenshots/ (the test artifacts) for people to look at."""

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


class Journey:
    """One walk through the pages at one window width: each page it reaches is checked for
    sideways scrolling and saved whole as a screenshot (var/screenshots/<width>/), in order."""

    def __init__(self, browser, width: int):
        self.browser, self.width, self.pages = browser, width, []
        self.folder = SHOTS / str(width)
        self.folder.mkdir(parents=True, exist_ok=True)
        browser.set_window_size(width, 1000)

    def look(self, name: str):
        browser = self.browser
        wide = browser.execute_script("return document.documentElement.scrollWidth")
        inner = browser.execute_script("return window.innerWidth")
        assert wide <= inner, f"{name} scrolls sideways at {self.width} px: {wide} > {inner}"
        tall = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(self.width, min(tall + 150, 9000))
        self.pages.append(name)
        browser.save_screenshot(str(self.folder / f"{len(self.pages):02d}-{name}.png"))
        browser.set_window_size(self.width, 1000)


@pytest.mark.parametrize("width", [1280, 1920])
def test_the_applicants_and_the_reviewers_journeys(browser, live_server, reviewer, width):
    """Sign up, apply (a whole dataset picked), answer a request for changes, get approved,
    issue a secret that works; the reviewer works the queue and decides. Every page fits the
    window and is photographed."""
    url, journey = live_server.url, Journey(browser, width)

    # The applicant signs up and chooses her password through the e-mailed link.
    browser.get(f"{url}/accounts/sign-up/")
    journey.look("sign-up")
    fill(browser, {"email": "eve@uni.example", "first_name": "Eve", "last_name": "Example"})
    click(browser, "Sign up")
    assert "Check your inbox" in browser.page_source
    journey.look("sign-up-sent")
    link = re.search(r"http://\S+/accounts/sign-up/\S+", mail.outbox[-1].body).group(0)
    browser.get(link)
    journey.look("choose-password")
    fill(browser, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    click(browser, "Set password")
    assert "Welcome. Start your application below." in browser.page_source
    journey.look("dashboard")

    # She writes the application: datasets open as sections; one is asked for whole.
    browser.get(f"{url}/portal/applications/new/")
    journey.look("application-form")
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
        },
    )
    browser.execute_script(
        "document.getElementsByName('time_frame_start')[0].value='2026-12-01';"
        "document.getElementsByName('time_frame_end')[0].value='2027-06-30';"
    )
    browser.find_element("css selector", "#dataset-video summary").click()
    for field in ("id", "hashtag_names", "create_time"):
        browser.find_element(
            "css selector", f"input[name='fields__video'][value='{field}']"
        ).click()
    fill(browser, {"necessity__video": "Hashtags and descriptions are the object of study."})
    browser.find_element("css selector", "#dataset-moderation_decision summary").click()
    browser.find_element("name", "all__moderation_decision").click()
    decisions = browser.find_elements("css selector", "input[name='fields__moderation_decision']")
    assert decisions and all(box.is_selected() for box in decisions)  # ticked for her
    count = browser.find_element("css selector", "[data-count-for='moderation_decision']").text
    assert count == f"{len(decisions)} chosen"
    fill(browser, {"necessity__moderation_decision": "Which of them are removed, and how fast."})
    journey.look("application-form-filled")
    click(browser, "Save")
    assert "Draft saved" in browser.page_source
    journey.look("application-draft")
    click(browser, "Submit for review")
    assert browser.find_element("id", "status").text == "submitted, awaiting review"
    journey.look("application-submitted")
    click(browser, "Sign out")

    # The reviewer signs in to the admin, finds it in the queue and asks for changes.
    browser.delete_all_cookies()
    browser.get(f"{url}/admin/login/")
    journey.look("review-sign-in")
    fill(browser, {"username": reviewer.email, "password": PASSWORD})
    click(browser, "Log in")
    journey.look("review-index")
    browser.get(f"{url}/admin/accounts/application/")
    journey.look("review-queue")
    follow(browser, "Hashtags of hate")
    assert "Tracking hateful hashtags." in browser.page_source
    assert "every field (" in browser.page_source  # the whole dataset, not 36 names
    approve = browser.find_element("xpath", "//input[@type='submit' and @value='Approve']")
    assert approve.location["x"] + approve.size["width"] <= width  # never past the edge
    journey.look("review-application")
    fill(browser, {"message": "Please say how long you keep the data."})
    click(browser, "Request changes")
    journey.look("review-changes-requested")

    # The applicant reads the request, answers and submits again.
    sign_in(browser, url, "/accounts/login/", "eve@uni.example", "Sign in")
    application = Application.objects.get()
    browser.get(f"{url}/portal/applications/{application.id}/")
    assert "how long you keep the data" in browser.page_source
    journey.look("application-changes-requested")
    fill(browser, {"response": "Two years after publication, then deleted."})
    click(browser, "Submit again")
    assert browser.find_element("id", "status").text == "submitted, awaiting review"
    click(browser, "Sign out")

    # The reviewer approves: the form starts from the scopes of the datasets asked for.
    sign_in(browser, url, "/admin/login/", reviewer.email, "Log in")
    browser.get(f"{url}/admin/accounts/application/{application.id}/change/")
    ticked = {
        box.get_attribute("value")
        for box in browser.find_elements("css selector", "input[name='scopes']")
        if box.is_selected()
    }
    assert ticked == {"research.data.basic", "research.data.moderation"}
    journey.look("review-application-again")
    today = timezone.now().date().isoformat()
    browser.execute_script(f"document.getElementsByName('access_start')[0].value='{today}';")
    click(browser, "Approve")
    assert "Approved; the project was created." in browser.page_source
    journey.look("review-approved")
    project = Project.objects.get(application=application)
    browser.get(f"{url}/admin/accounts/project/{project.id}/change/")
    journey.look("review-project")

    # The applicant issues the secret in the portal; it works at the token endpoint.
    sign_in(browser, url, "/accounts/login/", "eve@uni.example", "Sign in")
    browser.get(f"{url}/portal/projects/{project.id}/")
    journey.look("project")
    click(browser, "Issue the client secret")
    key = browser.find_element("id", "client-key").text
    secret = browser.find_element("id", "client-secret").text
    journey.look("secret-shown-once")
    form = urllib.parse.urlencode(
        {"client_key": key, "client_secret": secret, "grant_type": "client_credentials"}
    ).encode()
    with urllib.request.urlopen(f"{url}/v2/oauth/token/", data=form) as response:  # noqa: S310
        token = json.load(response)
    assert token["token_type"] == "Bearer"
    # A day of use shows on the project's chart and in the table beside it.
    request = urllib.request.Request(  # noqa: S310
        f"{url}/v2/research/video/query/",
        data=json.dumps(
            {
                "query": {
                    "and": [
                        {"operation": "EQ", "field_name": "region_code", "field_values": ["DE"]}
                    ]
                },
                "start_date": "20260101",
                "end_date": "20261231",
            }
        ).encode(),
        headers={"Authorization": f"Bearer {token['access_token']}"},
    )
    urllib.request.urlopen(request).read()  # noqa: S310
    browser.get(f"{url}/portal/projects/{project.id}/")
    assert secret not in browser.page_source
    from selenium.webdriver.support.wait import WebDriverWait

    WebDriverWait(browser, 10).until(
        lambda b: (
            b.execute_script("return window.Chart && Object.keys(Chart.instances).length") == 2
        )
    )
    row = browser.find_element("css selector", ".usage-days tbody tr").text
    assert row == f"{today} 1 0"
    journey.look("project-used")
    assert len(journey.pages) == 20


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
