// plan.js: a finished walk as a plan: its content (wizard/render/plan.py), as the plain text `pdd-wizard run`
// prints, and as the Markdown it saves (wizard/render/markdown.py). Pure: no DOM. The tests compare
// both with the Python output for the same answers and time.

let WORDS = {};

/** The wizard's word `key` in `lang` (English when `lang` has none), `{name}` fields filled (words.word). */
function word(key, lang, values) {
  const texts = WORDS[key] || {};
  const text = Object.prototype.hasOwnProperty.call(texts, lang) ? texts[lang] : texts.en ?? key;
  if (!values) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

// render/text.py: the characters no output carries raw, shown as Python writes their escapes.
const VISIBLE = /\r\n|\t|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/** Tree text that can reorder nothing and move no cursor: every unsafe character as `\x1b`, `\u202e` (text.visible). */
function visible(text) {
  return text.replace(VISIBLE, (char) => {
    if (char === '\r\n') return '\n';
    if (char === '\t') return ' ';
    const code = char.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

// Python's whitespace (str.isspace, and `\s` in its patterns), which JavaScript's `\s` does not quite match.
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_SPACES = new RegExp(`[${PY_SPACE}]+`, 'u');
const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'gu');
const pySplit = (text) => text.split(PY_SPACES).filter((part) => part !== '');
const pyStrip = (text) => text.replace(PY_STRIP, '');

/** The outcome's content in `lang` after a walk, with the next step worked out (plan.session_content). */
function sessionContent(session, lang) {
  const outcome = session.node;
  const answers = session.answers;
  const text = (value) => localized(value, lang);
  const items = (points) =>
    (points || []).filter((p) => p.when == null || holds(p.when, answers)).map((p) => localized(p.text, lang));
  return {
    title: text(outcome.title),
    channel: text(outcome.channel),
    level: outcome.level ?? 0,
    tone: outcome.tone ?? 'info',
    summary: text(outcome.summary),
    how: items(outcome.how),
    hours: text(outcome.hours),
    schedule: outcome.schedule ?? null,
    busy: text(outcome.busy),
    prepare: items(outcome.prepare),
    say: text(outcome.say),
    record: items(outcome.record),
    warning: text(outcome.warning),
    if_fails: text(outcome.if_fails),
    escalates_to: nextStep(session),
  };
}

/** `sessionContent` made safe to show: every text and list item through `visible` (plan.display_content). */
function displayContent(session, lang) {
  const content = sessionContent(session, lang);
  for (const [key, value] of Object.entries(content)) {
    if (typeof value === 'string') content[key] = visible(value);
    else if (Array.isArray(value)) content[key] = value.map(visible);
  }
  return content;
}

/** An answer in words: the option labels, joined, through `visible` (plan.answer_labels). */
function answerLabels(tree, questionId, answer, lang) {
  const question = tree.question(questionId);
  const ids = typeof answer === 'string' ? [answer] : question.options.filter((o) => answer.has(o.id)).map((o) => o.id);
  const labels = question.options.filter((o) => ids.includes(o.id)).map((o) => localized(o.label, lang));
  if (labels.length === 0) return word('none', lang);
  return visible(labels.join(word('comma', lang)));
}

/** The "right now" lines at `epoch`, for a reader in zone `yours`, through `visible` (plan.availability_lines). */
function availabilityLines(session, lang, epoch, yours = readerZone()) {
  const found = forOutcome(session.tree, session.node, epoch);
  return found === null ? [] : describeHours(found, lang, { yours }).map(visible);
}

/** The next rung's node, looked up by the shown id as the Python looks it up. */
function following(session, content) {
  return session.tree.nodes.get(content.escalates_to || '') ?? null;
}

/** A finished walk as plain text, lines whole: what `pdd-wizard run` prints to a pipe (plan.render_text). */
function renderText(session, lang, epoch, yours = readerZone()) {
  const content = displayContent(session, lang);
  const lines = [];
  const put = (text, first = '', rest = null) => {
    let prefix = first;
    const hanging = rest === null ? ' '.repeat(first.length) : rest; // every such prefix is ASCII
    for (const paragraph of text.split('\n')) {
      lines.push((prefix + paragraph).replace(/ +$/, ''));
      prefix = hanging;
    }
  };
  const title = content.title.split('\n');
  const underline = (session.node.underline || {})[lang] ?? 60;
  lines.push(...title, '='.repeat(underline), '');
  put(content.summary);
  lines.push('');
  const colon = word('colon', lang); // "：" in Chinese, as the terminal writes it
  const heading = (key) => word(key, lang) + colon.replace(/ +$/, '');
  put(content.channel, `${word('channel', lang)}${colon}`, '  ');
  const section = (key, items, numbered = false) => {
    if (!items || items.length === 0) return;
    lines.push('', heading(key));
    if (typeof items === 'string') {
      put(items, '  ');
      return;
    }
    items.forEach((item, index) => put(item, numbered ? `  ${index + 1}. ` : '  - '));
  };
  section('how', content.how, true);
  section('hours', content.hours);
  const advice = availabilityLines(session, lang, epoch, yours);
  if (advice.length) {
    lines.push('', heading('now'));
    for (const line of advice) put(line, '  ');
  }
  section('busy', content.busy);
  section('prepare', content.prepare);
  section('say', content.say);
  section('record', content.record);
  section('warning', content.warning);
  const next = following(session, content);
  const nextIsOutcome = next !== null && next.kind === 'outcome';
  if (content.if_fails || nextIsOutcome) {
    lines.push('', heading('if_fails'));
    if (content.if_fails) put(content.if_fails, '  ');
    if (nextIsOutcome) put(visible(localized(next.title, lang)), `  ${word('next_rung', lang)}${colon}`, '    ');
  }
  lines.push('', heading('path'));
  for (const step of session.steps) {
    const question = session.tree.question(step.question);
    const words = answerLabels(session.tree, step.question, step.answer, lang);
    put(`${visible(localized(question.prompt, lang))} ${words}`, '  - ');
  }
  return `${lines.join('\n')}\n`;
}

// render/markdown.py's patterns, with Python's Unicode `\d` and `\s`.
const MD_INLINE = /([\\`*[\]<>&|~])/g;
const MD_UNDERSCORE = /(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])/g;
const MD_LINE_START = /^([#>+=-]|\p{Nd}+(?=[.)]))/u;
const MD_CLOSING_HASHES = new RegExp(`(^|[${PY_SPACE}])(#+)[${PY_SPACE}]*$`, 'u');

/** Tree text as Markdown that shows it literally (markdown.escape). */
function mdEscape(text, lineStart = true) {
  text = visible(text).replace(MD_INLINE, '\\$1').replace(MD_UNDERSCORE, '\\_');
  if (!lineStart && !text.includes('\n')) return text;
  return text
    .split('\n')
    .map((line, number) => {
      if (!(number || lineStart)) return line;
      line = line.replace(/^ +/, '');
      const match = MD_LINE_START.exec(line);
      if (match) {
        const marker = match[1];
        const rest = line.slice(match[0].length);
        line = (/^\p{Nd}/u.test(marker) ? `${marker}\\` : `\\${marker}`) + rest;
      }
      return line;
    })
    .join('\n');
}

function mdHeading(text) {
  const oneLine = mdEscape(pyStrip(visible(text).split('\n').join(' ')));
  return oneLine.replace(MD_CLOSING_HASHES, '$1\\$2');
}

function mdItem(marker, text) {
  const indent = ' '.repeat(marker.endsWith('[ ] ') ? marker.length - 4 : marker.length);
  const [first, ...rest] = mdEscape(text).split('\n');
  return [`${marker}${first}`, ...rest.map((line) => (line ? `${indent}${line}` : ''))].join('\n');
}

function mdLabel(name, value, lang) {
  return lang === 'zh' ? `**${name}**：${value}` : `**${name}:** ${value}`;
}

const mdCell = (text) => mdEscape(pySplit(text).join(' '));

/** A finished walk as the Markdown document `pdd-wizard run --save` writes (markdown.render_markdown),
 * its advice worded for a file read later, with the times also on the clock of the reader's zone `yours`. */
function renderMarkdown(session, lang, epoch, data, yours = readerZone()) {
  const tree = session.tree;
  const content = displayContent(session, lang);
  const out = [`# ${mdHeading(content.title)}`, '', mdEscape(content.summary), ''];
  const colon = word('colon', lang);
  out.push(mdLabel(word('channel', lang), mdEscape(content.channel, false), lang), '');
  const section = (key) => out.push(`## ${word(key, lang)}`, '');
  const found = forOutcome(tree, session.node, epoch);
  if (found !== null) {
    section('now');
    out.push(...describeHours(found, lang, { yours, saved: true }).map((line) => mdItem('- ', line)), '');
  }
  if (content.how.length) {
    section('how');
    out.push(...content.how.map((text, index) => mdItem(`${index + 1}. `, text)), '');
  }
  for (const key of ['hours', 'busy']) {
    if (content[key]) {
      section(key);
      out.push(mdEscape(content[key]), '');
    }
  }
  if (content.prepare.length) {
    section('prepare');
    out.push(...content.prepare.map((text) => mdItem('- [ ] ', text)), '');
  }
  if (content.say) {
    section('say');
    out.push(mdEscape(content.say).split('\n').map((line) => (line ? `> ${line}` : '>')).join('\n'), '');
  }
  if (content.record.length) {
    section('record');
    out.push(...content.record.map((text) => mdItem('- [ ] ', text)), '');
  }
  if (content.warning) {
    section('warning');
    const lines = mdEscape(content.warning).split('\n').map(pyStrip);
    out.push(lines.map((line) => (line ? `> **${line}**` : '>')).join('\n'), '');
  }
  const next = following(session, content);
  if (content.if_fails || next !== null) {
    section('if_fails');
    if (content.if_fails) out.push(mdEscape(content.if_fails), '');
    if (next !== null && next.title !== undefined) {
      out.push(mdLabel(word('next_rung', lang), mdEscape(localized(next.title, lang), false), lang), '');
    }
  }
  section('path');
  out.push(`| ${word('question', lang)} | ${word('answer', lang)} |`, '| --- | --- |');
  for (const step of session.steps) {
    const prompt = localized(tree.question(step.question).prompt, lang);
    const labels = answerLabels(tree, step.question, step.answer, lang);
    out.push(`| ${mdCell(prompt)} | ${mdCell(labels)} |`);
  }
  const zone = found !== null ? found.schedule.timezone : data.service_timezone;
  const version = data.tree.version ? ` ${data.tree.version}` : '';
  out.push(
    '',
    '---',
    '',
    `${word('made', lang)}${colon}${formatMoment(epoch, zone)} · ` +
      `${word('tree', lang)}${colon}${mdEscape(localized(data.tree.title, lang), false)} ` +
      `(${mdEscape(data.tree.id + version, false)}) · pdd-wizard ${data.wizard}`,
    '',
  );
  return out.join('\n');
}
