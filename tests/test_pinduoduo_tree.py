"""The Pinduoduo tree (issues 3, 16): scenarios, coverage, stable ids, ladder routing, content, no invented contacts."""

from __future__ import annotations

import functools
import itertools
import json
import re
from collections.abc import Iterator

import msgspec
import pytest

from tests.utils import ROOT, run_cli
from wizard.core.engine import Session, next_step, run_answers
from wizard.core.errors import AnswerError
from wizard.core.model import Ladder, Localized, MultipleChoice, Outcome, Point, SingleChoice, Tree, offered
from wizard.render.plan import outcome_content
from wizard.render.scenario_run import run_scenario
from wizard.source.load import load_tree
from wizard.source.scenario import Scenario, load_scenarios, scenario_files

TREE_FILE = ROOT / "trees" / "pinduoduo.yaml"
SCENARIOS = ROOT / "tests" / "scenarios"

# --- The issue's text, written down here independently of the tree -----------------------------

#: Stable questions: kind and option ids (a public interface: never renamed or removed).
QUESTIONS: dict[str, tuple[type, set[str]]] = {
    "role": (SingleChoice, {"consumer", "merchant"}),
    "problem": (
        SingleChoice,
        {"product_question", "order_status", "logistics", "not_shipped", "after_sales", "quality", "counterfeit",
         "not_as_described", "account", "fraud", "searched_number", "feedback"},
    ),
    "merchant_contact": (SingleChoice, {"refused", "not_yet"}),
    "deadline": (SingleChoice, {"close", "unknown", "not_close"}),
    "scam_harm": (SingleChoice, {"gave", "none"}),
    "merchant_scam_harm": (SingleChoice, {"gave", "none"}),
    "tried": (
        MultipleChoice,
        {"courier", "app_chat", "hotline_95187", "platform_intervention", "email", "social_media"},
    ),
    "merchant_problem": (
        SingleChoice,
        {"store_management", "listing", "campaign", "shipping", "settlement", "rules", "dispute",
         "buyer_intervention", "fraud"},
    ),
    "merchant_tried": (MultipleChoice, {"help_center", "work_order", "merchant_hotline"}),
}  # fmt: skip
SHOPPER_ALL_TRIED = "consumer_all_tried"
MERCHANT_ALL_TRIED = "merchant_all_tried"
#: The outcome each ladder step leads to when it is the first one not tried.
STEP_OUTCOME = {
    "courier": "contact_courier",
    "app_chat": "app_chat",
    "hotline_95187": "hotline_95187",
    "platform_intervention": "platform_intervention",
    "email": "email",
    "social_media": "social_media",
    "help_center": "merchant_help_center",
    "work_order": "merchant_work_order",
    "merchant_hotline": "merchant_hotline",
}
PRESALE_UNANSWERED = "presale_unanswered"
#: Problems that ask nothing about steps tried; fraud asks only whether a code or money was given.
OFF_LADDER = {"fraud": "scam_loss", "searched_number": "searched_number_alert", "feedback": "feedback_channel"}
MERCHANT_OFF_LADDER = {"buyer_intervention": "merchant_intervention", "fraud": "scam_loss"}
FRAUD_OUTCOMES = {"fraud_alert", "scam_loss", "merchant_fraud_alert"}
OUTCOMES = {
    *STEP_OUTCOME.values(), *OFF_LADDER.values(), *MERCHANT_OFF_LADDER.values(), *FRAUD_OUTCOMES,
    SHOPPER_ALL_TRIED, MERCHANT_ALL_TRIED, PRESALE_UNANSWERED,
}  # fmt: skip
#: Disputes with a merchant: the only problems whose ladder has platform intervention.
DISPUTES = ("after_sales", "quality", "counterfeit", "not_as_described")
LADDER_PROBLEMS = sorted(QUESTIONS["problem"][1] - set(OFF_LADDER))
MERCHANT_LADDER = ("help_center", "work_order", "merchant_hotline")
MERCHANT_LADDER_PROBLEMS = sorted(QUESTIONS["merchant_problem"][1] - set(MERCHANT_OFF_LADDER))
#: Rungs of the escalation ladders; 0 is a warning or a channel off the ladder.
LEVELS = {
    "contact_courier": 1, "app_chat": 2, "hotline_95187": 3, "platform_intervention": 4, "email": 5,
    "social_media": 6, SHOPPER_ALL_TRIED: 7, "merchant_help_center": 1, "merchant_work_order": 2,
    "merchant_hotline": 3, MERCHANT_ALL_TRIED: 4, "fraud_alert": 0, "feedback_channel": 0,
    PRESALE_UNANSWERED: 6, "scam_loss": 0, "merchant_fraud_alert": 0, "searched_number_alert": 0,
    "merchant_intervention": 0,
}  # fmt: skip


