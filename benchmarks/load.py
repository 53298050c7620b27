"""The load test: fillers editing and saving, reviewers approving, API clients listing and
searching, against ``jixiao serve`` on a province-size PostgreSQL (``benchmarks.province``).

Run by ``benchmarks/load.sh`` (which starts the servers); alone::

    JIXIAO_HOSTS=http://127.0.0.1:8001,http://127.0.0.1:8002 .venv/bin/locust \\
        -f benchmarks/load.py --headless -u 50 -r 10 -t 5m --csv /tmp/load

``JIXIAO_HOSTS`` lists the app servers: each simulated user talks to one of them, in turn
(several app servers share nothing but PostgreSQL).  ``GET /healthz`` (a constant answer,
no database) is requested beside the real pages: the floor, measured in the same run.
"""

from __future__ import annotations

import itertools
import os
import random
import threading
from typing import Any

from locust import FastHttpUser, between, task

from benchmarks.province import FILLERS, PASSWORD

HOSTS = os.environ.get("JIXIAO_HOSTS", "http://127.0.0.1:8000").split(",")
YEAR = int(os.environ.get("JIXIAO_LOAD_YEAR", "2025"))
# Seconds each simulated person waits between two requests: "1-3" as people work; "0" to
# find the servers' capacity (each user sends its next request as soon as it has an answer).
WAIT = [float(x) for x in os.environ.get("JIXIAO_LOAD_WAIT", "1-3").split("-")]
_turn = itertools.count()
_ready = itertools.count(1)
_lock = threading.Lock()


def _next() -> int:
    with _lock:
        return next(_turn)


def _started(environment: Any) -> None:
    """One more user has logged in and fetched its lists.  Once every user has, the statistics
    start again from zero: the times reported are of people working, not of 50 logins at once
    (Argon2, deliberately slow) — the start-up's own times are printed first, to the log."""
    with _lock:
        everyone = next(_ready) == environment.runner.target_user_count
    if everyone:
        total = environment.stats.total
        login = environment.stats.get("/login/", "POST")
        print(
            f"start-up: {total.num_requests} requests, {total.num_failures} failures; "
            f"POST /login/ p50 {login.get_response_time_percentile(0.5):.0f} ms, "
            f"p95 {login.get_response_time_percentile(0.95):.0f} ms",
            flush=True,
        )
        environment.stats.reset_all()


