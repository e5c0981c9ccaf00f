"""Locust users for bench/load.py: staff who log in through the login form, then browse.

bench/load.py starts gunicorn and runs this headless; by hand:

    locust -f bench/locustfile.py --headless -u 50 -r 10 -t 60s --host http://127.0.0.1:8000

Accounts are shared out in turn (BENCH_ACCOUNTS, password BENCH_PASSWORD). Case
and person ids come from the pages each user reads, and BENCH_CASE_ID /
BENCH_PERSON_ID (the generator's landmarks) for the accounts that may open them.
Any answer but the expected one (a redirect after login, a 200 on every page,
never a redirect back to the login page) is a failure. With BENCH_SAMPLES set,
every request's time is written there as JSON when locust quits.
"""

import itertools
import json
import os
import random
import re
import time
from urllib.parse import quote

from locust import HttpUser, between, events, task

ACCOUNTS = os.environ.get("BENCH_ACCOUNTS", "office,deputy,head,chair,head2,office2,trust").split(",")
PASSWORD = os.environ.get("BENCH_PASSWORD", "conduct-demo")
# The generator's landmarks are at All Saints: only its staff and the trust may open them.
LANDMARK_ACCOUNTS = set(os.environ.get("BENCH_LANDMARK_ACCOUNTS", "office,deputy,head,chair,trust").split(","))
CASE_ID = os.environ.get("BENCH_CASE_ID", "")
PERSON_ID = os.environ.get("BENCH_PERSON_ID", "")
SEARCH_TERMS = [t for t in os.environ.get("BENCH_SEARCH", "Smith,Brown").split(",") if t]
WAIT_MIN = float(os.environ.get("BENCH_WAIT_MIN", "1"))
WAIT_MAX = float(os.environ.get("BENCH_WAIT_MAX", "3"))
SAMPLES = os.environ.get("BENCH_SAMPLES", "")

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CASE_LINK = re.compile(r'href="/incidents/(\d+)/"')
PERSON_LINK = re.compile(r'href="/people/(\d+)/"')

_accounts = itertools.cycle(ACCOUNTS)
_samples = []


@events.request.add_listener
def _record(request_type, name, response_time, exception, **kwargs):
    error = "" if exception is None else str(exception)[:200]
    _samples.append([name, response_time, exception is None, time.time(), error])


@events.quitting.add_listener
def _write_samples(environment, **kwargs):
    if SAMPLES:
        with open(SAMPLES, "w") as out:
            json.dump(_samples, out)


class Staff(HttpUser):
    wait_time = between(WAIT_MIN, WAIT_MAX)

    def on_start(self):
        self.username = next(_accounts)
        self.cases = [CASE_ID] if CASE_ID and self.username in LANDMARK_ACCOUNTS else []
        self.people = [PERSON_ID] if PERSON_ID and self.username in LANDMARK_ACCOUNTS else []
        self.logged_in = self.log_in()

    def log_in(self) -> bool:
        with self.client.get("/accounts/login/", name="login form", catch_response=True) as response:
            token = CSRF.search(response.text) if response.status_code == 200 else None
            if token is None:
                response.failure(f"login form: HTTP {response.status_code}, no CSRF token")
                return False
        data = {"csrfmiddlewaretoken": token.group(1), "username": self.username, "password": PASSWORD}
        with self.client.post("/accounts/login/", data=data, name="login", allow_redirects=False,
                              headers={"Referer": f"{self.host}/accounts/login/"}, catch_response=True) as response:
            if response.status_code != 302 or "/accounts/login/" in response.headers.get("Location", ""):
                response.failure(f"login as {self.username}: HTTP {response.status_code}")
                return False
        return True

    def page(self, path, name):
        """GET a page; a 200 is the only success (a redirect means the session was lost)."""
        if not self.logged_in:
            return None
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                # HTTP 0 is no answer at all: say why (a refused or dropped connection, a timeout).
                cause = f" ({str(response.error)[:120]})" if response.status_code == 0 and response.error else ""
                response.failure(f"{path} as {self.username}: HTTP {response.status_code}{cause}")
                return None
            return response.text

    def learn(self, text):
        if text:
            self.cases = (self.cases + CASE_LINK.findall(text))[-40:]
            self.people = (self.people + PERSON_LINK.findall(text))[-40:]

    @task(3)
    def home(self):
        self.learn(self.page("/", "home"))

    @task(3)
    def incident_list(self):
        self.learn(self.page("/incidents/", "incident list"))

    @task(1)
    def incident_list_later_page(self):
        self.learn(self.page(f"/incidents/?page={random.randint(2, 200)}", "incident list ?page=N"))  # nosec B311

    @task(1)
    def incident_list_filtered(self):
        stage = random.choice(["reported", "gathering", "conversation", "proposed", "decided", "closed"])  # nosec B311
        self.learn(self.page(f"/incidents/?stage={stage}", "incident list ?stage="))

    @task(2)
    def incident_search(self):
        term = random.choice(SEARCH_TERMS)  # nosec B311
        self.learn(self.page(f"/incidents/?q={quote(term)}", "incident list ?q="))

    @task(3)
    def case_page(self):
        if self.cases:
            self.learn(self.page(f"/incidents/{random.choice(self.cases)}/", "case page"))  # nosec B311

    @task(2)
    def person_page(self):
        if self.people:
            self.learn(self.page(f"/people/{random.choice(self.people)}/", "person page"))  # nosec B311

    @task(1)
    def people_list(self):
        self.learn(self.page("/people/", "people list"))

    @task(1)
    def people_search(self):
        self.learn(self.page(f"/people/?q={quote(random.choice(SEARCH_TERMS))}", "people list ?q="))  # nosec B311

    @task(1)
    def ban_register(self):
        self.page("/bans/register/", "ban register")