def shopper_ladder(problem: str, urgent: bool = False) -> tuple[str, ...]:
    """Chat, 95187, platform intervention (disputes only), e-mail, social media; a parcel starts with the courier.

    No chat without a login; no social media for a question before buying (article 九); a refused dispute
    whose deadline is close or unknown starts with platform intervention (article 十四).
    """
    if urgent:
        return ("platform_intervention", "app_chat", "hotline_95187", "email", "social_media")
    first = ("courier",) if problem == "logistics" else ()
    chat = () if problem == "account" else ("app_chat",)
    intervention = ("platform_intervention",) if problem in DISPUTES else ()
    social = () if problem == "product_question" else ("social_media",)
    return (*first, *chat, "hotline_95187", *intervention, "email", *social)


def urgent(answers: dict[str, object]) -> bool:
    """A refused dispute whose deadline is close or not known."""
    return answers.get("deadline") in ("close", "unknown")


def shopper_exhausted(problem: str) -> str:
    return PRESALE_UNANSWERED if problem == "product_question" else SHOPPER_ALL_TRIED


def expected_outcome(ladder: tuple[str, ...], tried: set[str], exhausted: str) -> str:
    """The first step of the ladder not tried, whatever order the others were tried in; else `exhausted`."""
    return next((STEP_OUTCOME[step] for step in ladder if step not in tried), exhausted)


def expected_next(ladder: tuple[str, ...], tried: set[str], exhausted: str) -> str | None:
    """If the step given fails: the next step of the same ladder not tried; after the last, `exhausted`."""
    untried = [step for step in ladder if step not in tried]
    if not untried:
        return None  # the all-tried outcome: no rung is left
    return expected_outcome(ladder, tried | {untried[0]}, exhausted)


def subsets(items: tuple[str, ...]) -> Iterator[set[str]]:
    for size in range(len(items) + 1):
        for combo in itertools.combinations(items, size):
            yield set(combo)


# --- Helpers -------------------------------------------------------------------------------------


@functools.cache
def cached_tree(spec: str) -> Tree:
    return load_tree(spec)


def tree() -> Tree:
    return cached_tree(str(TREE_FILE))


def all_scenarios() -> list[Scenario]:
    return [s for path in scenario_files([SCENARIOS]) for s in load_scenarios(path)]


def texts(value: object, where: str = "") -> Iterator[tuple[str, str, str]]:
    """Every user-visible text in a loaded tree or node, as (where, language, text)."""
    if isinstance(value, Localized):
        for lang, text in value:
            yield where, lang, text
    elif isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            yield from texts(item, f"{where}[{index}]")
    elif hasattr(value, "items"):  # the tree's nodes and schedules
        for key, item in value.items():
            yield from texts(item, f"{where}.{key}".lstrip("."))
    elif isinstance(value, (msgspec.Struct, Point)):  # a record of the model
        names = value.__struct_fields__ if isinstance(value, msgspec.Struct) else Point.__slots__
        for name in names:
            yield from texts(getattr(value, name), f"{where}.{name}".lstrip("."))


def outcome_text(outcome: Outcome, lang: str) -> str:
    """All of an outcome's text in one language, conditional items included."""
    return "\n".join(text for _, language, text in texts(outcome) if language == lang)


def walk(answers: dict[str, object], defaults: bool = False) -> Session:
    return run_answers(tree(), answers, defaults=defaults)


def answers_before_tried(problem: str) -> Iterator[dict[str, object]]:
    """Every way to answer the questions a shopper's path asks between `problem` and `tried`."""

    def extend(answers: dict[str, object]) -> Iterator[dict[str, object]]:
        session = Session(tree())
        for value in answers.values():
            session.answer(value)
        if session.done or session.question.id == "tried":
            yield answers
            return
        for option in session.options():
            yield from extend({**answers, session.question.id: option.id})

    yield from extend({"role": "consumer", "problem": problem})


# --- 1. Scenarios --------------------------------------------------------------------------------


@pytest.mark.parametrize("scenario", all_scenarios(), ids=lambda s: s.name)
def test_scenario(scenario: Scenario) -> None:
    result = run_scenario(scenario, cached_tree)
    assert result.passed, f"{scenario.loc}: {'; '.join(result.failures)}"


# --- 2. Coverage ---------------------------------------------------------------------------------


def test_scenarios_reach_every_node_edge_and_option() -> None:
    nodes: set[str] = set()
    edges: set[tuple[str, str, str]] = set()
    options: set[tuple[str, str]] = set()
    for scenario in all_scenarios():
        scenario_tree = cached_tree(scenario.tree)
        if scenario_tree.id != tree().id:
            continue
        session = run_answers(scenario_tree, scenario.answers, defaults=scenario.defaults)
        nodes.update(session.visited())
        edges.update((e.source, e.target, e.key) for e in session.edges())
        for step in session.steps:
            chosen = {step.answer} if isinstance(step.answer, str) else step.answer
            options.update((step.question, option) for option in chosen)
    assert set(tree().nodes) - nodes == set(), "nodes no scenario reaches"
    assert {(e.source, e.target, e.key) for e in tree().edges()} - edges == set(), "edges no scenario follows"
    assert {(q.id, o.id) for q in tree().questions() for o in q.options} - options == set(), "options never chosen"


