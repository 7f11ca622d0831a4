"""The CI recipes run the README's commands (Makefile targets) on the right triggers; `check`
speaks each forge's annotation format, through the very command line the recipes use."""

from __future__ import annotations

import contextlib
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO, write_project
from test_build import PERSON, STORY, UNITS

from bulletin.cli import main

WATCHED = ("data/", "content/", "overrides/", "bulletin/", "tests/", "mkdocs.yml", "build_hooks.py", "requirements.txt")
GITHUB = REPO / ".github/workflows/site.yml"
GITLAB = REPO / ".gitlab-ci.yml"


def _github() -> dict:
    return yaml.safe_load(GITHUB.read_text(encoding="utf-8"))


def _gitlab() -> dict:
    return yaml.safe_load(GITLAB.read_text(encoding="utf-8"))


def _steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def _commands(job: dict) -> list[str]:
    if "steps" in job:
        return [line for step in job["steps"] for line in str(step.get("run", "")).splitlines() if line.strip()]
    return list(job.get("script", []))


def _make_calls(commands: list[str]) -> list[tuple[str, str]]:
    """(target, rest) of every `make ...` a recipe runs."""
    calls = []
    for command in commands:
        for match in re.finditer(r"(?:^|&&|;)\s*make\s+(\w+)([^;&]*)", command):
            calls.append((match[1], match[2].strip()))
    return calls


def test_every_command_is_a_makefile_target_the_readme_documents():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    jobs = [*_github()["jobs"].values(), *(job for job in _gitlab().values() if isinstance(job, dict) and "script" in job)]
    targets = {target for job in jobs for target, _ in _make_calls(_commands(job))}
    assert targets == {"check", "site", "test"}
    for target in targets:
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target
        assert f"make {target}" in readme, target
    assert "python -m bulletin build" in readme and re.search(r"^site:.*\n\t\$\(PY\) -m bulletin build", makefile, re.MULTILINE)


def test_github_triggers_data_code_pull_requests_and_a_daily_run():
    workflow = _github()
    triggers = workflow[True]  # YAML 1.1 reads the key "on" as true
    for watched in WATCHED:
        assert any(p.startswith(watched) for p in triggers["push"]["paths"]), watched
    assert triggers["pull_request"]["paths"] == triggers["push"]["paths"]
    assert ".github/workflows/site.yml" in triggers["push"]["paths"]
    # the daily run is just after midnight in Vietnam, and the build day is Vietnam's day
    minute, hour, *_ = triggers["schedule"][0]["cron"].split()
    assert (int(hour) + 7) % 24 == 0 and int(minute) < 30  # the build day itself is Vietnam's: test_publishing


