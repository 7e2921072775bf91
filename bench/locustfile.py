"""The load run's people (bench/load.py starts locust with this file): lawyers at their
work, coordinators at the dashboard, calendars polling. Targets come from BENCH_TARGETS."""

from __future__ import annotations

import itertools
import json
import os
import random
import sys
from pathlib import Path

from locust import HttpUser, between, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
from forms import form_fields

PLAN = json.loads(Path(os.environ["BENCH_TARGETS"]).read_text(encoding="utf-8"))
STEPS = itertools.count()  # each fired step gets a proceeding of its own
DASHBOARD = ["/dashboard", "/dashboard/ball", "/dashboard/stuck", "/dashboard/risk"]


class SignedIn(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    email = ""

    def on_start(self) -> None:
        page = self.client.get("/login", name="/login").text
        fields = form_fields(page, "login", PLAN["today"])
        fields.update(email=self.email, password=PLAN["password"])
        self.client.post("/login", data=fields, name="/login")


class Lawyer(SignedIn):
    weight = 6

    def on_start(self) -> None:
        self.email, self.cases = random.choice(PLAN["lawyers"])
        super().on_start()

    @task(4)
    def my_work(self) -> None:
        self.client.get("/my-work", name="/my-work")

    @task(4)
    def case_page(self) -> None:
        self.client.get(f"/cases/{random.choice(self.cases)}", name="/cases/<id>")

    @task(2)
    def cases_list(self) -> None:
        self.client.get("/cases", name="/cases")

    @task(1)
    def search(self) -> None:
        self.client.get(f"/cases?q={random.choice(PLAN['surnames'])}", name="/cases?q=")


class Coordinator(SignedIn):
    weight = 2
    email = PLAN["coordinator"]  # coordinators act on every case: they fire the steps

    @task(3)
    def dashboard(self) -> None:
        self.client.get(random.choice(DASHBOARD), name="/dashboard*")

    @task(1)
    def filtered(self) -> None:
        self.client.get("/cases?jurisdiction=KZ&overdue=1", name="/cases?filters")

    @task(2)
    def fire_step(self) -> None:
        case, proceeding, trigger = PLAN["steps"][next(STEPS) % len(PLAN["steps"])]
        path = f"/cases/{case}/proceedings/{proceeding}/steps/{trigger}"
        page = self.client.get(path, name="step form").text
        fields = form_fields(page, "/steps/", PLAN["today"])
        fields.setdefault("late_confirmed", PLAN["today"])
        with self.client.post(path, data=fields, name="step", catch_response=True) as r:
            # Another coordinator fired this proceeding first: a refusal, not a server error.
            if r.status_code in (400, 409):
                r.success()


class Calendar(HttpUser):
    """A calendar application polling a feed, with the ETag of its last answer."""

    weight = 2
    wait_time = between(2, 5)

    def on_start(self) -> None:
        self.path = f"/calendars/{random.choice(PLAN['feeds'])}.ics"
        self.etag = ""

    @task
    def poll(self) -> None:
        headers = {"If-None-Match": self.etag} if self.etag else {}
        name = "feed (conditional)" if self.etag else "feed (full)"
        with self.client.get(self.path, headers=headers, name=name, catch_response=True) as r:
            if r.status_code in (200, 304):
                r.success()
            self.etag = r.headers.get("ETag", "") if random.random() < 0.8 else ""
