"""The wizard's own words in every language it speaks (tree text comes from the tree), and `word` to look one up.

One table for every front end: the plan (text, Markdown, panels), the prompts, the diagrams and
the command line. A language without a word gets the English one. Imports nothing: the scripted
run and the command line's start-up read it.
"""

from __future__ import annotations

__all__ = ["WORDS", "word"]

#: Word key -> language -> text; ``{name}`` fields are filled in by `word`.
WORDS: dict[str, dict[str, str]] = {
    # Punctuation that differs by language.
    "colon": {"zh": "：", "en": ": "},
    "comma": {"zh": "、", "en": ", "},
    "with_help": {"zh": "{label}（{help}）", "en": "{label} ({help})"},
    # The plan's section headings.
    "channel": {"zh": "渠道", "en": "Channel"},
    "how": {"zh": "怎么做", "en": "How"},
    "hours": {"zh": "时间", "en": "When"},
    "busy": {"zh": "避开高峰", "en": "Busy times"},
    "prepare": {"zh": "准备", "en": "Prepare"},
    "say": {"zh": "怎么说", "en": "What to say"},
    "record": {"zh": "记录", "en": "Write down"},
    "warning": {"zh": "防骗提醒", "en": "Scam warning"},
    "if_fails": {"zh": "如果不成", "en": "If this fails"},
    "next_rung": {"zh": "下一步", "en": "Next step"},
    "now": {"zh": "现在", "en": "Right now"},
    "path": {"zh": "你的回答", "en": "Your answers"},
    "none": {"zh": "(不选)", "en": "(none)"},
    # The saved Markdown plan.
    "question": {"zh": "问题", "en": "Question"},
    "answer": {"zh": "回答", "en": "Answer"},
    "made": {"zh": "生成时间", "en": "Made"},
    "tree": {"zh": "决策树", "en": "Tree"},
    # The interactive wizard's panels.
    "step": {"zh": "第 {n} 步，共约 {m} 步", "en": "Step {n} of about {m}"},
    "quit_hint": {"zh": "← 返回上一步，Ctrl-C 随时退出", "en": "← goes back, Ctrl-C quits at any time"},
    "level": {"zh": "升级第 {level} 级", "en": "escalation step {level}"},
    "saved_to": {"zh": "已保存：", "en": "Saved: "},
    "not_saved": {"zh": "没有保存。", "en": "Not saved."},
    # The interactive wizard's prompts.
    "back": {"zh": "← 上一步", "en": "← Back"},
    "select_keys": {"zh": "（↑↓ 或数字键选，回车确定）", "en": "(↑↓ or number keys, Enter to choose)"},
    "select_keys_back": {
        "zh": "（↑↓ 或数字键选，回车确定，← 上一步）",
        "en": "(↑↓ or number keys, Enter to choose, ← back)",
    },
    "checkbox_keys": {
        "zh": "（空格或数字键勾选，a 全选，回车确定）",
        "en": "(Space or 1–9 ticks, a all, Enter when done)",
    },
    "checkbox_keys_back": {
        "zh": "（空格或数字键勾选，a 全选，回车确定，← 上一步）",
        "en": "(Space or 1–9 ticks, a all, Enter when done, ← back)",
    },
    "save": {"zh": "把这个方案存成 Markdown 文件吗？", "en": "Save this plan as a Markdown file?"},
    "save_keys": {"zh": "（y/N，← 回去改答案）", "en": "(y/N, ← to change an answer)"},
    "file": {"zh": "文件名：", "en": "File name:"},
    "overwrite": {"zh": "{path} 已经存在，覆盖它吗？", "en": "{path} exists. Overwrite it?"},
    "overwrite_keys": {"zh": "（y/N）", "en": "(y/N)"},
    # The command line.
    "cancelled": {"zh": "已取消", "en": "cancelled"},
    # Diagrams and `show`: conditions in plain words ({q} a question id, {v} option labels, {c} a condition).
    "is": {"zh": "{q}为{v}", "en": "{q} is {v}"},
    "is_not": {"zh": "{q}不为{v}", "en": "{q} is not {v}"},
    "in": {"zh": "{q}为{v}之一", "en": "{q} is one of: {v}"},
    "not_in": {"zh": "{q}不为{v}中任何一项", "en": "{q} is none of: {v}"},
    "includes": {"zh": "{q}包含{v}", "en": "{q} includes {v}"},
    "includes_all": {"zh": "{q}包含{v}", "en": "{q} includes all of: {v}"},
    "excludes": {"zh": "{q}不包含{v}", "en": "{q} does not include {v}"},
    "excludes_all": {"zh": "{q}不包含{v}中任何一项", "en": "{q} includes none of: {v}"},
    "includes_any": {"zh": "{q}包含{v}中任意一项", "en": "{q} includes any of: {v}"},
    "answered": {"zh": "已回答{q}", "en": "{q} was answered"},
    "and": {"zh": " 且 ", "en": " and "},
    "or": {"zh": " 或 ", "en": " or "},
    "list": {"zh": "", "en": " / "},
    "not": {"zh": "非（{c}）", "en": "not ({c})"},
    "quote": {"zh": "「{v}」", "en": "“{v}”"},
    "group": {"zh": "（{c}）", "en": "({c})"},
    # Diagrams and `show`: nodes and edges.
    "any_answer": {"zh": "任意回答", "en": "any answer"},
    "otherwise": {"zh": "其他情况", "en": "otherwise"},
    "not_ticked": {"zh": "未选「{v}」", "en": "not ticked: {v}"},
    "all_tried": {"zh": "都试过了", "en": "all tried"},
    "only_if": {"zh": "（仅当{c}）", "en": "(only if {c})"},
    "offered_if": {"zh": "（仅当{c}时可选）", "en": "(offered only if {c})"},
    "pick_any": {"zh": "（可多选）", "en": "(pick any)"},
    "route": {"zh": "按前面的回答分流", "en": "route by earlier answers"},
    "ladder": {"zh": "第一个还没试过的办法", "en": "first step not yet tried"},
    "rung": {"zh": "第 {n} 级", "en": "level {n}"},
    "see_above": {"zh": "见上文 '{id}'", "en": "see '{id}' above"},
    # The page of `export --format html` (its own words; the plan's come from the blocks above).
    "page_continue": {"zh": "继续", "en": "Continue"},
    "page_pick_one": {"zh": "请选一项再继续。", "en": "Pick one to continue."},
    "page_review": {"zh": "检查你的回答", "en": "Check your answers"},
    "page_change": {"zh": "修改", "en": "Change"},
    "page_see_plan": {"zh": "查看方案", "en": "See the plan"},
    "page_start_again": {"zh": "重新开始", "en": "Start again"},
    "page_change_answers": {"zh": "修改回答", "en": "Change an answer"},
    "page_print": {"zh": "打印", "en": "Print"},
    "page_copy": {"zh": "复制文字", "en": "Copy as text"},
    "page_copied": {"zh": "已复制。", "en": "Copied."},
    "page_copy_failed": {"zh": "无法复制，请手动选择文字。", "en": "Could not copy; select the text by hand."},
    "page_download": {"zh": "下载 Markdown", "en": "Download as Markdown"},
    "page_questions": {"zh": "问答", "en": "Questions"},
    "page_diagram": {"zh": "流程图", "en": "Diagram"},
    "page_views": {"zh": "视图", "en": "View"},
    "page_language": {"zh": "语言", "en": "Language"},
    "page_language_name": {"zh": "中文", "en": "English"},
    "page_diagram_note": {
        "zh": "粉色粗线是你目前走过的路径。",
        "en": "Your path so far is drawn thick, in pink.",
    },
    "page_diagram_label": {"zh": "决策树流程图", "en": "Diagram of the decision tree"},
    "page_fit": {"zh": "适应宽度", "en": "Fit to width"},
    "page_full_size": {"zh": "原始大小", "en": "Full size"},
    "page_stuck": {"zh": "这棵决策树在这里走不下去：{message}", "en": "The tree cannot go on here: {message}"},
    "page_plan_ready": {"zh": "方案：{title}", "en": "Plan: {title}"},
    "page_bad_now": {
        "zh": "网址里的 now={value} 不是 ISO-8601 时间，用的是现在的时间。",
        "en": "now={value} in the address is not an ISO-8601 time; the current time is used.",
    },
    "page_no_script": {
        "zh": "这个页面需要 JavaScript 才能提问。",
        "en": "This page needs JavaScript to ask its questions.",
    },
    # Check your answers, saving them, the keys of a tick-box and the file name (issue 17).
    "review": {"zh": "核对你的回答：选一项可以修改", "en": "Check your answers: pick one to change it"},
    "review_plan": {"zh": "回答无误，查看方案", "en": "These are right: show the plan"},
    "review_again": {"zh": "重新开始", "en": "Start again"},
    "dropped": {
        "zh": "这些问题已不在你的路径上，回答已去掉：{questions}",
        "en": "No longer on your path, so dropped: {questions}",
    },
    "stale": {"zh": "↑ 以上内容已不再适用，以下为准", "en": "↑ what is above no longer holds; see below"},
    "file_keys": {"zh": "（回车保存，清空后回车不保存）", "en": "(Enter to save; clear it not to save)"},
    "answers_saved_to": {"zh": "回答已保存：", "en": "Answers saved: "},
    "answers_not_saved": {"zh": "回答没有保存。", "en": "Answers not saved."},
    "answers_comment": {
        "zh": "pdd-wizard 保存的回答。再走一遍同样的路径：\n{command}",
        "en": "Answers saved by pdd-wizard. To walk this path again:\n{command}",
    },
    "answers_file": {"zh": "回答文件", "en": "Answers file"},
    "replay": {"zh": "用 {command} 可以再走一遍这条路径", "en": "{command} walks this path again"},
    # The plain mode (--plain, TERM=dumb, ACCESSIBLE=1): numbered choices answered by typing.
    "plain_hint": {
        "zh": "输入选项前的数字，再按回车；0 返回上一步。",
        "en": "Type the number of an answer, then Enter; 0 goes back.",
    },
    "plain_colon": {"zh": "：", "en": ": "},
    "plain_back": {"zh": "上一步", "en": "Back"},
    "plain_pick": {"zh": "输入数字后回车", "en": "Type a number, then Enter"},
    "plain_keep": {"zh": "（直接回车选 {n}）", "en": " (Enter alone: {n})"},
    "plain_ticks": {
        "zh": "输入要勾选的数字，用空格或逗号隔开，再按回车",
        "en": "Type the numbers to tick, with spaces or commas between, then Enter",
    },
    "plain_keep_ticks": {"zh": "（直接回车保留 {n}；输入 - 表示都不选）", "en": " (Enter alone keeps {n}; - for none)"},
    "plain_keep_none": {"zh": "（直接回车表示都不选）", "en": " (Enter alone: none)"},
    "plain_ticked": {"zh": "（已勾选）", "en": " (ticked)"},
    "plain_bad_number": {"zh": "请输入 {low} 到 {high} 之间的数字。", "en": "Type a number from {low} to {high}."},
    "plain_yes_no": {"zh": "（输入 y 或 n，再按回车）", "en": "(type y or n, then Enter)"},
    "plain_yes_no_back": {
        "zh": "（输入 y 或 n，再按回车；0 回去改答案）",
        "en": "(type y or n, then Enter; 0 to change an answer)",
    },
    "plain_file": {"zh": "（直接回车用 {name}；输入 - 不保存）", "en": "(Enter alone: {name}; - not to save)"},
    "plain_answer": {"zh": "你的回答：{a}", "en": "Your answer: {a}"},
    # Cases (`pdd-wizard case`): the facts a tree's texts name, and what is missing reads as.
    "fact_missing": {"zh": "【{name}】", "en": "[{name}]"},
    "fact_order_number": {"zh": "订单号", "en": "order number"},
    "fact_last_contact": {"zh": "上次联系的时间和渠道", "en": "time and channel of the last contact"},
    "fact_agent_id": {"zh": "客服工号", "en": "agent ID"},
    "fact_promise": {"zh": "对方的承诺", "en": "what was promised"},
    "fact_last_contact_is": {"zh": "{when}，{channel}", "en": "{when}, {channel}"},
    "fact_promise_is": {"zh": "{promise}（{when} 前）", "en": "{promise} (by {when})"},
    # Cases: the lines before the next step's plan.
    "case_is_closed": {"zh": "这个案件已经结案（{status}）。", "en": "This case is closed ({status})."},
    "case_was_solved": {
        "zh": "{when} 联系{channel}时已经解决：用 pdd-wizard case close {id} --solved 结案。",
        "en": "Solved on {when} ({channel}): close the case with `pdd-wizard case close {id} --solved`.",
    },
    "deadline_passed": {
        "zh": "售后期限 {when} 已经过了：客服通常很难再处理。马上走下面这一步，并保留全部记录。",
        "en": "The after-sales deadline, {when}, has passed: service can rarely help now. Take the step below at "
        "once, and keep every record.",
    },
    "deadline_soon": {
        "zh": "售后期限 {when}，{left}：今天就行动；和商家的纠纷现在就申请平台介入，不要先排队。",
        "en": "The after-sales deadline is {when}, {left}: act today; a dispute with the merchant goes to "
        "platform intervention now, not to a queue.",
    },
    "days_left_0": {"zh": "就是今天", "en": "today"},
    "days_left_1": {"zh": "只剩 1 天", "en": "tomorrow"},
    "days_left_n": {"zh": "只剩 {n} 天", "en": "in {n} days"},
    "promise_waiting": {
        "zh": "等到 {when}，再：{next}（{who}答应在那之前{promise}）。",
        "en": "Wait until {when}, then: {next} ({who} promised {promise} by then).",
    },
    "promise_lapsed": {
        "zh": "{who}答应在 {when} 前{promise}：已经过了期限；下一步：{next}。",
        "en": "{who} promised {promise} by {when}: that has passed; next: {next}.",
    },
    "agent_named": {"zh": "客服 {agent} ", "en": "agent {agent}"},
    "agent_unnamed": {"zh": "客服", "en": "the agent"},
    "something": {"zh": "办好", "en": "to act"},
    "beijing_time": {"zh": "北京时间", "en": "Beijing time"},
    "your_time": {"zh": "（北京时间；你的时间 {mine}）", "en": " (Beijing time; {mine} your time)"},
    # Cases: the timeline, the list and the exports.
    "case": {"zh": "案件 {id}", "en": "Case {id}"},
    "status_open": {"zh": "进行中", "en": "open"},
    "status_solved": {"zh": "已解决", "en": "solved"},
    "status_dropped": {"zh": "已放弃", "en": "dropped"},
    "result_solved": {"zh": "解决了", "en": "solved"},
    "result_refused": {"zh": "被拒绝", "en": "refused"},
    "result_no_answer": {"zh": "没有答复", "en": "no answer"},
    "result_promised": {"zh": "答应了", "en": "promised"},
    "case_status": {"zh": "状态", "en": "Status"},
    "case_opened": {"zh": "立案", "en": "Opened"},
    "case_closed": {"zh": "结案", "en": "Closed"},
    "case_order": {"zh": "订单号", "en": "Order number"},
    "case_deadline": {"zh": "售后期限", "en": "After-sales deadline"},
    "deadline_where": {
        "zh": "售后期限写在商品详情页底部或用户协议里，不同品类可能不同。",
        "en": "The after-sales deadline is at the foot of the product page or in the user agreement; it varies "
        "by category.",
    },
    "case_contacts": {"zh": "联系记录", "en": "Contacts"},
    "case_no_contacts": {"zh": "还没有联系记录。", "en": "No contact logged yet."},
    "case_when": {"zh": "时间", "en": "When"},
    "case_agent": {"zh": "客服工号", "en": "Agent ID"},
    "case_said": {"zh": "沟通内容", "en": "What was said"},
    "case_result": {"zh": "结果", "en": "Result"},
    "case_promise": {"zh": "承诺", "en": "Promise"},
    "case_by": {"zh": "期限", "en": "By"},
    "case_evidence": {"zh": "留存的证据", "en": "Evidence kept"},
    "case_file": {"zh": "文件", "en": "file"},
    "case_next": {"zh": "下一步", "en": "Next"},
    "case_none": {"zh": "没有进行中的案件。", "en": "No open case."},
    "case_overdue": {"zh": "逾期", "en": "overdue"},
    "case_timeline": {"zh": "联系时间线", "en": "Timeline of contacts"},
    "case_cannot_plan": {"zh": "（无法规划）", "en": "(cannot plan)"},
    "case_promise_due": {"zh": "承诺到期：{promise}", "en": "Promise due: {promise}"},
    "case_deadline_event": {"zh": "售后期限：{title}", "en": "After-sales deadline: {title}"},
    # Cases: the interactive `case log`.
    "ask_channel": {"zh": "联系的是哪个渠道？", "en": "Which channel did you contact?"},
    "ask_at": {"zh": "什么时候？（回车表示现在）", "en": "When? (Enter for now)"},
    "ask_agent": {"zh": "客服工号（没有就直接回车）：", "en": "The agent's ID (Enter if none):"},
    "ask_said": {"zh": "说了什么？", "en": "What was said?"},
    "ask_result": {"zh": "结果如何？", "en": "What came of it?"},
    "ask_promise": {"zh": "对方答应了什么？", "en": "What was promised?"},
    "ask_promised_by": {"zh": "答应在什么时候之前？", "en": "Promised by when?"},
    "ask_evidence": {"zh": "留了哪些证据？", "en": "What evidence did you keep?"},
    "ask_evidence_path": {"zh": "「{item}」的文件路径（没有就回车）：", "en": "A file for '{item}' (Enter if none):"},
    "ask_title": {"zh": "给案件起个简短的标题：", "en": "A short title for the case:"},
    "ask_order": {"zh": "订单号（没有就回车）：", "en": "The order number (Enter if none):"},
    "ask_deadline": {
        "zh": "售后期限，年-月-日（不知道就回车）：",
        "en": "The after-sales deadline, YYYY-MM-DD (Enter if unknown):",
    },
    "ask_delete": {"zh": "删除案件 {id} 和它的全部联系记录吗？", "en": "Delete case {id} and all its contacts?"},
    "bad_time": {"zh": "请写成 2026-12-05 18:00 这样的时间", "en": "Write a time such as 2026-12-05 18:00"},
    "case_deleted": {"zh": "已删除。", "en": "deleted."},
    "case_logged": {"zh": "已记录：案件 {id} 的联系 {n}。", "en": "Logged contact {n} to case {id}."},
}


def word(key: str, lang: str, **values: object) -> str:
    """The word `key` in `lang` (English when `lang` has none), with `values` filled into its fields."""
    texts = WORDS[key]
    text = texts.get(lang, texts["en"])
    return text.format(**values) if values else text
