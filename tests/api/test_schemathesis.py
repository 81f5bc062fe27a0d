"""schemathesis against the whole API, as an admin and as a rep.

The app runs in pytest-django's live server over the personas world; the
`st` command (schemathesis' own runner, the one a developer uses by hand)
reads /api/v1/openapi.json and sends:

- coverage (the admin's run): for every operation, boundary and invalid values
  of each parameter and body field, wrong types, missing fields;
- fuzzing: random valid and invalid requests, `EXAMPLES` per operation;
- stateful: sequences that create a record, then read, change and delete it,
  following the links schemathesis infers from the document.

Every answer must not be a server error and must match the status codes,
content type and schema the document declares. The rep's run leaves out the
coverage phase: its cases test input validation, which is the same for every
caller, and it is the longest phase (the admin's run takes most of the time).
`RUMBO_SCHEMATHESIS_EXAMPLES` raises the number of examples for a deeper run;
`RUMBO_SCHEMATHESIS_SEED` explores other cases (CI keeps one seed, so a
failure there replays); `RUMBO_SCHEMATHESIS_LOG=<file>` keeps schemathesis'
whole output."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from rumbo.tenancy.services import api_token_create
from tests.personas import build_world

EXAMPLES = int(os.environ.get("RUMBO_SCHEMATHESIS_EXAMPLES", "10"))
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
]
PHASES = {"alice": os.environ.get("RUMBO_SCHEMATHESIS_PHASES", "coverage,fuzzing,stateful"),
          "rita": os.environ.get("RUMBO_SCHEMATHESIS_PHASES", "fuzzing,stateful")}
CONFIG = f"""
[generation]
max-examples = {EXAMPLES}
# Every request carries the persona's token (--header); without this, schemathesis
# also generates the documented credentials (a random bearer or session cookie),
# and a good part of the run only meets 401.
with-security-parameters = false

[phases.stateful.generation]
max-examples = {EXAMPLES * 4}
# Valid data, so that creates succeed and their links (get, change, delete) are followed.
mode = "positive"
"""


def _st(url: str, token: str, phases: str, folder: Path) -> subprocess.CompletedProcess[str]:
    config = folder / "schemathesis.toml"
    config.write_text(CONFIG)
    command = [
        str(Path(sys.executable).with_name("st")), "--config-file", str(config),
        "run", f"{url}/api/v1/openapi.json",
        "--header", f"Authorization: Bearer {token}",
        "--checks", ",".join(CHECKS),
        "--phases", phases,
        "--seed", os.environ.get("RUMBO_SCHEMATHESIS_SEED", "14"),
        "--workers", "1",
        "--request-timeout", "30",
        "--suppress-health-check", "all",
        *(["--report", "ndjson", "--report-ndjson-path", os.environ["RUMBO_SCHEMATHESIS_EVENTS"]]
          if os.environ.get("RUMBO_SCHEMATHESIS_EVENTS") else []),
    ]  # fmt: skip
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    # cwd: schemathesis keeps a cache folder there, not in the repository.
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False,
                          cwd=folder)  # fmt: skip


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("persona", ["alice", "rita"])
def test_api_answers_every_generated_request_by_its_schema(
    persona: str, live_server, tmp_path, capsys, settings
) -> None:  # type: ignore[no-untyped-def]
    # The throttle (tests/web/test_throttle.py) would answer most of the run 429.
    settings.API_READ_RATE = settings.API_WRITE_RATE = ""
    world = build_world()
    _token, raw = api_token_create(member=world.members[persona], name="schemathesis")
    run = _st(live_server.url, raw, PHASES[persona], tmp_path)
    if os.environ.get("RUMBO_SCHEMATHESIS_LOG"):
        Path(f"{os.environ['RUMBO_SCHEMATHESIS_LOG']}.{persona}").write_text(run.stdout)
    cases = re.search(r"Test cases:\s*\n\s*(.+)", run.stdout)
    with capsys.disabled():  # the count shows in CI's log with or without -s
        print(f"\nschemathesis as {persona} ({PHASES[persona]}, {EXAMPLES} examples): "
              f"{cases.group(1).strip() if cases else 'no summary'}")  # fmt: skip
    assert cases, run.stdout[-5000:] + run.stderr[-5000:]
    assert run.returncode == 0, run.stdout[-30000:]
