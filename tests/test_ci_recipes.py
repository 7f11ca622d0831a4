"""The CI recipes run the README's commands on the right triggers; `check` speaks each
forge's annotation format."""

from __future__ import annotations

import json

import yaml

from bulletin.cli import main
from conftest import REPO
from test_build import PERSON, UNITS

WATCHED = ("data/", "content/", "overrides/", "bulletin/")


def _commands(job: dict) -> str:
    return "\n".join(str(step.get("run", "")) for step in job.get("steps", [])) if "steps" in job else "\n".join(job.get("script", []))


def test_github_workflow_checks_builds_previews_and_deploys():
    workflow = yaml.safe_load((REPO / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key "on" as true
    assert all(any(p.startswith(w) for p in triggers["push"]["paths"]) for w in WATCHED)
    assert triggers["pull_request"]["paths"] == triggers["push"]["paths"]
    assert triggers["schedule"][0]["cron"]
    build = workflow["jobs"]["build"]
    commands = _commands(build)
    assert 'make check CHECK_ARGS="--format github"' in commands and "make site" in commands
    assert any("cache" in (step.get("with") or {}) for step in build["steps"])
    preview_env = next(step["env"] for step in build["steps"] if step.get("run") == "make site")
    assert "pull_request" in preview_env["BULLETIN_PREVIEW"] and "SITE_URL" in preview_env
    assert workflow["jobs"]["deploy"]["needs"] == "build"


def test_gitlab_pipeline_checks_builds_previews_and_publishes_pages():
    pipeline = yaml.safe_load((REPO / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert 'make check CHECK_ARGS="--format gitlab"' in _commands(pipeline["check"])
    assert pipeline["check"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert "make site" in _commands(pipeline["pages"]) and pipeline["pages"]["artifacts"]["paths"] == ["public"]
    assert pipeline["preview"]["variables"]["BULLETIN_PREVIEW"] == "1"
    rules = pipeline["check"]["rules"]
    assert any("schedule" in r.get("if", "") for r in rules)
    assert any(any(c.startswith("data/") for c in r.get("changes", [])) for r in rules)


def test_readme_commands_are_the_makefile_targets_the_recipes_use():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for target in ("site", "check", "test", "serve"):
        assert f"\n{target}:" in makefile
    assert "make serve" in readme and "make test" in readme and "make check" in readme


def _broken_project(tmp_path):
    (tmp_path / "data/people").mkdir(parents=True)
    for path, text in UNITS.items():
        (tmp_path / "data" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "data" / path).write_text(text, encoding="utf-8")
    (tmp_path / "data/people/a.yml").write_text(PERSON.replace("year: 2024", "year: 2O24"), encoding="utf-8")
    return tmp_path


def test_check_writes_github_annotations(tmp_path, capsys):
    assert main(["check", str(_broken_project(tmp_path)), "--format", "github"]) == 1
    out = capsys.readouterr().out
    assert "::error file=data/people/a.yml,line=7,title=honours[0].year::cần một năm từ 1930 đến 2100" in out


def test_check_writes_a_gitlab_code_quality_report(tmp_path, capsys):
    assert main(["check", str(_broken_project(tmp_path)), "--format", "gitlab"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report[0]["location"] == {"path": "data/people/a.yml", "lines": {"begin": 7}}
    assert report[0]["description"].startswith("honours[0].year: cần một năm")
