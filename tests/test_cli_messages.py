"""Messages that finish the thought (issue 20): template hints left in the text, near-miss
headings, dates and addresses written the usual way, tabs, file names without ``.md``,
German help and errors of the command line, hooks and README commands that work in a
fresh shell."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from praxisatlas import cli
from praxisatlas.cases import hints
from praxisatlas.cases.schema import BODY_SECTION_HINTS, PLACEHOLDER_HINT
from tests.test_validate import BODY, check, text

ROOT = Path(__file__).resolve().parent.parent
VALID = ROOT / "tests" / "fixtures" / "valid" / "online-termine-fiktiv.md"


# --- 7. hints of `praxisatlas new` left in the text -----------------------------------------


def test_leftover_template_hint_is_an_error() -> None:
    hint = f"{PLACEHOLDER_HINT} {BODY_SECTION_HINTS['Lösung']}_"
    body = BODY.replace("## Lösung\n\nText.", f"## Lösung\n\n{hint}")
    case, problems = check(text(body=body))
    assert case is None
    [problem] = problems
    line = text(body=body).split("\n").index(hint) + 1
    assert problem.startswith(f"{line}: body: Hier steht noch ein Hinweis aus der Vorlage")


def test_new_writes_hints_that_validate_refuses(tmp_path: Path) -> None:
    """What `praxisatlas new` leaves for the contributor does not pass until replaced."""
    assert PLACEHOLDER_HINT in "".join(
        f"{PLACEHOLDER_HINT} {h}_" for h in BODY_SECTION_HINTS.values()
    )
    body = "".join(
        f"## {section}\n\n{PLACEHOLDER_HINT} {hint}_\n\n"
        for section, hint in BODY_SECTION_HINTS.items()
    )
    _, problems = check(text(body=body))
    assert len([p for p in problems if "Hinweis aus der Vorlage" in p]) == 4


# --- 8. messages that say what was meant -------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("## Loesung", "## Lösung"),
        ("### Ergebnisse", "## Ergebnisse"),
        ("## Erfahrung", "## Erfahrungen"),
        ("## ausgangslage", "## Ausgangslage"),
    ],
)
def test_near_miss_heading_is_named_at_its_line(written: str, meant: str) -> None:
    body = BODY.replace(meant, written)
    source = text(body=body)
    _, problems = check(source)
    line = source.split("\n").index(written) + 1
    assert problems == [
        f"{line}: body: Die Überschrift '{written}' wird nicht als Abschnitt erkannt: "
        f"bitte genau '{meant}' schreiben"
    ]


def test_unrelated_heading_still_reports_the_missing_section() -> None:
    _, problems = check(text(body=BODY.replace("## Lösung", "## Kosten")))
    assert any("Abschnitt fehlt: ## Lösung" in p for p in problems)


@pytest.mark.parametrize(
    ("value", "meant"),
    [
        ("März 2021", "2021-03"),
        ("Maerz 2021", "2021-03"),
        ("Sept. 2020", "2020-09"),
        ("03/2021", "2021-03"),
        ("3.2021", "2021-03"),
        ("2021/3", "2021-03"),
    ],
)
def test_start_written_the_usual_way_gets_the_iso_form(value: str, meant: str) -> None:
    _, problems = check(text(start=f'start: "{value}"'))
    [problem] = problems
    assert problem.endswith(f'gemeint ist wohl "{meant}" (in Anführungszeichen)'), problem


def test_no_suggestion_without_a_likely_meaning() -> None:
    assert hints.partial_date("Frühjahr 2021") == ""
    assert hints.partial_date("13/2021") == ""
    assert hints.partial_date("15.03.2021", allow_day=True) == "2021-03-15"
    assert hints.url_hint("kein Link") == "" and hints.url_hint("ftp://x.de") == ""


def test_url_without_scheme_is_suggested_with_https() -> None:
    sources = "sources:\n  - title: Quelle\n    url: www.kreis-beispiel.de/digital"
    _, problems = check(text(sources=sources))
    [problem] = problems
    assert problem.endswith("gemeint ist wohl 'https://www.kreis-beispiel.de/digital'")
    assert hints.url_hint("kreis-beispiel.de") == "; gemeint ist wohl 'https://kreis-beispiel.de'"


def test_tab_in_the_header_names_line_and_column_in_german_only() -> None:
    source = text(add="effort:\n\tcost: bis-50000")
    _, problems = check(source)
    line = source.split("\n").index("\tcost: bis-50000") + 1
    assert problems == [
        f"{line}: datei: YAML-Syntaxfehler: Tabulator in Zeile {line}, Spalte 1; YAML "
        "erlaubt zum Einrücken nur Leerzeichen – bitte den Tabulator durch Leerzeichen "
        "ersetzen"
    ]
    indented = text(add="effort:\n  cost: bis-50000\n  \tstaff: '1-3'")
    _, problems = check(indented)
    assert len(problems) == 1 and "Spalte 3" in problems[0]
    assert not re.search(r"[a-z]+ [a-z]+ character", problems[0])  # no English left


def test_validate_finds_the_file_without_md(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "cases").mkdir()
    shutil.copy(VALID, tmp_path / "cases" / VALID.name)
    monkeypatch.chdir(tmp_path)
    for given in ("cases/online-termine-fiktiv", "online-termine-fiktiv"):
        assert cli.main(["validate", given]) == 0
        assert capsys.readouterr().out.strip() == "1 Fall geprüft, keine Probleme"
    assert cli.main(["validate", "cases/gibt-es-nicht"]) == 1
    out = capsys.readouterr().out
    assert "cases/gibt-es-nicht:1: datei: Die Datei oder der Ordner existiert nicht" in out


# --- 10. German help and argparse errors ------------------------------------------------------

ENGLISH = re.compile(
    r"usage:|options:|positional arguments|show this help|error:|invalid choice|"
    r"the following arguments|unrecognized arguments|expected one argument|"
    r"program's version"
)


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        code = cli.main(args)
    except SystemExit as exit:
        code = int(exit.code or 0)
    out, err = capsys.readouterr()
    return code, out + err


@pytest.mark.parametrize("command", ["", "validate", "new", "report", "import-issue", "issue-form"])
def test_help_is_german(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = _run([*([command] if command else []), "--help"], capsys)
    assert code == 0
    assert output.startswith("Aufruf: praxisatlas")
    assert "Optionen:" in output and "diese Hilfe anzeigen und beenden" in output
    assert not ENGLISH.search(output), output


@pytest.mark.parametrize(
    ("args", "german"),
    [
        (["gibts-nicht"], "praxisatlas: Fehler: Argument BEFEHL: ungültige Auswahl: 'gibts-nicht'"),
        (["validate", "--format", "pdf"], "Argument --format: ungültige Auswahl: 'pdf' (möglich:"),
        (["validate", "--unbekannt"], "praxisatlas: Fehler: Unbekannte Argumente: --unbekannt"),
        (["validate", "--today"], "Argument --today: ein Wert erwartet"),
        (["validate", "--today", "morgen"], "kein Datum JJJJ-MM-TT: 'morgen'"),
        (["validate", "--cases-dir"], "Argument --cases-dir: ein Wert erwartet"),
    ],
)
def test_every_argparse_error_is_german(
    args: list[str], german: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, output = _run(args, capsys)
    assert code == 2
    assert german in output, output
    assert not ENGLISH.search(output), output


def test_argparse_is_restored_after_the_command() -> None:
    import argparse

    cli.build_parser()
    assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]


# --- 11. pre-commit without an activated venv ----------------------------------------------


def test_precommit_hooks_run_without_an_activated_venv() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    for hook in hooks:
        assert hook["language"] == "script" and hook["entry"].startswith("scripts/hook "), hook
    # A Git panel's environment: no venv on PATH, not even python3's bin of this venv.
    env = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root")}
    for hook in hooks:
        command = hook["entry"].split()
        tool = command[1]
        result = subprocess.run(
            [str(ROOT / command[0]), tool, "--version"],
            capture_output=True,
            text=True,
            env=env,
            cwd="/",
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert tool in result.stdout.lower() or result.stdout.strip(), result


def test_hook_says_in_german_what_to_do_without_the_tool(tmp_path: Path) -> None:
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    shutil.copy(ROOT / "scripts" / "hook", scripts / "hook")
    result = subprocess.run(
        [str(scripts / "hook"), "praxisatlas", "validate"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 1
    assert "'praxisatlas' nicht gefunden" in result.stderr and "./scripts/test" in result.stderr


def test_precommit_file_patterns_name_files_that_exist() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    pattern = re.compile(hooks["praxisatlas-issue-form"]["files"])
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    matched = {path for path in tracked if pattern.match(path)}
    assert {
        "mkdocs.yml",
        "plugins/praxisatlas/data/topics.yml",
        "plugins/praxisatlas/cases/schema.py",
        "plugins/praxisatlas/contribute/issue_form.py",
    } <= matched


# --- 12. README commands in a fresh shell -------------------------------------------------------


def _shell_commands(markdown: str) -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", markdown, flags=re.S)
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    return [line.split("#")[0].strip() for line in lines if line and not line.startswith("#")]


def test_readme_commands_work_in_a_fresh_shell() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = _shell_commands(readme)
    assert commands
    for command in commands:
        words = [w for w in command.split() if "=" not in w.split("/")[0]]
        program = words[0]
        if program in ("git",):
            continue
        assert program.startswith(("./", ".venv/bin/")), command
        assert (ROOT / program).exists(), command
    assert "PRAXISATLAS_ADDR" in readme
    assert "PRAXISATLAS_ADDR" in (ROOT / "scripts" / "serve").read_text(encoding="utf-8")
