"""End-to-end tests in a real headless Chromium (Selenium + Debian's chromium-driver):
the dashboard opened from a file, and the self-check page served by ``reportlint serve``.

Screenshots go to ``$REPORTLINT_ARTIFACTS`` (default ``test-artifacts/`` at the repository
root).  Without Chromium the tests are skipped, except in CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import regex

from conftest import REPORTS, ROOT
from reportlint.frontends.cli import main

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser") if shutil.which(n)), None)
CHROMEDRIVER = shutil.which("chromedriver")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,1000",
)
SAMPLE_000 = next(p for p in REPORTS if p.name.startswith("000_"))
TIMEOUT = 30


def _missing_browser() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    if CHROMIUM is None or CHROMEDRIVER is None:
        return "Chromium and its driver are not installed (apt-get install chromium chromium-driver)"
    return None


@pytest.fixture(scope="module")
def artifacts() -> Path:
    directory = Path(os.environ.get("REPORTLINT_ARTIFACTS") or ROOT / "test-artifacts")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    reason = _missing_browser()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests: {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    downloads = tmp_path_factory.mktemp("downloads")
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(120)
    driver.downloads = downloads
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(condition: Callable[[], Any], message: str, timeout: float = TIMEOUT) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}")
        time.sleep(0.05)


def severe_logs(driver: Any) -> list[dict[str, Any]]:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def check_json(capsys: pytest.CaptureFixture[str], *paths: Path) -> dict[str, list[dict[str, Any]]]:
    main(["check", "--format", "json", "--exit-zero", "--duplicates", *map(str, paths)])
    payload = json.loads(capsys.readouterr().out)
    return {f["path"]: f["diagnostics"] for f in payload["files"]}


# Highlighted findings: every id in the data-d of the marks of a text view, and the list beside it.
MARKED_IDS = """
var ids = {};
document.querySelectorAll(arguments[0] + " mark").forEach(function (m) {
  m.getAttribute("data-d").split(" ").forEach(function (i) { ids[i] = true; });
});
return Object.keys(ids).map(Number).sort(function (a, b) { return a - b; });
"""
LIST_CODES = "return Array.from(document.querySelectorAll(arguments[0] + ' li')).map(l => l.dataset.code);"
SHOWN_TEXT = "return Array.from(document.querySelectorAll(arguments[0] + ' .ln')).map(l => l.textContent).join('\\n');"


def visible_rows(driver: Any) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#matrix tbody tr')).filter(r => !r.hidden)"
        ".map(r => r.cells[0].getAttribute('data-v'));"
    )


def test_dashboard_in_chromium(
    browser: Any, tmp_path: Path, artifacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "dashboard.html"
    assert main(["report", *map(str, REPORTS), "--html", str(out)]) == 0
    expected = check_json(capsys, *REPORTS)
    paths = [str(p) for p in REPORTS]
    browser.get(out.as_uri())
    wait_for(lambda: browser.find_element("id", "row-count").text == "显示 5 / 5 份", "the row count")
    browser.save_screenshot(str(artifacts / "dashboard-matrix.png"))

    # The missing part: 000, 001 and 002 have no 第一责任人 part.
    responsibility = browser.execute_script(
        "var i = Array.from(document.querySelectorAll('#matrix thead th')).filter(h => h.dataset.part)"
        ".findIndex(h => h.dataset.part === 'fazhi.responsibility');"
        "return Array.from(document.querySelectorAll('#matrix tbody tr')).map(r => r.cells[6 + i].textContent);"
    )
    assert responsibility == ["缺失", "缺失", "缺失", "有", "有"]

    # Each report: every finding of `check --format json` is highlighted and listed, in order.
    for index, path in enumerate(paths):
        browser.find_element("css selector", f'#row-{index} a[href="#r-{index}"]').click()
        wait_for(
            lambda index=index: browser.find_element("id", "detail").get_attribute("data-report") == str(index),
            f"report {index}",
        )
        want = expected[path]
        assert browser.execute_script(MARKED_IDS, "#detail .doc-text") == list(range(len(want)))
        assert browser.execute_script(LIST_CODES, "#detail") == [d["code"] for d in want]
        shown = browser.execute_script(SHOWN_TEXT, "#detail .doc-text")
        assert shown == Path(path).read_text(encoding="utf-8").replace("\r\n", "\n")
        missing = browser.find_elements("css selector", "#detail .missing-parts")
        if index < 3:
            assert missing[0].text == "缺少必备部分：党政主要负责人履行推进法治建设第一责任人职责情况"
        else:
            assert missing == []

    # Click a highlighted finding: its message, basis and fix appear.
    browser.find_element("css selector", "#row-0 a").click()
    wait_for(lambda: browser.find_element("id", "detail").get_attribute("data-report") == "0", "report 0")
    want = expected[paths[0]]
    first_503 = next(i for i, d in enumerate(want) if d["code"] == "FZ503")
    mark = next(
        m for m in browser.find_elements("css selector", "#detail mark")
        if str(first_503) in m.get_attribute("data-d").split()
    )
    assert want[first_503]["message"] in mark.get_attribute("title")  # shown on hover
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", mark)
    mark.click()
    popover = wait_for(lambda: browser.find_elements("css selector", ".popover"), "the popover")[0]
    assert want[first_503]["message"] in popover.text
    assert "依据：" + want[first_503]["basis"] in popover.text
    assert "修正：" + want[first_503]["fix"]["title"] + "（可自动修正）" in popover.text
    browser.save_screenshot(str(artifacts / "dashboard-report.png"))

    # Sorting: by number of findings, largest first, then smallest first; by name.
    totals = {p: len(expected[p]) for p in paths}
    header = browser.find_element("css selector", "#matrix thead tr:first-child th:nth-child(2) button")
    header.click()
    assert visible_rows(browser) == sorted(paths, key=lambda p: (-totals[p], paths.index(p)))
    header.click()
    assert visible_rows(browser) == sorted(paths, key=lambda p: (totals[p], paths.index(p)))
    assert header.find_element("xpath", "..").get_attribute("aria-sort") == "ascending"
    browser.find_element("css selector", "#matrix thead tr:first-child th:nth-child(1) button").click()
    assert visible_rows(browser) == sorted(paths)
    # A second-row header sorts by its own column (present before missing, largest first).
    browser.find_element("css selector", '#matrix thead th[data-part="fazhi.responsibility"] button').click()
    assert visible_rows(browser) == [paths[3], paths[4], paths[0], paths[1], paths[2]]
    column = browser.execute_script(
        "var th = document.querySelector('#matrix thead th[data-part=\"fazhi.responsibility\"]');"
        "return Array.from(document.querySelectorAll('#matrix tbody tr'))"
        ".map(r => r.cells[Number(th.dataset.col)].textContent);"
    )
    assert column == ["有", "有", "缺失", "缺失", "缺失"]
    browser.find_element("css selector", "#matrix thead tr:first-child th:nth-child(1) button").click()

    # Filtering: by code in the box, by the 显示 menu, by clicking a bar of the chart.
    box = browser.find_element("id", "filter")
    box.send_keys("FZ601")
    with_601 = [p for p in paths if any(d["code"] == "FZ601" for d in expected[p])]
    assert visible_rows(browser) == with_601 and len(with_601) == 2
    assert browser.find_element("id", "row-count").text == "显示 2 / 5 份"
    box.clear()
    box.send_keys("x")
    box.clear()
    browser.execute_script("arguments[0].dispatchEvent(new Event('input'));", box)
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", "show")).select_by_value("missing")
    assert visible_rows(browser) == paths[:3]
    Select(browser.find_element("id", "show")).select_by_value("all")
    bar = browser.find_element("css selector", '.chart .bar[data-code="FZ111"]')
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}));", bar)
    assert box.get_attribute("value") == "FZ111"
    assert visible_rows(browser) == [p for p in paths if any(d["code"] == "FZ111" for d in expected[p])]
    browser.save_screenshot(str(artifacts / "dashboard-filtered.png"))
    assert severe_logs(browser) == []  # no script blocked by the page's policy, no error


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "reportlint", "serve", "--port", "0"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = regex.search(r"已启动自检页面：(http://127\.0\.0\.1:\d+/)", line)
        assert found, line + (process.stderr.read() if process.poll() is not None and process.stderr else "")
        yield found.group(1)
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_self_check_page_in_chromium(
    browser: Any, served: str, tmp_path: Path, artifacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    want = check_json(capsys, SAMPLE_000)[str(SAMPLE_000)]
    copy = tmp_path / "fixed" / SAMPLE_000.name
    copy.parent.mkdir()
    copy.write_bytes(SAMPLE_000.read_bytes())
    main(["check", "--fix", "--exit-zero", str(copy)])
    capsys.readouterr()
    fixed_text = copy.read_text(encoding="utf-8")
    remaining = check_json(capsys, copy)[str(copy)]

    browser.get(served)
    browser.find_element("id", "file").send_keys(str(SAMPLE_000))
    wait_for(lambda: browser.find_elements("css selector", "#doc-text mark"), "the findings")
    assert browser.find_element("id", "summary").text == "发现 36 个问题（错误 5，警告 23，提示 8）。"
    assert browser.execute_script(MARKED_IDS, "#doc-text") == list(range(len(want)))
    assert browser.execute_script(LIST_CODES, "#findings") == [d["code"] for d in want]
    assert browser.execute_script(SHOWN_TEXT, "#doc-text") == SAMPLE_000.read_text(encoding="utf-8")
    # Clicking a finding in the list opens its explanation at the highlighted text.
    browser.find_element("css selector", '#findings li[data-code="FZ321"]').click()
    popover = wait_for(lambda: browser.find_elements("css selector", ".popover"), "the popover")[0]
    fz321 = next(d for d in want if d["code"] == "FZ321")
    assert fz321["message"] in popover.text and "（需人工确认）" in popover.text
    browser.save_screenshot(str(artifacts / "serve-findings.png"))

    fix = browser.find_element("id", "fix")
    assert fix.text == "应用安全修正（19 处）"
    assert not browser.find_element("id", "download").is_displayed()  # nothing to download yet
    fix.click()
    summary = wait_for(
        lambda: browser.find_element("id", "fix-summary").is_displayed() and browser.find_element("id", "fix-summary"),
        "the fix summary",
    )
    assert summary.text.startswith(
        "已自动修正 19 处（FZ109 × 2，FZ112 × 1，FZ301 × 2，FZ305 × 1，FZ312 × 2，FZ503 × 11）"
    )
    # The page now shows the same text `check --fix` writes, with what is left to do.
    assert browser.execute_script(SHOWN_TEXT, "#doc-text") == fixed_text
    assert browser.find_element("id", "text").get_attribute("value") == fixed_text
    codes = browser.execute_script(LIST_CODES, "#findings")
    assert codes == [d["code"] for d in remaining]
    assert not {"FZ109", "FZ112", "FZ301", "FZ305", "FZ312", "FZ503"} & set(codes)
    assert browser.find_element("id", "summary").text == f"发现 {len(remaining)} 个问题（错误 3，警告 9，提示 5）。"
    changed = browser.execute_script("return Array.from(document.querySelectorAll('#doc-text ins.changed')).map(n => n.textContent);")
    assert changed.count("习近平法治思想") == 2 and changed.count("") >= 11
    assert not fix.is_enabled()
    browser.save_screenshot(str(artifacts / "serve-fixed.png"))

    # Download the corrected text.
    link = browser.find_element("id", "download")
    assert link.get_attribute("download") == "000_44d62b4e2cde1d86（已修正）.txt"
    link.click()
    target = browser.downloads / "000_44d62b4e2cde1d86（已修正）.txt"
    wait_for(lambda: target.exists() and target.read_bytes(), "the download")
    assert target.read_text(encoding="utf-8") == fixed_text
    assert severe_logs(browser) == []


def test_dashboard_links_a_finding_to_the_other_report(browser: Any, tmp_path: Path, artifacts: Path) -> None:
    """Extra diagnostics (the hook the cross-report duplicate finder uses) show like any finding,
    and one that names another report links to the line there."""
    from reportlint.app.dashboard import collect
    from reportlint.core.diagnostics import Diagnostic, Severity
    from reportlint.output.dashboard import render_html

    first, second = REPORTS[3], REPORTS[4]

    def duplicates(files):  # type: ignore[no-untyped-def]
        doc = files[0].document
        start = doc.line_start(5)
        return {
            doc.path: [
                Diagnostic(
                    "RL101",
                    "cross-report-duplicate",
                    "duplicate",
                    Severity.INFO,
                    f"该段与 {second} 第 10 行的段落高度相似",
                    start,
                    start + 20,
                    basis="测试",
                    data={"other_path": str(second), "other_line": "10", "similarity": "0.91", "other_count": "1"},
                )
            ]
        }

    out = tmp_path / "dashboard.html"
    out.write_text(render_html(collect([str(first), str(second)], extra_sources=[duplicates])), encoding="utf-8")
    browser.get(out.as_uri() + "#r-0")
    wait_for(lambda: browser.find_element("id", "detail").get_attribute("data-report") == "0", "report 0")
    item = browser.find_element("css selector", '#detail li[data-code="RL101"]')
    item.click()
    popover = wait_for(lambda: browser.find_elements("css selector", ".popover"), "the popover")[0]
    assert "相似度：0.91" in popover.text and f"相似的报告：{second}" in popover.text
    browser.save_screenshot(str(artifacts / "dashboard-duplicate.png"))
    popover.find_element("css selector", "a.other-report").click()
    wait_for(lambda: browser.find_element("id", "detail").get_attribute("data-report") == "1", "the other report")
    assert browser.execute_script("return location.hash;") == "#r-1-L10"
    assert "target" in browser.find_element("id", "r1-L10").get_attribute("class").split()
    header = browser.find_element("css selector", '#matrix th[data-category="duplicate"]')
    assert header.text == "跨报告雷同"
    assert severe_logs(browser) == []


# A pack that adds a dozen required parts with long labels: a dozen more matrix columns.
WIDE_PARTS = (
    "重大行政决策合法性审查和集体讨论决定情况",
    "行政规范性文件备案审查和清理情况",
    "行政执法三项制度落实情况",
    "行政复议和行政应诉工作情况",
    "政务公开和政府信息公开工作情况",
    "法治宣传教育和普法责任制落实情况",
    "基层法治建设和依法治理情况",
    "法治督察反馈问题整改落实情况",
    "依法化解矛盾纠纷和信访工作情况",
    "政府法律顾问和公职律师工作情况",
    "营商环境法治化建设情况",
    "行政机关负责人出庭应诉情况",
)
WIDE_RULE = """code = "XW101"
name = "no-foo"
category = "formulation"
severity = "warning"
message = "不要写“{match}”。"
basis = "测试"

