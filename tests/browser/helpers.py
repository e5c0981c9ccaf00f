"""What every browser test does: log in through the form, check a page with axe-core."""

import re

from axe_playwright_python.sync_playwright import Axe

PASSWORD = "conduct-demo"
_AXE = Axe()
BLOCKING_IMPACTS = {"serious", "critical"}


def login(page, username, password=PASSWORD, *, check_accessibility=True):
    """Log in through the labelled form: the login page is the only URL a user types. With scripts off,
    `check_accessibility=False`: axe-core is a script, and would wait for ever."""
    page.goto("/accounts/login/")
    if check_accessibility:
        assert_accessible(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/$"))


def logout(page):
    nav_toggle = page.get_by_role("button", name="Show menu")
    if nav_toggle.is_visible():
        nav_toggle.click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))


def follow(page, locator):
    """Click a link or button that loads a page, and wait until that page has loaded:
    axe-core run during the navigation finds no document and fails at random."""
    with page.expect_navigation():
        locator.click()
    page.wait_for_load_state()


# axe-core's own run (Axe.run) loads its 570 kB script into the page on every call and sends back the
# whole result; a page checked at two widths loads it once here, and only the violations come back.
_AXE_LOADED = "typeof window.axe !== 'undefined'"
_AXE_VIOLATIONS = "axe.run(document, {resultTypes: ['violations']}).then(results => results.violations)"


# axe-core's answer for each page already checked in this test process, by its document and window size: every
# login checks the login page, the same page thirty times over. Only the CSRF token, which no rule reads, is left
# out of the document; any other difference is a page of its own.
_CHECKED = {}
_CSRF_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"')


def axe_violations(page):
    """Serious and critical axe-core violations on the page as it is now (once a page a click opened has loaded:
    between two documents there is none to read)."""
    page.wait_for_load_state()
    document = _CSRF_TOKEN.sub(r'\1"', page.evaluate("document.documentElement.outerHTML"))
    key = (document, page.viewport_size["width"], page.viewport_size["height"])
    if key not in _CHECKED:
        if not page.evaluate(_AXE_LOADED):
            page.evaluate(_AXE.axe_script)
        _CHECKED[key] = [v for v in page.evaluate(_AXE_VIOLATIONS) if v["impact"] in BLOCKING_IMPACTS]
    return _CHECKED[key]


def assert_accessible(page):
    violations = axe_violations(page)
    assert not violations, f"axe-core on {page.url}:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n    "
        + "\n    ".join(" ".join(node["target"]) + ": " + node.get("failureSummary", "").replace("\n", " ")
                        for node in v["nodes"][:5])
        for v in violations
    )


def nav(page, name):
    """Follow a link in the main navigation (opening the menu on a narrow screen)."""
    toggle = page.get_by_role("button", name="Show menu")
    if toggle.is_visible():
        toggle.click()
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True))


WIDTHS = {"narrow": 375, "wide": 1280}
ROLES = ["office", "deputy", "head", "chair", "office2", "head2", "trust"]
# One account for each role (office2 and head2 repeat office and head at the second school).
ONE_PER_ROLE = ["office", "deputy", "head", "chair", "trust"]
WRITERS = {"office", "deputy", "head", "office2", "head2"}
# A demo case each role can open, by the name of the person it is about.
CASE_FOR = {"office2": "Nina Jones", "head2": "Nina Jones"}
DEFAULT_CASE = "Steven Grey"  # awaiting the Chair, with a ban proposed


def open_case(page, person_name):
    """From the incident list, open the case about `person_name`."""
    nav(page, "Incidents")
    follow(page, page.get_by_role("row").filter(has_text=person_name).first.get_by_role("link").first)


