"""Cross-report duplicates (RL101): exact findings on synthetic sets and on the sample reports."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

from reportlint.app.duplicates import (
    BASIS,
    DuplicateOptions,
    find_duplicates,
    find_duplicates_with,
    load_phrases,
    options_from_config,
)
from reportlint.core.diagnostics import Diagnostic, Severity
from reportlint.core.document import Document
from reportlint.core.errors import InputError
from reportlint.engine.config import Config, ConfigError, load_config

REPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "reports"

# A specific passage one unit could copy from another (two sentences, 99 characters).
COPIED = (
    "我局在全市率先建立行政执法案卷评查“月通报”机制，全年评查案卷126卷，对发现的文书填写不规范、"
    "证据链条不完整等问题逐一建立整改台账。聘请三名执业律师担任法律顾问，审查合同协议37份，提出修改意见92条。"
)
OWN = [
    "围绕优化营商环境，开展涉企行政检查备案审查，全年备案检查事项214项，叫停重复检查11次，惠及市场主体830余户。",
    "今年重点推进食品安全监管数字化改造，建成智慧食安平台，接入餐饮单位4120家，发现并处置风险隐患570处。",
    "全镇完成十二个行政村人民调解委员会换届，培训调解员一百六十人次，调处矛盾纠纷三百零五件，调解成功率百分之九十八。",
    "区交通运输局推行轻微违法行为首违不罚清单，全年对四百一十二起首次轻微违法行为依法不予处罚并当场开展教育。",
    "组织全系统行政执法人员参加年度执法资格考试，参考人员三百二十人，合格率百分之九十六，未通过人员暂停执法资格。",
]
GUIDING = (
    "2024年，我局坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，"
    "全面贯彻党的二十大和二十届三中全会精神，深刻领悟“两个确立”的决定性意义，增强“四个意识”、坚定“四个自信”、做到“两个维护”。"
)


def doc(path: str, *paragraphs: str) -> Document:
    """A report whose paragraphs are separated by blank lines: paragraph i is on line 2i+1."""
    return Document.from_text("\n\n".join(paragraphs) + "\n", path=path)


def summary(results: dict[str, list[Diagnostic]], documents: list[Document]) -> list[tuple]:
    """(path, start line:column, end line:column, other path, other line, similarity) of every finding."""
    by_path = {d.path: d for d in documents}
    rows = []
    for path, diagnostics in results.items():
        for diagnostic in diagnostics:
            start, end = by_path[path].position(diagnostic.start), by_path[path].position(diagnostic.end)
            rows.append(
                (
                    path,
                    f"{start.line}:{start.column}",
                    f"{end.line}:{end.column}",
                    diagnostic.data["other_path"],
                    int(diagnostic.data["other_line"]),
                    diagnostic.data["similarity"],
                )
            )
    return rows


def test_copied_paragraph_is_reported_in_both_reports_with_the_other_line() -> None:
    a = doc("a.txt", "某区司法局2024年法治政府建设情况报告", "一、主要举措和成效", COPIED, OWN[0])
    b = doc("b.txt", "某区市场监管局2024年法治政府建设情况报告", OWN[1], OWN[3], COPIED)
    results = find_duplicates([a, b])
    assert list(results) == ["a.txt", "b.txt"]
    assert summary(results, [a, b]) == [
        ("a.txt", "5:1", f"5:{len(COPIED) + 1}", "b.txt", 7, "1.00"),
        ("b.txt", "7:1", f"7:{len(COPIED) + 1}", "a.txt", 5, "1.00"),
    ]
    finding = results["a.txt"][0]
    assert (finding.code, finding.name, finding.category, finding.severity) == (
        "RL101",
        "cross-report-duplicate",
        "duplicate",
        Severity.INFO,
    )
    assert finding.path == "a.txt"
    assert finding.message == "该段与 b.txt 第 7 行的段落高度相似（相似度 1.00），可能是照搬其他单位或往年的报告"
    assert finding.basis == BASIS
    assert finding.data["other_count"] == "1"


def test_last_years_paragraph_with_new_figures_is_reported_below_one() -> None:
    last_year = COPIED.replace("126卷", "98卷").replace("37份", "41份").replace("92条", "65条")
    old = doc("2023.txt", "某区司法局2023年法治政府建设情况报告", last_year, OWN[2])
    new = doc("2024.txt", "某区司法局2024年法治政府建设情况报告", OWN[4], COPIED)
    assert summary(find_duplicates([old, new]), [old, new]) == [
        ("2023.txt", "3:1", f"3:{len(last_year) + 1}", "2024.txt", 5, "0.88"),
        ("2024.txt", "5:1", f"5:{len(COPIED) + 1}", "2023.txt", 3, "0.88"),
    ]


def test_only_the_copied_sentences_of_a_long_paragraph_are_covered() -> None:
    a = doc("a.txt", OWN[0] + COPIED + OWN[1])
    b = doc("b.txt", OWN[2], OWN[3] + COPIED)
    results = find_duplicates([a, b])
    finding_a, finding_b = results["a.txt"][0], results["b.txt"][0]
    assert a.text[finding_a.start : finding_a.end] == COPIED
    assert b.text[finding_b.start : finding_b.end] == COPIED
    assert (finding_a.data["other_line"], finding_b.data["other_line"]) == ("3", "1")


def test_a_sentence_broken_across_lines_is_one_passage() -> None:
    broken = COPIED[:50] + "\n\n" + COPIED[50:]  # a PDF extraction break inside a sentence
    a = doc("a.txt", OWN[0], broken)
    b = doc("b.txt", COPIED)
    assert summary(find_duplicates([a, b]), [a, b]) == [
        ("a.txt", "3:1", f"5:{len(COPIED) - 50 + 1}", "b.txt", 1, "1.00"),
        ("b.txt", "1:1", f"1:{len(COPIED) + 1}", "a.txt", 3, "1.00"),
    ]


def test_unrelated_reports_are_not_flagged() -> None:
    documents = [doc(f"{i}.txt", "某单位2024年法治政府建设情况报告", text) for i, text in enumerate(OWN)]
    assert find_duplicates(documents) == {f"{i}.txt": [] for i in range(len(OWN))}


def test_a_passage_in_more_reports_than_the_limit_is_common_phrasing() -> None:
    shared = OWN[3] + OWN[4]  # 107 characters that twelve reports share
    documents = [doc(f"{i:02d}.txt", shared) for i in range(12)]
    documents[0] = doc("00.txt", OWN[0], shared, COPIED)
    documents[5] = doc("05.txt", COPIED, OWN[2], shared)
    results = find_duplicates(documents)  # max_reports = 10
    assert summary(results, documents) == [
        ("00.txt", "5:1", f"5:{len(COPIED) + 1}", "05.txt", 1, "1.00"),
        ("05.txt", "1:1", f"1:{len(COPIED) + 1}", "00.txt", 5, "1.00"),
    ]
    # With a higher limit the shared passage is reported, naming the first other report.
    results = find_duplicates(documents, max_reports=12, max_share=1.0)
    first = results["03.txt"]
    assert len(first) == 1
    assert first[0].data == {"other_path": "00.txt", "other_line": "3", "similarity": "1.00", "other_count": "11"}
    assert first[0].message.endswith("；另有 10 份报告也有相似段落")


def test_a_passage_in_more_than_half_of_a_small_set_is_common_phrasing() -> None:
    three = [doc(f"{i}.txt", OWN[i], COPIED) for i in range(3)] + [doc(f"{i}.txt", OWN[i]) for i in (3, 4)]
    assert all(not found for found in find_duplicates(three).values())
    two = [doc(f"{i}.txt", OWN[i], COPIED) for i in range(2)] + [doc(f"{i}.txt", OWN[i]) for i in (2, 3, 4)]
    assert [path for path, found in find_duplicates(two).items() if found] == ["0.txt", "1.txt"]


def test_canonical_phrasings_and_quotations_are_not_compared() -> None:
    quotation = "“职能科学、权责法定、执法严明、公开公正、智能高效、廉洁诚信、人民满意的法治政府基本建成，行政执法体制机制改革全面深化”"
    a = doc("a.txt", GUIDING, "我局牢记" + quotation + "的目标，" + OWN[0])
    b = doc("b.txt", GUIDING, "我们对标" + quotation + "的要求，" + OWN[1])
    assert find_duplicates([a, b]) == {"a.txt": [], "b.txt": []}
    # Without the built-in list the 指导思想 sentence would count as copied.
    results = find_duplicates([a, b], builtin_phrases=False)
    assert summary(results, [a, b]) == [
        ("a.txt", "1:1", f"1:{len(GUIDING) + 1}", "b.txt", 1, "1.00"),
        ("b.txt", "1:1", f"1:{len(GUIDING) + 1}", "a.txt", 1, "1.00"),
    ]


def test_phrase_file_cuts_phrases_before_comparing(tmp_path: Path) -> None:
    # COPIED compares 90 characters (the quotation “月通报” is cut); the two phrases take 27 more.
    a = doc("a.txt", OWN[0], COPIED)
    b = doc("b.txt", COPIED, OWN[1])
    phrase_file = tmp_path / "phrases.txt"
    phrase_file.write_text(
        "# our province's standard wording\n\n我局在全市率先建立行政执法案卷评查\nre:全年评查案卷\\d+卷\n",
        encoding="utf-8",
    )
    assert load_phrases(phrase_file) == ["我局在全市率先建立行政执法案卷评查", r"全年评查案卷\d+卷"]
    assert len(find_duplicates([a, b], min_chars=90)["a.txt"]) == 1
    assert find_duplicates([a, b], min_chars=91) == {"a.txt": [], "b.txt": []}
    assert len(find_duplicates([a, b], ignore_file=phrase_file, min_chars=63)["a.txt"]) == 1
    assert find_duplicates([a, b], ignore_file=phrase_file, min_chars=64) == {"a.txt": [], "b.txt": []}
    extra = ["我局在全市率先建立行政执法案卷评查", r"全年评查案卷\d+卷"]
    assert find_duplicates([a, b], phrases=extra, min_chars=64) == {"a.txt": [], "b.txt": []}


def test_bad_phrase_files_are_one_line_chinese_errors(tmp_path: Path) -> None:
    missing = tmp_path / "none.txt"
    with pytest.raises(InputError) as error:
        find_duplicates([doc("a.txt", COPIED), doc("b.txt", COPIED)], ignore_file=missing)
    assert str(error.value) == f"{missing}: 常用语文件不存在"
    bad = tmp_path / "bad.txt"
    bad.write_text("坚持依法行政\nre:全年(评查\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_phrases(bad)
    assert str(error.value).startswith(f"{bad}:2: 正则表达式有误：")
    assert "\n" not in str(error.value)


def test_threshold_is_respected() -> None:
    edited = COPIED.replace("126卷", "98卷").replace("37份", "41份").replace("92条", "65条")  # 35 of 40 words: 0.875
    a, b = doc("a.txt", COPIED), doc("b.txt", edited)
    assert len(find_duplicates([a, b], threshold=0.875)["a.txt"]) == 1
    assert find_duplicates([a, b], threshold=0.876) == {"a.txt": [], "b.txt": []}


def test_min_length_is_respected() -> None:
    sentence = "对发现的文书填写不规范、证据链条不完整等问题逐一建立整改台账并按月通报进展。"  # 36 characters compared
    a, b = doc("a.txt", OWN[0], sentence), doc("b.txt", sentence, OWN[1])
    assert find_duplicates([a, b]) == {"a.txt": [], "b.txt": []}  # min_chars = 40
    assert summary(find_duplicates([a, b], min_chars=36), [a, b]) == [
        ("a.txt", "3:1", f"3:{len(sentence) + 1}", "b.txt", 1, "1.00"),
        ("b.txt", "1:1", f"1:{len(sentence) + 1}", "a.txt", 3, "1.00"),
    ]
    assert find_duplicates([a, b], min_chars=37) == {"a.txt": [], "b.txt": []}


def test_output_is_deterministic_and_sorted() -> None:
    documents = [
        doc("a.txt", COPIED, OWN[0], OWN[3] + OWN[4]),
        doc("b.txt", OWN[1], COPIED),
        doc("c.txt", OWN[3] + OWN[4], OWN[2]),
        doc("d.txt", OWN[2]),
    ]
    first = find_duplicates(documents)
    assert list(first) == ["a.txt", "b.txt", "c.txt", "d.txt"]
    assert [d.start for d in first["a.txt"]] == sorted(d.start for d in first["a.txt"])
    assert len(first["a.txt"]) == 2
    shuffled = documents[:]
    random.Random(3).shuffle(shuffled)
    second = find_duplicates(shuffled)
    assert list(second) == [d.path for d in shuffled]
    for path, diagnostics in first.items():
        assert [(d.start, d.end, d.message, d.data) for d in diagnostics] == [
            (d.start, d.end, d.message, d.data) for d in second[path]
        ]


def test_worker_processes_give_the_same_findings() -> None:
    documents = [doc("a.txt", COPIED + OWN[0] + OWN[1], OWN[2]), doc("b.txt", OWN[3], COPIED + OWN[0] + OWN[1])]
    assert summary(find_duplicates(documents, jobs=2), documents) == summary(
        find_duplicates(documents, jobs=1), documents
    )


def test_fewer_than_two_reports() -> None:
    assert find_duplicates([]) == {}
    assert find_duplicates([doc("a.txt", COPIED, COPIED)]) == {"a.txt": []}
    assert find_duplicates([doc("a.txt", COPIED), doc("a.txt", COPIED)]) == {"a.txt": []}  # one file given twice


# ---------------------------------------------------------------------------
# The five sample reports: only 000 and 003 share a passage that is not common phrasing.


@pytest.fixture(scope="module")
def samples() -> list[Document]:
    return [Document.from_text(p.read_text(encoding="utf-8"), path=p.name) for p in sorted(REPORTS.glob("*.txt"))]


def test_samples_000_and_003_share_the_yifa_zhizheng_paragraph(samples: list[Document]) -> None:
    results = find_duplicates(samples)
    assert summary(results, samples) == [
        ("000_44d62b4e2cde1d86.txt", "45:13", "45:68", "003_9a9185d006596f76.txt", 52, "0.82"),
        ("003_9a9185d006596f76.txt", "52:4", "52:59", "000_44d62b4e2cde1d86.txt", 45, "0.82"),
    ]
    s000, s003 = samples[0], samples[3]
    finding = results[s000.path][0]
    assert s000.text[finding.start : finding.end] == (
        "深入抓好领导干部学法用法，不断提高依法执政能力，切实加强法律培训，努力提高机关工作人员法律素质和依法办事能力。"
    )
    finding = results[s003.path][0]
    assert s003.text[finding.start : finding.end] == (
        "深入抓好领导干部学法用法。不断提高依法执政能力，切实加强法律培训，努力提高全镇干部职工法律素质和依法办事能力。"
    )


def test_samples_other_pairs_share_only_common_phrasing(samples: list[Document]) -> None:
    # 000/003 also share “专家论证、风险评估、合法性审查、集体讨论决定” (a quotation of the statutory
    # steps) and every pair shares the 指导思想 formula: neither is reported, at any threshold.
    for i, first in enumerate(samples):
        for second in samples[i + 1 :]:
            if {first.path[:3], second.path[:3]} == {"000", "003"}:
                continue
            results = find_duplicates([first, second], threshold=0.5, min_chars=20)
            assert results == {first.path: [], second.path: []}, (first.path, second.path)


def test_samples_threshold_just_above_the_shared_paragraph(samples: list[Document]) -> None:
    assert all(not found for found in find_duplicates(samples, threshold=0.83).values())


# ---------------------------------------------------------------------------
# Configuration


def test_duplicates_table_in_the_configuration(tmp_path: Path) -> None:
    config_file = tmp_path / "reportlint.toml"
    config_file.write_text(
        '[duplicates]\nthreshold = 0.9\nmin-length = 80\nmax-reports = 4\nmax-share = 0.25\nignore-file = "phrases.txt"\n',
        encoding="utf-8",
    )
    options = options_from_config(load_config(config_file))
    assert options == DuplicateOptions(
        threshold=0.9, min_chars=80, max_reports=4, max_share=0.25, ignore_file=(tmp_path / "phrases.txt").resolve()
    )
    assert options_from_config(Config()) == DuplicateOptions()
    assert options.common_limit(2000) == 4
    assert options.common_limit(10) == 2
    (tmp_path / "phrases.txt").write_text("我局在全市率先建立行政执法案卷评查\n", encoding="utf-8")
    a, b = doc("a.txt", COPIED), doc("b.txt", COPIED)
    # 90 characters compared, 73 once the file's phrase is cut: below min-length = 80.
    assert find_duplicates_with([a, b], options) == {"a.txt": [], "b.txt": []}
    assert len(find_duplicates_with([a, b], replace(options, ignore_file=None))["a.txt"]) == 1


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("threshold = 1.5", "duplicates 设置项“threshold”超出范围，应大于 0、不超过 1"),
        ("threshold = 0", "duplicates 设置项“threshold”超出范围，应大于 0、不超过 1"),
        ("min-length = -1", "duplicates 设置项“min-length”超出范围，应不小于 0"),
        ("max-reports = 0", "duplicates 设置项“max-reports”超出范围，应不小于 1"),
        ('min-length = "40"', "duplicates 设置项“min-length”的类型不对，应为整数"),
        ("threshold = true", "duplicates 设置项“threshold”的类型不对，应为数字"),
        ("shingle = 3", "未知的 duplicates 设置项“shingle”（可用：threshold、min-length、max-reports、max-share、ignore-file）"),
    ],
)
def test_bad_duplicates_settings(tmp_path: Path, line: str, message: str) -> None:
    config_file = tmp_path / "reportlint.toml"
    config_file.write_text(f'fail-on = "error"\n\n[duplicates]\n{line}\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(config_file)
    assert str(error.value) == f"{config_file}:4: {message}"