# --- 3. No invented number, web address or e-mail address ------------------------------------------

#: 110 and 96110 (police, anti-fraud hotline: 公安部国家反诈中心) only on the fraud paths, named in comments.
ALLOWED_NUMBERS = {"95187", "12315", "96110", "110"}
#: Runs of digits, also split by a space or a hyphen or dash (400-123-4567, 021 1234 5678).
DIGITS = re.compile(r"\d(?:[ \-–—]?\d)*")
TIMES = re.compile(r"\b\d{1,2}:\d{2}\b")
URL = re.compile(
    r"https?:|://|\bwww\.|\b[a-z0-9-]+\.(?:com|cn|net|org|gov|edu|io|co|cc|me|info|biz|top|xyz|hk|tw)\b",
    re.IGNORECASE,
)
EMAIL = re.compile(r"[@＠]|\[at\]")


def numbers(text: str, shortest: int) -> list[str]:
    """Digit runs of at least `shortest` digits, other than the two allowed lines (times of day are not numbers)."""
    runs = (re.sub(r"\D", "", m.group()) for m in DIGITS.finditer(TIMES.sub(" ", text)))
    return [run for run in runs if len(run) >= shortest and run not in ALLOWED_NUMBERS]


def test_raw_file_has_no_other_number_no_url_no_email() -> None:
    raw = TREE_FILE.read_text(encoding="utf-8")
    assert numbers(raw, 5) == []
    assert URL.findall(raw) == []
    assert EMAIL.findall(raw) == []


def test_loaded_texts_have_no_other_number_no_url_no_email() -> None:
    found = []
    for where, lang, text in texts(tree()):
        # What a user reads is stricter: any run of 3 digits or more, except the 618 sale, is a number to refuse.
        if [n for n in numbers(text, 3) if n != "618"] or URL.search(text) or EMAIL.search(text):
            found.append((where, lang, text))
    assert found == []


def test_the_check_itself_catches_invented_contacts() -> None:
    bad_ones = ("拨打 400-820-1234", "call 021 6543 2100", "114", "1100", "www.example.cn", "pdd.com", "a@b", "http:")
    for bad in bad_ones:
        assert numbers(bad, 3) or URL.search(bad) or EMAIL.search(bad), bad
    assert numbers("95187, 12315, 96110, 110, 9:00–21:00, 618", 3) == ["618"]
    assert numbers('date: "06-18", "1.0.0"', 5) == []


# --- 4. Plain, bilingual, within the line budget ----------------------------------------------------


def test_first_line_names_the_schema() -> None:
    first = TREE_FILE.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=tree.schema.json"


def test_texts_are_plain_in_both_languages_and_short() -> None:
    languages: dict[str, set[str]] = {}
    for where, lang, text in texts(tree()):
        languages.setdefault(where, set()).add(lang)
        assert text.strip() == text and text, f"{where} ({lang}) is empty or padded"
        assert not re.search(r"[\x00-\x1f\x7f]", text), f"{where} ({lang}) has a control character"
        assert not re.search(r"[\[\]*`<>]|:[a-z_]+:", text), f"{where} ({lang}) looks like markup: {text}"
        assert len(text) <= 200, f"{where} ({lang}) has {len(text)} characters: split it"
    assert {where: langs for where, langs in languages.items() if langs != {"zh", "en"}} == {}
    # The walk over the model really reads it (not vacuously empty): every prompt, title and checklist item.
    some = {f"nodes.{q.id}.prompt" for q in tree().questions()} | {f"nodes.{o.id}.title" for o in tree().outcomes()}
    some |= {f"nodes.{o.id}.prepare[{i}].text" for o in tree().outcomes() for i in range(len(o.prepare))}
    assert some - set(languages) == set()


def test_the_graph_validator_finds_nothing_not_even_a_warning() -> None:
    validate = pytest.importorskip("wizard.rules")
    assert [str(f) for f in validate.check_tree(tree()).findings] == []


# --- 5. Stable ids -------------------------------------------------------------------------------


@pytest.mark.parametrize("question_id", QUESTIONS)
def test_stable_question_and_option_ids(question_id: str) -> None:
    kind, options = QUESTIONS[question_id]
    question = tree().nodes.get(question_id)
    assert isinstance(question, kind)
    assert options <= {o.id for o in question.options}


def test_stable_outcome_ids() -> None:
    assert {o for o in OUTCOMES if not isinstance(tree().nodes.get(o), Outcome)} == set()


def test_every_question_declares_a_default() -> None:
    assert [q.id for q in tree().questions() if q.default is None] == []