def _message(answer: Any) -> str:
    try:
        return str(answer.json()["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return ""


class Person(FastHttpUser):
    abstract = True
    host = HOSTS[0]  # each user then takes its own server from HOSTS (on_start)
    wait_time = between(WAIT[0], WAIT[-1])
    account = ""

    def on_start(self) -> None:
        turn = _next()
        self.client.base_url = HOSTS[turn % len(HOSTS)]
        self.login(self.account_name(turn))
        self.prepare()
        _started(self.environment)

    def prepare(self) -> None:
        """What the person fetches once, before working."""

    def account_name(self, turn: int) -> str:
        raise NotImplementedError

    def cookie(self, name: str) -> str:
        return next((c.value or "" for c in self.client.cookiejar if c.name == name), "")

    def login(self, username: str) -> None:
        self.client.get("/login/", name="/login/")
        token = self.cookie("csrftoken")
        answer = self.client.post(
            "/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="/login/",
            allow_redirects=False,
        )
        assert answer.status_code == 302, f"{username} could not log in: {answer.status_code}"

    def headers(self) -> dict[str, str]:
        return {"X-CSRFToken": self.cookie("csrftoken")}

    def ids(self, **query: Any) -> list[int]:
        params = {"year": YEAR, "limit": 100, **query}
        answer = self.client.get(
            "/api/projects", params={k: v for k, v in params.items() if v}, name="/api/projects"
        )
        return [item["id"] for item in answer.json()["items"]]

    @task(1)
    def floor(self) -> None:
        self.client.get("/healthz", name="floor: /healthz")


class Filler(Person):
    """A unit's filler: the list, a project, the editor, a save through the API."""

    weight = 5

    def account_name(self, turn: int) -> str:
        return f"filler-{turn % FILLERS}"

    def prepare(self) -> None:
        self.mine = self.ids() or [0]
        self.drafts = self.ids(status="draft") or self.ids(status="returned")
        # the self-evaluations of past years the bulk load gave the unit
        listed = self.client.get("/api/evaluations", params={"limit": 50}, name="/api/evaluations")
        self.evaluated = [e["project"] for e in listed.json()["items"]]

    @task(3)
    def project_list(self) -> None:
        self.client.get(f"/projects/?year={YEAR}", name="/projects/ (filler)")

    @task(3)
    def project_page(self) -> None:
        self.client.get(f"/projects/{random.choice(self.mine)}/", name="/projects/{id}/")

    @task(1)
    def editor(self) -> None:
        if self.drafts:
            self.client.get(f"/projects/{random.choice(self.drafts)}/edit/", name="/edit/")

    @task(1)
    def self_evaluation(self) -> None:
        if self.evaluated:
            project = random.choice(self.evaluated)
            self.client.get(f"/projects/{project}/evaluation/", name="/projects/{id}/evaluation/")

    @task(2)
    def save(self) -> None:
        if not self.drafts:
            return
        project = random.choice(self.drafts)
        detail = self.client.get(f"/api/projects/{project}", name="/api/projects/{id}").json()
        goals = detail["data"].get("goals") or {}
        goals["annual"] = (
            f"{(goals.get('annual') or '')[:200].rstrip('。')}。（{random.randint(1, 99)}）"
        )
        detail["data"]["goals"] = goals
        self.client.put(
            f"/api/projects/{project}",
            json={"version": detail["version"], "data": detail["data"], "note": "负载测试"},
            headers=self.headers(),
            name="PUT /api/projects/{id} (save)",
        )


class Reviewer(Person):
    """A reviewer of a department's units: the queue, a project, approving, the dashboard."""

    weight = 3

    def account_name(self, turn: int) -> str:
        return f"reviewer-{turn % 10}"

    def prepare(self) -> None:
        self.waiting = self.ids(status="submitted", year=None)  # waiting from any year
        self.seen = self.ids() or [0]
        rounds = self.client.get("/api/monitoring/rounds", name="/api/monitoring/rounds").json()
        self.rounds = [r["id"] for r in rounds if r["year"] == YEAR]

    @task(2)
    def queue(self) -> None:
        self.client.get("/queue/", name="/queue/")

    @task(3)
    def project_page(self) -> None:
        self.client.get(f"/projects/{random.choice(self.seen)}/", name="/projects/{id}/")

    @task(1)
    def approve(self) -> None:
        if not self.waiting:
            self.waiting = self.ids(status="submitted", year=None)
            if not self.waiting:
                return
        project = self.waiting.pop(random.randrange(len(self.waiting)))
        with self.client.post(
            f"/api/projects/{project}/approve",
            json={},
            headers=self.headers(),
            name="POST /api/projects/{id}/approve",
            catch_response=True,
        ) as answer:
            # Two people of one department may approve the same project at once: the second
            # is told it is no longer waiting — the right answer, not an error.
            if answer.status_code == 400 and "只能审核已提交的项目" in _message(answer):
                answer.success()

    @task(1)
    def dashboard(self) -> None:
        self.client.get(f"/dashboard/?year={YEAR}", name="/dashboard/")

    @task(1)
    def monitoring_board(self) -> None:
        if self.rounds:
            self.client.get(f"/monitoring/{self.rounds[0]}/", name="/monitoring/{round}/")


class Client(Person):
    """An API client of the bureau (a reviewer's account): pages of the list, and search."""

    weight = 2

    def account_name(self, turn: int) -> str:
        return f"reviewer-{turn % 10}"

    def prepare(self) -> None:
        self.after = 0

    @task(4)
    def page(self) -> None:
        answer = self.client.get(
            "/api/projects",
            params={"year": YEAR, "limit": 100, "after": self.after},
            name="/api/projects (keyset page)",
        )
        self.after = answer.json().get("next") or 0

    @task(1)
    def search(self) -> None:
        word = random.choice(["培训", "满意度", "设备", "采购", "维修", "宣传"])
        self.client.get("/api/search", params={"q": word}, name="/api/search")
