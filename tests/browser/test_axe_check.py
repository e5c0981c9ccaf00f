"""The accessibility check the browser tests rely on (tests.browser.helpers.axe_violations) finds a serious
violation, sees the page change, and answers a page it has checked, whatever its CSRF token, without axe-core."""

import pytest

from tests.browser.helpers import axe_violations

pytestmark = pytest.mark.browser

PAGE = """<!doctype html><html lang="en"><head><title>Check</title></head><body><main><h1>Check</h1>
<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="{token}">{button}</form>
</main></body></html>"""


@pytest.fixture
def blank_page(browser):
    page = browser.new_page()
    yield page
    page.close()


def test_a_button_without_a_name_is_found_and_the_named_one_passes(blank_page):
    blank_page.set_content(PAGE.format(token="one", button="<button></button>"))
    assert [v["id"] for v in axe_violations(blank_page)] == ["button-name"]

    blank_page.set_content(PAGE.format(token="one", button="<button>Save</button>"))
    assert axe_violations(blank_page) == []


def test_the_same_page_with_another_token_is_not_checked_again(blank_page):
    blank_page.set_content(PAGE.format(token="first-token", button="<button></button><p>Once</p>"))
    first = axe_violations(blank_page)

    # axe-core, if it ran again, would fail: the answer comes from the first check.
    blank_page.set_content(PAGE.format(token="second-token", button="<button></button><p>Once</p>"))
    blank_page.evaluate("window.axe = {run: () => Promise.reject(new Error('axe-core ran again'))}")
    assert axe_violations(blank_page) == first

    blank_page.set_viewport_size({"width": 375, "height": 900})
    with pytest.raises(Exception, match="axe-core ran again"):
        axe_violations(blank_page)