# --- 6. Routing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("problem", LADDER_PROBLEMS)
def test_shopper_ladder_for_every_subset_of_steps_tried(problem: str) -> None:
    exhausted = shopper_exhausted(problem)
    for answers in answers_before_tried(problem):
        ladder = shopper_ladder(problem, urgent(answers))
        probe = walk({**answers, "tried": []})
        assert {o.id for o in offered(tree().question("tried"), probe.answers)} == set(ladder), answers
        for tried in subsets(ladder):
            session = walk({**answers, "tried": sorted(tried)})
            assert session.outcome.id == expected_outcome(ladder, tried, exhausted), (answers, tried)
            assert next_step(session) == expected_next(ladder, tried, exhausted), (answers, tried)


@pytest.mark.parametrize("problem", LADDER_PROBLEMS)
def test_a_step_off_the_problems_ladder_is_refused(problem: str) -> None:
    for step in sorted(QUESTIONS["tried"][1] - set(shopper_ladder(problem))):
        with pytest.raises(AnswerError, match="not offered"):
            walk({"role": "consumer", "problem": problem, "tried": [step]}, defaults=True)


@pytest.mark.parametrize("merchant_problem", MERCHANT_LADDER_PROBLEMS)
def test_merchant_ladder_for_every_subset_of_steps_tried(merchant_problem: str) -> None:
    for tried in subsets(MERCHANT_LADDER):
        session = walk({"role": "merchant", "merchant_problem": merchant_problem, "merchant_tried": sorted(tried)})
        assert session.outcome.id == expected_outcome(MERCHANT_LADDER, tried, MERCHANT_ALL_TRIED), tried
        assert next_step(session) == expected_next(MERCHANT_LADDER, tried, MERCHANT_ALL_TRIED), tried


@pytest.mark.parametrize("problem", sorted(OFF_LADDER))
def test_fraud_searched_numbers_and_feedback_never_ask_what_was_tried(problem: str) -> None:
    session = walk({"role": "consumer", "problem": problem}, defaults=True)
    assert session.outcome.id == OFF_LADDER[problem]
    expected = ["role", "problem", "scam_harm"] if problem == "fraud" else ["role", "problem"]
    assert [step.question for step in session.steps] == expected


@pytest.mark.parametrize(
    ("role", "question", "harm_question"),
    [("consumer", "problem", "scam_harm"), ("merchant", "merchant_problem", "merchant_scam_harm")],
)
@pytest.mark.parametrize(("harm", "outcome"), [("gave", "scam_loss"), ("none", None)])
def test_fraud_asks_first_whether_a_code_or_money_was_given(
    role: str, question: str, harm_question: str, harm: str, outcome: str | None
) -> None:
    """Issue 16: the victim's urgent step (the bank, then 110) comes first, as step 1 and 3 of the plan."""
    session = walk({"role": role, question: "fraud", harm_question: harm})
    assert [step.question for step in session.steps] == ["role", question, harm_question]
    expected = outcome or ("merchant_fraud_alert" if role == "merchant" else "fraud_alert")
    assert session.outcome.id == expected
    if harm == "gave":
        how = outcome_content(session.outcome, "zh", session.answers)["how"]
        assert "银行" in how[1] and "110" in how[2], how


def test_the_deadline_is_asked_only_of_refused_disputes() -> None:
    """Issue 16: a stressed user is asked little; the deadline only matters once the merchant refused."""
    for problem in LADDER_PROBLEMS:
        for answers in answers_before_tried(problem):
            assert ("deadline" in answers) == (answers.get("merchant_contact") == "refused"), answers


@pytest.mark.parametrize("deadline", ["close", "unknown"])
@pytest.mark.parametrize("problem", DISPUTES)
def test_a_refused_dispute_near_its_deadline_goes_to_platform_intervention_now(problem: str, deadline: str) -> None:
    answers = {"role": "consumer", "problem": problem, "merchant_contact": "refused", "deadline": deadline, "tried": []}
    session = walk(answers)
    assert session.outcome.id == "platform_intervention"
    text = " ".join(outcome_content(session.outcome, "zh", session.answers)["how"])
    assert "今天就申请" in text


def test_every_rung_of_a_refused_dispute_before_intervention_offers_to_ask_for_it() -> None:
    """Issue 16: the article's own sentence (六) on the rungs a refused dispute meets before intervention."""
    sentence = "我要求平台介入处理这笔交易纠纷"
    for problem in DISPUTES:
        base = {"role": "consumer", "problem": problem, "merchant_contact": "refused", "deadline": "not_close"}
        for tried in ([], ["app_chat"], ["app_chat", "hotline_95187"]):
            session = walk({**base, "tried": tried})
            content = outcome_content(session.outcome, "zh", session.answers)
            assert sentence in " ".join([*content["how"], content["say"] or ""]), (problem, tried)


@pytest.mark.parametrize("problem", ["account", "not_shipped", "product_question"])
def test_issue_16_first_steps(problem: str) -> None:
    """No login: 95187 first; never shipped: Pinduoduo, not the courier; a pre-sale question: the chat."""
    session = walk({"role": "consumer", "problem": problem, "tried": []})
    assert session.outcome.id == {"account": "hotline_95187"}.get(problem, "app_chat")


