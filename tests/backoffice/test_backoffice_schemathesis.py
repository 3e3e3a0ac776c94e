"""Schemathesis over the back office's own OpenAPI document, from outside, with each role's
credentials, on SQLite and on PostgreSQL: no request the schema allows may answer 5xx.

The back office runs as it does in production (`madoguchi backoffice serve`: uvicorn, its
own process); schemathesis runs as its command line against it, with the coverage phase
(boundary and near-boundary values of every parameter and body field, every undeclared
method), the fuzzing phase and the stateful phase (chains of calls through links it infers
from the responses), and only the `not_a_server_error` check. The office holds a few real
applications first, so that staff, core and stateful calls reach real records.

The role runs share one office, in the order kiosk, core, staff, admin: an admin may revoke
terminals and disable users, so it comes last. The staff and admin runs leave out
`POST /auth/logout`, which would end the very session they test with (the kiosk and core
runs call it). Budget: `MAX_EXAMPLES` keeps the whole file near 2-3 minutes on 2 cores.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from backoffice_factory import PASSWORD, sealed_record

from backoffice.context import open_context
from backoffice.devserver import serve_subprocess
from backoffice.services import accounts
from backoffice.settings import BackofficeSettings
from sync.protocol.vocabulary import Role
from tests.support.postgres import fresh_database

API = "/api/v1"
ROLES = ("kiosk", "core", "staff", "admin")  # admin last: it may revoke the others
MAX_EXAMPLES = 25  # per operation and phase; the coverage phase does not depend on it
PHASES = ("coverage", "fuzzing", "stateful")
SEED = 20261231
SEEDED_APPLICATIONS = 4


@dataclass
class ServedOffice:
    url: str
    tokens: dict[str, str]
    kind: str


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp(f"schemathesis-{request.param}")
    db_url = None
    if request.param == "postgres":
        server = request.getfixturevalue("postgres_url")
        db_url = fresh_database(server, f"st_{uuid.uuid4().hex[:12]}")
    settings = BackofficeSettings(data_dir=root / "office", db_url=db_url)
    context = open_context(settings)  # migrates, seeds the templates, makes the key pair
    public_key = context.private_key.public_key()
    try:
        with context.sessions() as session, session.begin():
            tokens = {
                "kiosk": accounts.add_terminal(session, "kiosk-st", Role.KIOSK),
                "core": accounts.add_terminal(session, "core-st", Role.CORE),
            }
            accounts.add_user(session, "staff-st", Role.STAFF, PASSWORD)
            accounts.add_user(session, "admin-st", Role.ADMIN, PASSWORD)
    finally:
        context.close()
    with serve_subprocess(
        data_dir=settings.data_dir, db_url=db_url, log_path=root / "office.log"
    ) as url:
        for role, user in (("staff", "staff-st"), ("admin", "admin-st")):
            login = httpx.post(
                f"{url}{API}/auth/login", json={"username": user, "password": PASSWORD}
            )
            tokens[role] = login.json()["token"]
        seeded = httpx.post(
            f"{url}{API}/ingest",
            json={"records": [sealed_record(public_key) for _ in range(SEEDED_APPLICATIONS)]},
            headers={"Authorization": f"Bearer {tokens['kiosk']}"},
            timeout=30,
        )
        assert [r["status"] for r in seeded.json()["results"]] == ["accepted"] * 4
        yield ServedOffice(url, tokens, request.param)
    log = (root / "office.log").read_text(errors="replace")
    assert "Traceback" not in log


@dataclass
class Run:
    returncode: int
    phases: dict[str, str]  # phase -> success / failure / skip …
    cases: Counter[str]  # test cases run per phase
    failures: list[dict]
    seconds: float
    output: str


def run_schemathesis(office: ServedOffice, role: str, reports: Path) -> Run:
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{office.url}{API}/openapi.json",
        "--header",
        f"Authorization: Bearer {office.tokens[role]}",
        "--checks",
        "not_a_server_error",
        "--phases",
        ",".join(PHASES),
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        str(SEED),
        "--generation-database",
        "none",
        "--request-timeout",
        "30",
        "--report",
        "json,ndjson",
        "--report-dir",
        str(reports),
        "--no-color",
    ]
    if role in ("staff", "admin"):
        command += ["--exclude-path", f"{API}/auth/logout"]
    result = subprocess.run(
        command, cwd=reports.parent, capture_output=True, text=True, timeout=600
    )
    [summary_file] = reports.glob("json-*.json")
    summary = json.loads(summary_file.read_text())
    cases: Counter[str] = Counter()
    [events_file] = reports.glob("ndjson-*.ndjson")
    for line in events_file.read_text().splitlines():
        event = json.loads(line)
        finished = event.get("ScenarioFinished")
        if finished is not None:
            cases[finished["phase"]] += len(finished["recorder"].get("cases", {}))
    return Run(
        returncode=result.returncode,
        phases={name: p["status"] for name, p in summary["phases"].items()},
        cases=cases,
        failures=summary["failures"],
        seconds=summary["running_time"],
        output=result.stdout[-8000:] + result.stderr[-2000:],
    )


@pytest.mark.parametrize("role", ROLES)
def test_no_server_error_for_any_request_the_schema_allows(
    served: ServedOffice, role: str, tmp_path: Path
) -> None:
    run = run_schemathesis(served, role, tmp_path / "reports")
    print(  # the figures for the record (pytest -s)
        f"schemathesis {served.kind} {role}: "
        + ", ".join(f"{p} {run.cases[p]} cases ({run.phases.get(p)})" for p in PHASES)
        + f"; {len(run.failures)} failure(s); {run.seconds:.1f} s"
    )
    assert run.failures == [], run.output
    assert run.returncode == 0, run.output
    for phase in PHASES:  # each phase ran (not skipped) and passed
        assert run.phases[phase] == "success", (phase, run.output)
        assert run.cases[phase] > 0, phase
    assert run.cases["coverage"] > 500  # every operation's boundaries, not a token effort