def test_github_checks_with_annotations_builds_strictly_and_deploys_to_pages():
    jobs = _github()["jobs"]
    build = jobs["build"]
    setup = next(s for s in _steps(build) if str(s.get("uses", "")).startswith("actions/setup-python"))
    assert setup["with"]["cache"] == "pip" and setup["with"]["cache-dependency-path"] == "requirements.txt"
    commands = _commands(build)
    assert 'make check CHECK_ARGS="--format github"' in commands
    assert commands.index('make check CHECK_ARGS="--format github"') < commands.index("make site")
    published = next(
        s for s in _steps(build) if s.get("run") == "make site" and "pull_request'" in s.get("if", "") and "!=" in s["if"]
    )
    assert "steps.pages.outputs.base_url" in published["env"]["SITE_URL"] and "BULLETIN_PREVIEW" not in published["env"]
    upload = next(s for s in _steps(build) if str(s.get("uses", "")).startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"
    deploy = jobs["deploy"]
    assert set(deploy["needs"]) == {"build", "test"} and "pull_request" in deploy["if"]
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages") and deploy["environment"]["name"] == "github-pages"
    assert _commands(jobs["test"]) == ["make test"] and "schedule" in jobs["test"]["if"]


def test_github_pull_requests_get_a_preview_with_drafts_as_an_artifact():
    steps = _steps(_github()["jobs"]["build"])
    preview = next(s for s in steps if s.get("env", {}).get("BULLETIN_PREVIEW") == "1")
    assert preview["run"] == "make site" and preview["if"] == "github.event_name == 'pull_request'"
    assert "SITE_URL" not in preview["env"]  # no public address: the preview keeps the local one
    artifact = steps[steps.index(preview) + 1]
    assert artifact["uses"].startswith("actions/upload-artifact") and artifact["with"]["path"] == "site"


def test_gitlab_checks_tests_previews_and_publishes_pages():
    pipeline = _gitlab()
    check = pipeline["check"]
    target, args = _make_calls(_commands(check))[0]
    options = shlex.split(shlex.split(args)[0].split("=", 1)[1])
    assert target == "check" and options[:2] == ["--format", "gitlab"]
    assert options[options.index("--output") + 1] == check["artifacts"]["reports"]["codequality"]
    assert check["artifacts"]["when"] == "always"
    rules = check["rules"]
    assert any("schedule" in r.get("if", "") for r in rules) and any("merge_request_event" in r.get("if", "") for r in rules)
    changes = next(r["changes"] for r in rules if "changes" in r)
    for watched in WATCHED:
        assert any(c.startswith(watched) for c in changes), watched
    assert pipeline["preview"]["variables"]["BULLETIN_PREVIEW"] == "1"
    assert [r["if"] for r in pipeline["preview"]["rules"]] == ['$CI_PIPELINE_SOURCE == "merge_request_event"']
    assert "make site" in pipeline["preview"]["script"] and pipeline["preview"]["artifacts"]["paths"] == ["site/"]
    pages = pipeline["pages"]
    assert "make site" in pages["script"] and "rm -rf public && mv site public" in pages["script"]
    assert any("CI_PAGES_URL" in line and "SITE_URL" in line for line in pages["script"])
    assert pages["artifacts"]["paths"] == ["public"] and any("schedule" in r.get("if", "") for r in pages["rules"])
    assert pipeline["test"]["script"] == ["make test"]  # which pipelines run it: gitlab-ci-local, below
    assert pipeline["stages"].index("test") < pipeline["stages"].index("build")  # nothing is published untested
    pip_cache = pipeline["variables"]["PIP_CACHE_DIR"].removeprefix("$CI_PROJECT_DIR/")
    assert any(cache["paths"] == [pip_cache] for cache in pipeline["cache"])


# --- `check` in each forge's format ------------------------------------------------------------
def _broken_project(tmp_path):
    (tmp_path / "data/people").mkdir(parents=True)
    for path, text in UNITS.items():
        (tmp_path / "data" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "data" / path).write_text(text, encoding="utf-8")
    (tmp_path / "data/people/a.yml").write_text(PERSON.replace("year: 2024", "year: 2O24"), encoding="utf-8")
    return tmp_path


def test_check_writes_github_annotations(tmp_path, capsys):
    assert main(["check", str(_broken_project(tmp_path)), "--format", "github"]) == 1
    captured = capsys.readouterr()
    assert "::error file=data/people/a.yml,line=7,title=honours[0].year::cần một năm từ 1930 đến 2100" in captured.out
    assert "data/people/a.yml:7: honours[0].year: cần một năm" in captured.err  # and in the log


def test_annotations_escape_what_would_end_them_early():
    from bulletin.cli import _escape

    assert _escape("a\nb%c") == "a%0Ab%25c" and _escape("x:y,z", True) == "x%3Ay%2Cz"


def test_check_writes_a_gitlab_code_quality_report(tmp_path, capsys):
    assert main(["check", str(_broken_project(tmp_path)), "--format", "gitlab"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report[0]["location"] == {"path": "data/people/a.yml", "lines": {"begin": 7}}
    assert report[0]["description"].startswith("honours[0].year: cần một năm")


def test_the_gitlab_recipe_command_writes_a_clean_report_through_make(tmp_path):
    """make prints the commands it runs on stdout: the report goes to its own file."""
    project = _broken_project(tmp_path / "project")
    report = tmp_path / "gl-code-quality-report.json"
    args = f"--format gitlab --output {report} {project}"
    # -o: never reinstall the virtual environment from inside a test
    result = subprocess.run(
        ["make", "-C", str(REPO), "-o", ".venv/installed", "check", f"CHECK_ARGS={args}"],
        check=False,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "data/people/a.yml:7: honours[0].year" in result.stderr  # the editor's message in the log
    assert json.loads(report.read_text(encoding="utf-8"))[0]["location"]["path"] == "data/people/a.yml"


def test_a_clean_check_writes_an_empty_report(tmp_path):
    project = _broken_project(tmp_path)
    (project / "data/people/a.yml").write_text(PERSON, encoding="utf-8")
    assert main(["check", str(project), "--format", "gitlab", "--output", str(tmp_path / "r.json")]) == 0
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8")) == []


# --- The recipes checked by the real tools ------------------------------------------------------
TOOLS = Path(sys.executable).parent  # actionlint and zizmor are pinned in requirements.txt


def test_the_github_workflow_passes_actionlint():
    """actionlint checks the workflow's syntax, expressions, action inputs and runtimes, and its
    shell steps with shellcheck (installed here so that it runs)."""
    subprocess.run([str(REPO / "scripts/ensure-debian-packages"), "shellcheck"], check=True)
    result = subprocess.run(
        [str(TOOLS / "actionlint"), "-no-color", "-oneline", str(GITHUB)], cwd=REPO, capture_output=True, text=True
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_the_github_workflow_passes_zizmor():
    """zizmor's security audits (offline: no network here): actions pinned to commits, least
    permissions, no template injection, no credentials left in the checkout."""
    result = subprocess.run(
        [str(TOOLS / "zizmor"), "--offline", "--no-progress", "--format", "json", str(GITHUB)],
        capture_output=True,
        text=True,
    )
    assert json.loads(result.stdout) == [] and result.returncode == 0, result.stdout + result.stderr


def test_the_recipes_keep_the_build_cache_between_runs():
    """A data commit's build restores the previous run's .cache/ (photos, pages); the key starts
    with the requirements' and the code's hash, so new code never reads an old cache."""
    steps = _steps(_github()["jobs"]["build"])
    cache = next(s for s in steps if str(s.get("uses", "")).startswith("actions/cache@") and s["with"]["path"] == ".cache")
    prefix = "site-${{ hashFiles('requirements.txt', 'bulletin/**') }}-"
    assert cache["with"]["key"] == prefix + "${{ github.sha }}" and cache["with"]["restore-keys"] == prefix
    assert steps.index(cache) < next(i for i, s in enumerate(steps) if s.get("run") == "make site")
    gitlab = next(c for c in _gitlab()["cache"] if c["paths"] == [".cache"])
    assert "requirements.txt" in gitlab["key"]["files"] and any(f.startswith("bulletin/") for f in gitlab["key"]["files"])


@pytest.mark.parametrize("site_url", ["", "/"])
def test_a_build_without_a_public_address_does_not_abort(tmp_path, monkeypatch, site_url):
    """A preview, or the GitHub step whose address is skipped, gives SITE_URL "" or "/"."""
    project = write_project(tmp_path / "project", {**UNITS, "people/tran-thi-mai.yml": PERSON, "stories/tra-vi.md": STORY})
    monkeypatch.setenv("SITE_URL", site_url)
    assert main(["build", str(project), "--site-dir", str(tmp_path / "site")]) == 0
    assert "http://127.0.0.1:8000/cau-chuyen/tra-vi/" in (tmp_path / "site/sitemap.xml").read_text(encoding="utf-8")


# --- The GitLab jobs run for real by gitlab-ci-local (shell executor) ---------------------------
PAGES_URL = "https://bantin.example/thi-dua"


@pytest.fixture(scope="module")
def gitlab(tmp_path_factory):
    """A copy of the project as a runner checks it out; `gitlab(*args)` runs gitlab-ci-local there."""
    workdir = tmp_path_factory.mktemp("gitlab") / "project"

    def run(*args: str) -> subprocess.CompletedProcess:
        command = [str(REPO / "scripts/gitlab-ci-local"), str(workdir), *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=1800)

    run.workdir = workdir
    return run


@contextlib.contextmanager
def _a_draft_story(workdir: Path):
    """A shipped story copied as a draft, for as long as the job runs."""
    story = (workdir / "data/stories/chi-hoa-tra-lai-tui-xach.md").read_text(encoding="utf-8")
    draft = workdir / "data/stories/ban-thao.md"
    text = re.sub(r"^draft: .*\n", "", story, flags=re.M)  # the form's layout writes draft: false
    text = re.sub(r"^title: .*$", "draft: true\ntitle: Bản thảo chưa duyệt", text, count=1, flags=re.M)
    draft.write_text(text, encoding="utf-8")
    try:
        yield
    finally:
        draft.unlink()


def _jobs_in(gitlab, *variables: str) -> set[str]:
    result = gitlab("--list-json", *variables)
    listing = json.loads(result.stdout[re.search(r"^\[", result.stdout, re.MULTILINE).start() :])  # after any warning
    return {job["name"] for job in listing if job["when"] != "never"}


MERGE_REQUEST = ("--variable", "CI_PIPELINE_SOURCE=merge_request_event", "--unset-variable", "CI_COMMIT_BRANCH")


def test_gitlab_runs_the_right_jobs_for_each_pipeline(gitlab):
    assert _jobs_in(gitlab) == {"check", "test", "pages"}  # a push to the default branch
    assert _jobs_in(gitlab, *MERGE_REQUEST) == {"check", "test", "preview"}
    # the daily run: nothing untested is published, and the tests are not run again
    assert _jobs_in(gitlab, "--variable", "CI_PIPELINE_SOURCE=schedule") == {"check", "pages"}


def test_gitlab_check_job_writes_a_code_quality_report(gitlab):
    result = gitlab("check")
    assert result.returncode == 0, result.stdout
    report_path = gitlab.workdir / "gl-code-quality-report.json"
    assert json.loads(report_path.read_text(encoding="utf-8")) == []
    person = gitlab.workdir / "data/people/bui-thi-lan.md"
    good = person.read_text(encoding="utf-8")
    broken = good.replace("---\n", "---\nunknown_field: 1\n", 1).replace("- year: 2026", "- year: 2O26", 1)
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if text.strip() == "- year: 2O26")
    person.write_text(broken, encoding="utf-8")
    try:
        result = gitlab("check")
    finally:
        person.write_text(good, encoding="utf-8")
    assert result.returncode != 0 and "FAIL" in result.stdout
    job_log = (gitlab.workdir / ".gitlab-ci-local/output/check.log").read_text(encoding="utf-8")
    assert f"data/people/bui-thi-lan.md:{line}: honours[0].year" in job_log
    report = json.loads(report_path.read_text(encoding="utf-8"))  # the file holds nothing but the report
    assert len(report) == 2 and len({issue["fingerprint"] for issue in report}) == 2
    for issue in report:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["location"]["path"] == "data/people/bui-thi-lan.md" and issue["location"]["lines"]["begin"] >= 1
    year = next(issue for issue in report if issue["description"].startswith("honours[0].year"))
    assert year["location"]["lines"]["begin"] == line


def test_gitlab_pages_job_publishes_at_the_pages_address(gitlab):
    with _a_draft_story(gitlab.workdir):
        result = gitlab("pages", "--variable", f"CI_PAGES_URL={PAGES_URL}")
    assert result.returncode == 0, result.stdout
    public = gitlab.workdir / "public"
    assert (public / "index.html").is_file() and (public / "admin/index.html").is_file()
    assert f"<loc>{PAGES_URL}/cau-chuyen/" in (public / "sitemap.xml").read_text(encoding="utf-8")
    assert not (public / "cau-chuyen/ban-thao").exists()


def test_gitlab_preview_job_builds_drafts_without_a_public_address(gitlab):
    with _a_draft_story(gitlab.workdir):
        result = gitlab("preview", *MERGE_REQUEST, "--variable", "SITE_URL=/")
    assert result.returncode == 0, result.stdout
    html = (gitlab.workdir / "site/cau-chuyen/ban-thao/index.html").read_text(encoding="utf-8")
    assert "Bản thảo chưa duyệt" in html and "Bản nháp" in html