# --- 7. What each outcome holds --------------------------------------------------------------------


def ladder_outcomes() -> list[Outcome]:
    targets = {e.target for e in tree().edges() if isinstance(tree().nodes[e.source], Ladder)}
    return [o for o in tree().outcomes() if o.id in targets]


def test_the_ladders_lead_to_the_stable_outcomes() -> None:
    assert {o.id for o in ladder_outcomes()} == set(STEP_OUTCOME.values()) | {
        SHOPPER_ALL_TRIED,
        MERCHANT_ALL_TRIED,
        PRESALE_UNANSWERED,
    }


@pytest.mark.parametrize("outcome", ladder_outcomes(), ids=lambda o: o.id)
def test_ladder_outcome_is_a_complete_plan_in_both_languages(outcome: Outcome) -> None:
    for name in ("channel", "say", "if_fails"):
        value = getattr(outcome, name)
        assert isinstance(value, Localized) and set(value.texts) == {"zh", "en"}, f"{outcome.id}: {name}"
    for name in ("how", "prepare", "record"):
        points: tuple[Point, ...] = getattr(outcome, name)
        assert points, f"{outcome.id}: no {name}"
        assert all(set(p.text.texts) == {"zh", "en"} for p in points), f"{outcome.id}: {name}"


@pytest.mark.parametrize("outcome", ladder_outcomes(), ids=lambda o: o.id)
def test_each_rung_names_the_next_one(outcome: Outcome) -> None:
    if outcome.id in (SHOPPER_ALL_TRIED, MERCHANT_ALL_TRIED, PRESALE_UNANSWERED):
        assert outcome.escalates_to is None
        return
    following = tree().nodes.get(outcome.escalates_to or "")
    assert isinstance(following, Outcome) and following.level == outcome.level + 1


@pytest.mark.parametrize("outcome_id", sorted(LEVELS))
def test_levels_and_tones(outcome_id: str) -> None:
    outcome = tree().nodes[outcome_id]
    assert isinstance(outcome, Outcome) and outcome.level == LEVELS[outcome_id]
    assert (outcome.tone == "danger") == (outcome_id in FRAUD_OUTCOMES)


@pytest.mark.parametrize("outcome", list(tree().outcomes()), ids=lambda o: o.id)
def test_every_outcome_mentioning_a_phone_line_warns_about_scams(outcome: Outcome) -> None:
    text = outcome_text(outcome, "zh") + outcome_text(outcome, "en")
    if re.search(r"95187|12315|hotline|热线|电话|phone|call", text, re.IGNORECASE):
        assert outcome.warning is not None, f"{outcome.id} mentions a phone line but has no scam warning"
        assert all(w in outcome.warning.get("zh") for w in ("验证码", "银行密码", "个人账户"))
        assert all(w in outcome.warning.get("en") for w in ("verification code", "bank password", "personal account"))


def test_95187_hours_busy_times_and_phone_menu() -> None:
    hotline = tree().nodes["hotline_95187"]
    assert isinstance(hotline, Outcome) and hotline.schedule == "hotline_95187"
    schedule = tree().schedules["hotline_95187"]
    assert (schedule.timezone, schedule.opens, schedule.closes) == ("Asia/Shanghai", "09:00", "21:00")
    # The two weeks after each sale: from the day after the sale day.
    assert {(b.date, b.days) for b in schedule.busy} == {("06-19", 14), ("11-12", 14)}
    zh, en = outcome_text(hotline, "zh"), outcome_text(hotline, "en")
    for needle in ("9:00", "21:00", "北京时间", "618", "双11", "年货节", "10点", "4点", "语音导航", "售后", "升级处理"):
        assert needle in zh, needle
    for needle in ("9:00", "21:00", "Beijing time", "618", "11.11", "New Year", "10:00", "16:00", "voice menu"):
        assert needle in en, needle


@pytest.mark.parametrize(
    ("day", "busy"),
    [
        ("2026-11-11", False),  # the sale day itself: the after-sales peak has not begun
        ("2026-11-12", True),
        ("2026-11-25", True),  # the fourteenth day
        ("2026-11-26", False),
        ("2026-06-18", False),
        ("2026-06-19", True),
        ("2026-07-02", True),
        ("2026-07-03", False),
    ],
)
def test_the_busy_weeks_are_the_two_after_each_sale(day: str, busy: bool) -> None:
    flags = ("--answer", "role=consumer", "--answer", "problem=after_sales", "--answer", "tried=app_chat")
    result = run_cli("run", *flags, "--defaults", "--lang", "en", "--now", f"{day}T10:00+08:00")
    assert result.status == 0, result.stderr
    assert "Within service hours now: 95187 human service" in result.stdout
    assert ("Busy period" in result.stdout) is busy