[check]
kind = "forbid"
pattern = '甲乙'

[[bad]]
text = "甲乙"

[[good]]
text = "丙丁"
"""
# Where the first cell of each row of the matrix is, after scrolling: its left edge, the left edge
# of the matrix box's scrolling area, and whether the cell is what shows at its own left edge (not
# covered by the cells scrolled under it; a cell scrolled out of the box counts as shown).
FIRST_COLUMN = """
var wrap = arguments[0], box = wrap.getBoundingClientRect();
var rows = document.querySelectorAll('#matrix thead tr:first-child, #matrix tbody tr');
return Array.from(rows).map(function (row) {
  var cell = row.cells[0], r = cell.getBoundingClientRect(), y = r.top + Math.min(r.height / 2, 12);
  var shown = y > box.top && y < box.bottom && y < innerHeight ? document.elementFromPoint(r.left + 4, y) : cell;
  return {left: r.left, box: box.left + wrap.clientLeft, shows: cell.contains(shown), text: cell.textContent};
});
"""


def test_dashboard_matrix_fits_the_window(browser: Any, tmp_path: Path, artifacts: Path) -> None:
    """A matrix wider than the window (a dozen more required parts, long unbreakable file names)
    scrolls sideways in its own box: the page is no wider than the 1400 px window, the column
    headers wrap, and the report column stays at the box's left edge."""
    pack = tmp_path / "wide"
    pack.mkdir()
    parts = "".join(
        f"[parts.extra{i:02d}]\nlabel = \"{label}\"\naliases = ['{label[:6]}']\n\n" for i, label in enumerate(WIDE_PARTS)
    )
    (pack / "pack.toml").write_text(f'name = "wide"\ndescription = "测试"\n\n{parts}', encoding="utf-8")
    (pack / "XW101-no-foo.toml").write_text(WIDE_RULE, encoding="utf-8")
    copies = tmp_path / ("district_department_annual_rule_of_law_government_reports_" * 2 + "copies")
    copies.mkdir()
    for path in REPORTS:
        (copies / ("second_batch_submitted_version_" + path.name)).write_bytes(path.read_bytes())
    reports = [*REPORTS, *sorted(copies.iterdir())]
    out = tmp_path / "dashboard.html"
    assert main(["report", *map(str, reports), "--rules", str(pack), "--extend-select", "ALL", "--html", str(out)]) == 0
    browser.get(out.as_uri())
    wait_for(lambda: browser.find_element("id", "row-count").text == "显示 10 / 10 份", "the row count")
    assert browser.execute_script("return innerWidth;") == 1400

    # The page is no wider than the window: the matrix scrolls inside its box instead.
    page = browser.execute_script(
        "var d = document.documentElement; return [d.scrollWidth, d.clientWidth, document.body.scrollWidth];"
    )
    assert page[0] <= 1400 and page[0] <= page[1] and page[2] <= page[1], page
    wrap = browser.find_element("css selector", ".table-wrap")
    assert browser.execute_script("return arguments[0].contains(document.getElementById('matrix'));", wrap)
    widths = browser.execute_script("return [arguments[0].scrollWidth, arguments[0].clientWidth];", wrap)
    assert widths[0] > widths[1], widths  # wide enough to scroll sideways
    assert len(browser.find_elements("css selector", '#matrix th[data-part^="wide."]')) == len(WIDE_PARTS)

    # Headers wrap: a long part label takes several lines instead of widening its column.
    heights = browser.execute_script(
        "var q = s => document.querySelector(s).getBoundingClientRect();"
        "return [q('#matrix th[data-part=\"wide.extra00\"] button').height,"
        " q('#matrix thead tr:first-child th:nth-child(2) button').height,"
        " q('#matrix th[data-part=\"wide.extra00\"]').width];"
    )
    assert heights[0] > 1.5 * heights[1] and heights[2] < 200, heights

    # Scrolled sideways to the end, the first column stays at the box's left edge, on top.
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'});", wrap)
    browser.execute_script("arguments[0].scrollLeft = arguments[0].scrollWidth;", wrap)
    wait_for(lambda: browser.execute_script("return arguments[0].scrollLeft;", wrap) > 0, "the matrix to scroll")
    browser.save_screenshot(str(artifacts / "dashboard-wide-matrix.png"))
    cells = browser.execute_script(FIRST_COLUMN, wrap)
    assert len(cells) == 1 + 10 and cells[0]["text"] == "报告"
    for cell in cells:
        assert abs(cell["left"] - cell["box"]) < 1 and cell["shows"], cell
    # Scrolled down too, the category headers stay in sight under their group's header.
    browser.execute_script("arguments[0].scrollTop = arguments[0].scrollHeight;", wrap)
    wait_for(lambda: browser.execute_script("return arguments[0].scrollTop;", wrap) > 0, "the matrix to scroll down")
    group, sub, shown = browser.execute_script(
        "var g = document.querySelector('#matrix th.group-cat').getBoundingClientRect();"
        "var s = Array.from(document.querySelectorAll('#matrix th[data-category]')).pop().getBoundingClientRect();"
        "var at = document.elementFromPoint(s.left + s.width / 2, g.top + g.height / 2);"
        "return [g.toJSON(), s.toJSON(), at && at.textContent];"
    )
    box = browser.execute_script("var b = arguments[0]; return b.getBoundingClientRect().top + b.clientTop;", wrap)
    assert abs(group["top"] - box) < 1 and abs(sub["top"] - group["bottom"]) < 1 and shown == "规则类别", (group, sub)
    browser.save_screenshot(str(artifacts / "dashboard-wide-matrix-scrolled.png"))

    # The report column still opens a report, and the page is still no wider than the window.
    browser.find_element("css selector", '#row-9 a[href="#r-9"]').click()
    wait_for(lambda: browser.find_element("id", "detail").get_attribute("data-report") == "9", "report 9")
    page = browser.execute_script("var d = document.documentElement; return [d.scrollWidth, d.clientWidth];")
    assert page[0] <= 1400 and page[0] <= page[1], page
    assert severe_logs(browser) == []