def no_horizontal_overflow(page):
    """Nothing sticks out sideways: the page is no wider than the window."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


# Every main menu link, and the account menu's button, on one line of text at a desktop's width (the menu is
# folded behind its toggle on a phone's): a wrapped one holds two lines between its paddings.
MENU_ON_ONE_LINE = """() => {
    const toggler = document.querySelector('.navbar-toggler');
    if (!toggler || getComputedStyle(toggler).display !== 'none') return true;
    const items = document.querySelectorAll('nav[aria-label="Main"] .nav-link, .nav-account .dropdown-toggle');
    return [...items].every(el => {
        const style = getComputedStyle(el);
        const text = el.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
        return text < 1.5 * parseFloat(style.lineHeight);
    });
}"""


def check_page(page, name, problems):
    """At each width: axe-core's serious and critical violations, a page wider than the window and a main menu
    wrapped onto two lines, added to `problems` (so one test reports every page's problems at once); the wide
    window again afterwards."""
    for width in WIDTHS.values():
        page.set_viewport_size({"width": width, "height": 900})
        for v in axe_violations(page):
            problems.append(f"{name} at {width}px: {v['id']} ({v['impact']}) {v['help']}: "
                            + "; ".join(" ".join(n["target"]) for n in v["nodes"][:4]))
        if not no_horizontal_overflow(page):
            problems.append(f"{name} at {width}px: the page is wider than the window")
        if not page.evaluate(MENU_ON_ONE_LINE):
            problems.append(f"{name} at {width}px: the main menu wraps onto a second line")
    page.set_viewport_size({"width": WIDTHS["wide"], "height": 900})


def main_pages(page, username):
    """Visit every main page for this role by clicking, yielding a short name for each."""
    yield "home"
    nav(page, "Incidents")
    yield "incidents"
    open_case(page, CASE_FOR.get(username, DEFAULT_CASE))
    yield "case"
    if username == "office":
        follow(page, page.get_by_role("link", name="Add evidence"))
        yield "add-evidence"
    if username in {"office", "deputy", "head", "chair", "trust"}:
        open_case(page, "Lisa Stone")  # decided, with a meeting and a letter
        yield "case-decided"
        if username in {"head", "trust"}:
            follow(page, page.get_by_role("link", name=re.compile("see the change history")))
            yield "case-history"
    if username == "deputy":
        open_case(page, "Karen Black")
        follow(page, page.get_by_role("link", name="Revise the proposal"))
        yield "propose"
    if username == "head":
        open_case(page, "Karen Black")
        follow(page, page.get_by_role("link", name="Decide the response"))
        yield "decide"
    if username == "chair":
        open_case(page, DEFAULT_CASE)
        follow(page, page.get_by_role("link", name="Record the consultation"))
        yield "consultation"
    if username in WRITERS:
        nav(page, "Log an incident")
        yield "log-incident"
    nav(page, "Ban register")
    yield "ban-register"
    if username in {"office", "office2"}:  # the same page for everybody: reception prints it
        follow(page, page.get_by_role("link", name="Printable register (A4)"))
        yield "ban-register-print"
    nav(page, "People")
    yield "people"
    if username == "office":
        follow(page, page.get_by_role("link", name="Add a person"))
        yield "add-person"
        nav(page, "People")
    follow(page, page.locator("main table").get_by_role("link").first)
    yield "person"
    if username == "office":
        follow(page, page.get_by_role("link", name="Edit details"))
        yield "edit-person"
    open_account_menu(page)
    follow(page, page.get_by_role("link", name="Password"))
    yield "password"
    if username in {"office", "head"}:
        open_account_menu(page)
        follow(page, page.get_by_role("link", name="Two-factor"))
        yield "two-factor"


def open_account_menu(page):
    """The menu under the user's name (Password, Notifications, Two-factor), behind the main menu's toggle on a
    narrow screen."""
    toggle = page.get_by_role("button", name="Show menu")
    if toggle.is_visible():
        toggle.click()
    page.get_by_role("button", name=re.compile(r"\(your account\)$")).click()


def local_input(delta):
    """A datetime-local value (Europe/London), `delta` from now."""
    from django.utils import timezone

    return (timezone.localtime() + delta).strftime("%Y-%m-%dT%H:%M")


def expect_message(page, text):
    """The success or error message after a step, shown in the messages area."""
    from playwright.sync_api import expect

    expect(page.locator(".messages")).to_contain_text(text)


def next_step(page):
    return page.get_by_role("region", name="Next step")


def primary_action(page):
    """The one primary button in the case page's next step."""
    return next_step(page).locator(".btn-primary")


def stage_badge(page):
    return page.locator("h1 + p .stage-badge")


def tab_to(page, name, limit=80):
    """Press Tab until the focused element's accessible text contains `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => {
            const el = document.activeElement;
            if (!el || el === document.body || el === document.documentElement) return "";
            const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
            return [label, el.innerText || "", el.getAttribute("aria-label") || ""].join(" ");
        }""")
        if name.lower() in focused.lower():
            return
    raise AssertionError(f"Tab never reached {name!r}")