@pytest.mark.parametrize(
    ("outcome_id", "needles"),
    [
        ("contact_courier", ("物流信息", "快递单号")),
        ("app_chat", ("个人中心", "官方客服", "转人工", "升级处理")),
        ("hotline_95187", ("95187",)),
        ("platform_intervention", ("申请平台介入", "订单", "上传", "证据")),
        ("email", ("官网", "留言反馈", "邮箱")),
        ("social_media", ("微博", "官方认证")),
        (SHOPPER_ALL_TRIED, ("12315", "书面投诉", "记录")),
        ("fraud_alert", ("验证码", "银行密码", "个人账户", "95187")),
        ("feedback_channel", ("意见反馈", "设置")),
        ("merchant_help_center", ("商家后台", "帮助中心")),
        ("merchant_work_order", ("联系平台", "工单")),
        ("merchant_hotline", ("商家后台", "只拨后台显示的号码")),
        (MERCHANT_ALL_TRIED, ("升级处理",)),
    ],
)
def test_outcome_names_its_channel_and_how_to_reach_it(outcome_id: str, needles: tuple[str, ...]) -> None:
    outcome = tree().nodes[outcome_id]
    assert isinstance(outcome, Outcome)
    assert [n for n in needles if n not in outcome_text(outcome, "zh")] == []


@pytest.mark.parametrize("problem", LADDER_PROBLEMS)
def test_checklist_fits_the_problem_on_every_rung(problem: str) -> None:
    """Phone and order number (no order before buying); tracking number only for a parcel; photos for a faulty item."""
    ladder = shopper_ladder(problem)
    for reached in range(len(ladder) + 1):
        session = walk({"role": "consumer", "problem": problem, "tried": list(ladder[:reached])}, defaults=True)
        if session.outcome.id == PRESALE_UNANSWERED:
            continue  # no order and no call: the product and the question
        content = outcome_content(session.outcome, "en", session.answers)
        prepare = " ".join(content["prepare"]).lower()
        assert "phone number" in prepare, session.outcome.id
        assert ("order number" in prepare) == (problem != "product_question"), session.outcome.id
        if session.outcome.id != "platform_intervention":  # its shipping proof lists tracking numbers for any dispute
            assert ("tracking number" in prepare) == (problem == "logistics"), session.outcome.id
        assert ("photos" in prepare) == (problem in ("quality", "counterfeit", "not_as_described")), session.outcome.id


@pytest.mark.parametrize("outcome_id", ["contact_courier", "app_chat", "hotline_95187", "merchant_hotline"])
def test_conversations_record_the_agent_the_promise_and_the_deadline(outcome_id: str) -> None:
    outcome = tree().nodes[outcome_id]
    assert isinstance(outcome, Outcome)
    record = " ".join(p.text.get("zh") for p in outcome.record)
    assert all(word in record for word in ("时间", "工号", "承诺", "期限")), record


# --- 8. The stable answers plus --defaults always reach an outcome ---------------------------------

ROLE_PROBLEMS = [("consumer", "problem", p) for p in sorted(QUESTIONS["problem"][1])] + [
    ("merchant", "merchant_problem", p) for p in sorted(QUESTIONS["merchant_problem"][1])
]


@pytest.mark.parametrize(("role", "question", "answer"), ROLE_PROBLEMS, ids=[a for _, _, a in ROLE_PROBLEMS])
def test_stable_answers_with_defaults_reach_an_outcome(role: str, question: str, answer: str) -> None:
    args = ["run", "--tree", "pinduoduo", "--answer", f"role={role}", "--answer", f"{question}={answer}"]
    result = run_cli(*args, "--defaults", "--format", "json")
    assert (result.status, result.stderr) == (0, "")
    assert json.loads(result.stdout)["outcome"] in OUTCOMES


def test_the_plan_names_the_next_step_the_answers_leave() -> None:
    """The audit's cases: a question about a product is not sent to a dispute's platform intervention,
    and nobody is sent back to a step they tried."""
    args = ("run", "--tree", "pinduoduo", "--lang", "en", "--answer", "role=consumer")
    product = run_cli(*args, "--answer", "problem=product_question", "--answer", "tried=hotline_95187")
    assert "Next step: Put it in writing" in product.stdout and "Next step: Call" not in product.stdout
    parcel = run_cli(*args, "--answer", "problem=logistics", "--answer", "tried=app_chat,hotline_95187")
    assert "Next step: Put it in writing" in parcel.stdout
    dispute = run_cli(
        *args, "--answer", "problem=quality", "--answer", "tried=app_chat", "--defaults", "--format", "json"
    )
    document = json.loads(dispute.stdout)
    assert (document["outcome"], document["content"]["escalates_to"]) == ("hotline_95187", "platform_intervention")


# --- 9. A plan never contradicts itself; timing, busy times and manner as the article gives them ----------

#: A warning saying that only numbers or channels shown in the app (or the back office) count.
APP_ONLY = {
    "zh": re.compile(r"(电话|号码|渠道)[^。；]*只认[^。；]*(应用|官网|后台)"),
    "en": re.compile(r"\bonly (the )?(platform )?(numbers|channels)[^.;]*\b(app|official site|back office)\b"),
}
#: Steps that send the user to someone other than Pinduoduo: what the how steps name, and what the
#: outcome's own warning must then name instead of "only the app's channels".
OTHER_CHANNELS = {
    "12315": ({"zh": "12315", "en": "12315"}, {"zh": "五位数字", "en": "five digits"}),
    "courier": ({"zh": "快递公司", "en": "courier"}, {"zh": "快递公司", "en": "courier"}),
    "social network": ({"zh": "微博", "en": "Weibo"}, {"zh": "认证", "en": "verified"}),
}
#: Outcomes where the user talks to an agent: the article's advice on manner (sections 六 and 十七).
CONVERSATIONS = ("contact_courier", "app_chat", "hotline_95187", "merchant_hotline")


def how_text(outcome: Outcome, lang: str) -> str:
    return "\n".join([outcome.channel.get(lang), *(p.text.get(lang) for p in outcome.how)])


@pytest.mark.parametrize("outcome", list(tree().outcomes()), ids=lambda o: o.id)
def test_every_outcome_has_a_checklist_a_record_and_a_next_step(outcome: Outcome) -> None:
    for name in ("prepare", "record"):
        points: tuple[Point, ...] = getattr(outcome, name)
        assert points and all(set(p.text.texts) == {"zh", "en"} for p in points), f"{outcome.id}: {name}"
    assert outcome.if_fails is not None and set(outcome.if_fails.texts) == {"zh", "en"}, outcome.id


def test_a_step_to_someone_else_carries_its_own_warning() -> None:
    """12315, the courier and a social network are not in the app: their warning must not say only the app counts."""
    found = set()
    for outcome in tree().outcomes():
        for name, (named, needles) in OTHER_CHANNELS.items():
            if not all(named[lang] in how_text(outcome, lang) for lang in ("zh", "en")):
                continue
            found.add(outcome.id)
            assert outcome.warning is not None, f"{outcome.id} sends the user to {name} without a warning"
            for lang in ("zh", "en"):
                warning = outcome.warning.get(lang)
                assert needles[lang] in warning, f"{outcome.id} ({lang}): the warning does not name {name}"
                assert not APP_ONLY[lang].search(warning), f"{outcome.id} ({lang}): {warning}"
    assert found == {"contact_courier", "social_media", SHOPPER_ALL_TRIED}  # the check is not vacuous


def test_warnings_that_name_only_the_apps_channels_say_whose_channels() -> None:
    """A shared warning limits the platform's own channels, not every channel a plan may use."""
    seen = 0
    for outcome in tree().outcomes():
        for lang, whose in (("zh", ("拼多多的", "平台的")), ("en", ("its app", "platform numbers"))):
            warning = outcome.warning.get(lang) if outcome.warning else ""
            if APP_ONLY[lang].search(warning):
                seen += 1
                assert any(w in warning for w in whose), f"{outcome.id} ({lang}): {warning}"
    assert seen


def test_the_check_for_app_only_warnings_catches_the_old_text() -> None:
    assert APP_ONLY["zh"].search("电话和联系渠道只认拼多多应用内或官网公布的。")
    assert APP_ONLY["en"].search("Use only numbers and channels shown in the app or on the official site.")
    assert not APP_ONLY["en"].search(
        "Trust only the verified account; if an agent contacts you first, check in the app."
    )


def test_platform_intervention_says_when_to_apply() -> None:
    """Within the order's after-sales window (article 十四); no duration the article does not give."""
    outcome = tree().nodes["platform_intervention"]
    assert isinstance(outcome, Outcome) and outcome.hours is not None and outcome.busy is not None
    assert "售后期限" in outcome.hours.get("zh") and "after-sales window" in outcome.hours.get("en")
    assert "售后期限" in outcome.busy.get("zh") and "deadline" in outcome.busy.get("en")
    assert any("售后期限" in p.text.get("zh") for p in outcome.prepare)
    assert not re.search(
        r"\d+\s*(天|小时|个工作日)|\d+\s*(days?|hours?)\b", outcome_text(outcome, "zh") + outcome_text(outcome, "en")
    )


@pytest.mark.parametrize("outcome", [o for o in tree().outcomes() if o.busy], ids=lambda o: o.id)
def test_busy_times_name_holidays_and_the_weeks_after_big_sales(outcome: Outcome) -> None:
    assert outcome.busy is not None
    zh, en = outcome.busy.get("zh"), outcome.busy.get("en")
    assert "节假日" in zh and "holiday" in en.lower(), outcome.id
    assert "一两周" in zh and "week or two" in en, outcome.id


@pytest.mark.parametrize("outcome_id", ["app_chat", "hotline_95187", "merchant_hotline"])
def test_busy_times_say_to_wait_for_the_peak_to_pass_if_not_urgent(outcome_id: str) -> None:
    """The article: if it is not urgent, avoid the peaks. Only the tree's words say so: the 'right now'
    box never tells anyone to wait."""
    outcome = tree().nodes[outcome_id]
    assert isinstance(outcome, Outcome) and outcome.busy is not None
    assert "不急" in outcome.busy.get("zh") and "高峰过去" in outcome.busy.get("zh")
    assert re.search(r"not urgent|can wait", outcome.busy.get("en"), re.IGNORECASE)


def test_every_outcome_with_busy_times_is_covered() -> None:
    assert {o.id for o in tree().outcomes() if o.busy} >= {"app_chat", "hotline_95187", "merchant_hotline"}


@pytest.mark.parametrize("outcome_id", CONVERSATIONS)
def test_talking_to_an_agent_clearly_calmly_with_one_demand(outcome_id: str) -> None:
    outcome = tree().nodes[outcome_id]
    assert isinstance(outcome, Outcome)
    zh, en = how_text(outcome, "zh"), how_text(outcome, "en")
    assert [w for w in ("普通话", "心平气和", "帮你解决问题的人", "一个明确的要求") if w not in zh] == []
    assert [w for w in ("Mandarin", "calm", "someone helping you", "one clear demand") if w not in en] == []


@pytest.mark.parametrize(
    "advice",
    [
        "公开评论里不要贴订单号",  # social_media: privacy
        "订单上的收件人手机号和地址",  # contact_courier: what the courier knows a parcel by
        "银行卡背面或银行官方应用",  # fraud_alert: the bank's own number
    ],
)
def test_advice_not_from_the_article_says_where_it_comes_from(advice: str) -> None:
    """A YAML comment right above the item (within its list entry) says why it is there."""
    lines = TREE_FILE.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if advice in line)
    above = lines[max(0, at - 4) : at]
    assert any(line.lstrip().startswith("#") for line in above), (advice, above)


# --- 10. Issue 16: no advice to wait where waiting hurts -------------------------------------------


@pytest.mark.parametrize(
    "answers",
    [
        ("role=consumer", "problem=fraud", "scam_harm=none"),
        ("role=consumer", "problem=fraud", "scam_harm=gave"),
        ("role=merchant", "merchant_problem=fraud", "merchant_scam_harm=none"),
        ("role=merchant", "merchant_problem=fraud", "merchant_scam_harm=gave"),
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_fraud_plan_never_says_to_wait_for_the_peak(answers: tuple[str, ...], lang: str) -> None:
    flags = [arg for answer in answers for arg in ("--answer", answer)]
    result = run_cli("run", *flags, "--lang", lang, "--now", "2026-11-13T10:00+08:00")  # in a busy period
    assert result.status == 0, result.stderr
    assert not re.search(r"高峰过去|高峰期|peak is over|Busy period|wait it out", result.stdout, re.IGNORECASE)


@pytest.mark.parametrize("outcome", [o for o in tree().outcomes() if o.busy], ids=lambda o: o.id)
def test_busy_advice_never_tells_someone_with_a_deadline_to_wait(outcome: Outcome) -> None:
    """Article 十四: past the deadline even service can rarely help; waiting is only for the non-urgent."""
    assert outcome.busy is not None
    zh, en = outcome.busy.get("zh"), outcome.busy.get("en")
    if "高峰过去" in zh and outcome.id != "merchant_hotline":
        assert "期限" in zh and "deadline" in en, outcome.id


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_right_now_box_is_hedged_and_gives_the_weekday_hint(lang: str) -> None:
    """Article 一 (a person is more likely to answer 9:00–21:00) and 四 (weekdays before 10:00 and after
    16:00 may be easier), read at 13:00 on a weekday in the 11.11 peak, on the 95187 plan."""
    answers = ("role=consumer", "problem=logistics", "tried=courier,app_chat")
    flags = [arg for answer in answers for arg in ("--answer", answer)]
    result = run_cli("run", *flags, "--lang", lang, "--now", "2026-11-13T13:00+08:00")
    assert result.status == 0, result.stderr
    flat = " ".join(result.stdout.split())
    expected = (
        ("这段时间更可能接通人工", "上午 10 点前、下午 4 点后", "排队可能比平时久得多")
        if lang == "zh"
        else ("when a person is more likely to answer", "before 10:00 and after 16:00", "much longer than usual")
    )
    assert [text for text in expected if text not in flat] == [], flat
    assert not re.search(r"没有人工服务|Open now|Closed now|opening time|一开门", flat)


def test_the_95187_hours_are_a_recommendation_not_a_promise() -> None:
    """Article 一: 9:00–21:00 is when a person is more likely to answer."""
    hotline = tree().nodes["hotline_95187"]
    assert isinstance(hotline, Outcome) and hotline.hours is not None
    assert "可能性较大" in hotline.hours.get("zh") and "more likely" in hotline.hours.get("en")
