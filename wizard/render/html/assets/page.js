// page.js: the page itself: one question at a time, the check-your-answers list, the plan, the diagram.
// Every text from the tree goes into the page through `textContent` (via `el`), after `visible`;
// nothing is ever parsed as HTML.

const DATA = JSON.parse(document.getElementById('tree-data').textContent);
WORDS = DATA.words;
const TREE = new Tree(DATA);
const LANG_KEY = 'pdd-wizard:lang';

/** An element with attributes, properties (`text`, `value`, `checked`), listeners (`on*`) and children. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'text') node.textContent = value;
    else if (key === 'class') node.className = value;
    else if (key === 'value' || key === 'checked') node[key] = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

/** A text of the tree in the current language, made safe to show. */
function shown(texts) {
  const text = localized(texts, state.lang);
  return text == null ? null : visible(text);
}

const t = (key, values) => word(key, state.lang, values);

// --- Language: the browser's by default, the one chosen kept across a reload ----------------------

function storedLanguage() {
  try {
    return window.localStorage.getItem(LANG_KEY); // may throw on file:// in some browsers, or be off
  } catch (error) {
    return null;
  }
}

function storeLanguage(lang) {
  try {
    window.localStorage.setItem(LANG_KEY, lang);
  } catch (error) {
    // Not kept: the choice still holds until the page is closed.
  }
}

/** zh* gives zh, anything else en, as LANG does for the terminal; a language the tree lacks gives its first. */
function firstLanguage() {
  const stored = storedLanguage();
  if (stored && TREE.languages.includes(stored)) return stored;
  const wanted = (navigator.language || '').toLowerCase().startsWith('zh') ? 'zh' : 'en';
  return TREE.languages.includes(wanted) ? wanted : TREE.languages[0];
}

// --- The clock: the real one, or ?now= to plan ahead ------------------------------------------------

const params = new URLSearchParams(window.location.search);
const fixedNow = parseNow(params.get('now'));
const now = () => (fixedNow === null || Number.isNaN(fixedNow) ? Date.now() : fixedNow);

// --- State -----------------------------------------------------------------------------------------

const state = {
  lang: firstLanguage(),
  session: null,
  view: 'question', // question | review | plan
  error: null, // a walk that cannot go on: the message
  missing: false, // Continue pressed with nothing picked
  keep: null, // while changing an answer: the answers before the change, to apply again where they still can
  replayed: null,
  tab: 'questions',
  fullSize: false,
  copied: null,
};

function start() {
  state.error = null;
  state.keep = null;
  state.view = 'question';
  try {
    state.session = new Session(TREE);
  } catch (error) {
    if (!(error instanceof WalkError)) throw error;
    state.session = null;
    state.error = error.message;
  }
  if (state.session) advance();
}

/** The answer kept from before a change, limited to what is offered now; null when it no longer applies. */
function kept(session) {
  const question = session.question;
  if (state.keep === null || !state.keep.has(question.id) || state.replayed.has(question.id)) return null;
  state.replayed.add(question.id); // a question met again on the way is asked, not answered round and round
  const ids = new Set(session.options().map((o) => o.id));
  const got = state.keep.get(question.id);
  if (typeof got === 'string') return ids.has(got) ? got : null;
  return new Set([...got].filter((id) => ids.has(id)));
}

/** Move on from where the session is: answer what needs no asking, then show a question or the review. */
function advance() {
  const session = state.session;
  while (!session.done) {
    if (!isAsked(session)) {
      session.answer(new Set());
      continue;
    }
    const again = kept(session);
    if (again === null) break;
    session.answer(again);
  }
  if (session.done) {
    if (state.keep !== null) session.remembered = new Map(session.answers); // the unreachable are dropped
    state.keep = null;
    state.view = 'review';
  } else {
    state.view = 'question';
  }
}

function answer(value) {
  const started = performance.now();
  state.missing = false;
  state.error = null;
  try {
    state.session.answer(value);
    advance();
  } catch (error) {
    if (!(error instanceof WalkError)) throw error;
    state.error = error.message; // the session stays at the question, as the engine leaves it
  }
  render(true);
  document.body.getBoundingClientRect(); // style and layout, so the measure covers them
  performance.measure('pdd-step', { start: started, end: performance.now() });
}

/** Back to the previous question really asked (tui.interactive.go_back). */
function goBack() {
  const session = state.session;
  state.error = null;
  state.missing = false;
  if (state.view === 'plan') {
    state.view = 'review';
  } else {
    session.back();
    while (session.steps.length && !session.done && !isAsked(session)) session.back();
    state.view = 'question';
  }
  render(true);
}

function change(index) {
  const session = state.session;
  state.keep = session.answers;
  state.replayed = new Set([session.steps[index].question]);
  while (session.steps.length > index) session.back();
  state.view = 'question';
  state.error = null;
  render(true);
}

// --- Views -----------------------------------------------------------------------------------------

function stepCounter(session) {
  const question = session.question;
  const n = session.steps.length + 1;
  let ahead;
  if (question.kind === 'single') {
    const targets = offered(question, session.answers).filter((o) => o.next).map((o) => o.next);
    ahead = Math.max(0, ...targets.map((id) => TREE.questionsLeft(id)));
  } else {
    ahead = TREE.questionsLeft(question.next);
  }
  return [n, n + ahead];
}

function button(text, onclick, attrs = {}) {
  return el('button', { type: 'button', text, onclick, ...attrs });
}

function errorBox() {
  if (!state.error) return null;
  return el('p', { class: 'error', role: 'alert', text: t('page_stuck', { message: visible(state.error) }) });
}

function questionView() {
  const session = state.session;
  const question = session.question;
  const options = session.options();
  const single = question.kind === 'single';
  const [n, m] = stepCounter(session);
  const remembered = session.rememberedAnswer();
  const picked = single
    ? new Set([typeof remembered === 'string' ? remembered : question.default].filter(Boolean))
    : remembered === null
      ? new Set(question.default || [])
      : remembered;
  const hints = [];
  const choices = el('div', { class: 'choices' });
  options.forEach((option, index) => {
    const id = `choice-${index}`;
    const help = shown(option.help);
    const input = el('input', {
      type: single ? 'radio' : 'checkbox',
      name: 'answer',
      id,
      value: option.id,
      checked: picked.has(option.id),
      'aria-describedby': help ? `${id}-help` : null,
      dataset: { option: option.id },
    });
    choices.append(
      el(
        'label',
        { class: 'choice', for: id },
        input,
        el(
          'span',
          { class: 'choice-text' },
          el('span', { class: 'choice-label', text: shown(option.label) }),
          help ? el('span', { class: 'choice-help', id: `${id}-help`, text: help }) : null,
        ),
      ),
    );
  });
  if (single && options.length === 0) state.error = `question '${question.id}': no option is offered on this path`;
  const help = shown(question.help);
  if (help) hints.push(el('p', { class: 'help', id: 'question-help', text: help }));
  if (!single) hints.push(el('p', { class: 'hint', text: t('pick_any') }));
  const missing = state.missing
    ? el('p', { class: 'error', id: 'missing', role: 'alert', text: t('page_pick_one') })
    : null;
  const form = el(
    'form',
    { class: 'question', novalidate: true, onsubmit: submitQuestion, dataset: { question: question.id } },
    el('p', { class: 'step', text: t('step', { n, m }) }),
    errorBox(),
    el(
      'fieldset',
      { 'aria-describedby': [help ? 'question-help' : null, missing ? 'missing' : null].filter(Boolean).join(' ') || null },
      el('legend', {}, el('h2', { id: 'focus', tabindex: '-1', text: shown(question.prompt) })),
      ...hints,
      missing,
      choices,
    ),
    el(
      'div',
      { class: 'actions' },
      el('button', { type: 'submit', class: 'primary', id: 'continue', text: t('page_continue') }),
      session.steps.length ? button(t('back'), goBack, { id: 'back' }) : null,
    ),
  );
  return { node: form, announce: `${t('step', { n, m })}: ${shown(question.prompt)}` };
}

function submitQuestion(event) {
  event.preventDefault();
  const question = state.session.question;
  const ticked = [...event.currentTarget.querySelectorAll('input[name="answer"]:checked')].map((input) => input.value);
  if (question.kind === 'single') {
    if (ticked.length === 0) {
      state.missing = true;
      render(true);
      return;
    }
    answer(ticked[0]);
  } else {
    answer(new Set(ticked));
  }
}

function answerRows(withChange) {
  const session = state.session;
  const list = el('dl', { class: 'answers' });
  session.steps.forEach((step, index) => {
    const question = TREE.question(step.question);
    const prompt = shown(question.prompt);
    const asked = !(question.kind === 'multiple' && offered(question, answersBefore(index)).length === 0);
    list.append(
      el(
        'div',
        {
          class: 'row',
          dataset: { question: step.question, answer: JSON.stringify(formatAnswer(question, step.answer)) },
        },
        el('dt', { text: prompt }),
        el('dd', { text: answerLabels(TREE, step.question, step.answer, state.lang) }),
        withChange && asked
          ? el(
              'dd',
              { class: 'change' },
              button(t('page_change'), () => change(index), {
                class: 'link',
                'aria-label': `${t('page_change')}: ${prompt}`,
              }),
            )
          : null,
      ),
    );
  });
  return list;
}

/** The answers on the path before step `index` (what its options were offered on). */
function answersBefore(index) {
  return new Map(state.session.steps.slice(0, index).map((step) => [step.question, step.answer]));
}

function reviewView() {
  const node = el(
    'section',
    { class: 'review', 'aria-labelledby': 'focus' },
    el('h2', { id: 'focus', tabindex: '-1', text: t('page_review') }),
    answerRows(true),
    el(
      'div',
      { class: 'actions' },
      button(t('page_see_plan'), () => {
        state.view = 'plan';
        render(true);
      }, { class: 'primary', id: 'see-plan' }),
      button(t('back'), goBack, { id: 'back' }),
      button(t('page_start_again'), restart, { id: 'restart' }),
    ),
  );
  return { node, announce: t('page_review') };
}

function listOf(tag, items, className) {
  return el(tag, { class: className }, ...items.map((item) => el('li', { text: item })));
}

function planSection(key, ...body) {
  return el('section', { class: `part part-${key}` }, el('h3', { text: t(key) }), ...body);
}

function nowList(session) {
  return listOf('ul', availabilityLines(session, state.lang, now()), 'now-lines');
}

function planView() {
  const session = state.session;
  const outcome = session.node;
  const content = displayContent(session, state.lang);
  const parts = [];
  const add = (key, ...body) => parts.push(planSection(key, ...body));
  if (content.how.length) add('how', listOf('ol', content.how));
  if (content.hours) add('hours', el('p', { text: content.hours }));
  if (forOutcome(TREE, outcome, now()) !== null) {
    const box = planSection('now', nowList(session));
    box.id = 'now';
    parts.push(box);
  }
  if (content.busy) add('busy', el('p', { text: content.busy }));
  if (content.prepare.length) add('prepare', listOf('ul', content.prepare, 'checklist'));
  if (content.say) add('say', el('blockquote', {}, el('p', { text: content.say })));
  if (content.record.length) add('record', listOf('ul', content.record, 'checklist'));
  if (content.warning) add('warning', el('p', {}, el('strong', { text: content.warning })));
  const next = following(session, content);
  if (content.if_fails || (next !== null && next.kind === 'outcome')) {
    add(
      'if_fails',
      content.if_fails ? el('p', { text: content.if_fails }) : null,
      next !== null && next.kind === 'outcome'
        ? el('p', { class: 'next-rung' }, el('strong', { text: `${t('next_rung')}${t('colon')}` }), shown(next.title))
        : null,
    );
  }
  add('path', answerRows(false));
  const status = el('p', { class: 'status', role: 'status', id: 'copy-status', text: state.copied || '' });
  const node = el(
    'article',
    {
      class: `plan tone-${content.tone}`,
      id: 'plan',
      'aria-labelledby': 'focus',
      dataset: { outcome: outcome.id, next: content.escalates_to || '', level: String(content.level) },
    },
    el('h2', { id: 'focus', tabindex: '-1', text: content.title }),
    content.level > 0 ? el('p', { class: 'level', text: t('level', { level: content.level }) }) : null,
    el('p', { class: 'summary', text: content.summary }),
    el('p', { class: 'channel' }, el('strong', { text: `${t('channel')}${t('colon')}` }), content.channel),
    ...parts,
    el(
      'div',
      { class: 'actions no-print' },
      button(t('page_print'), () => window.print(), { id: 'print' }),
      button(t('page_copy'), copyText, { id: 'copy' }),
      button(t('page_download'), downloadMarkdown, { id: 'download' }),
      button(t('page_change_answers'), goBack, { id: 'back' }),
      button(t('page_start_again'), restart, { id: 'restart' }),
    ),
    status,
  );
  return { node, announce: t('page_plan_ready', { title: content.title }) };
}

function restart() {
  state.copied = null;
  start();
  render(true);
}

async function copyText() {
  const text = renderText(state.session, state.lang, now());
  let done = false;
  try {
    await navigator.clipboard.writeText(text);
    done = true;
  } catch (error) {
    const area = el('textarea', { class: 'offscreen', readonly: true, 'aria-hidden': 'true' });
    area.value = text;
    document.body.append(area);
    area.select();
    try {
      done = document.execCommand('copy');
    } catch (ignored) {
      done = false;
    }
    area.remove();
  }
  document.getElementById('copy-status').textContent = t(done ? 'page_copied' : 'page_copy_failed');
}

/** The file name the terminal suggests: "pdd-plan-hotline-95187-20261112-1030.md", in Beijing time. */
function planFileName(epoch) {
  const wall = wallParts(wallTime(epoch, DATA.service_timezone));
  const stamp = `${wall.year}${pad(wall.month)}${pad(wall.day)}-${pad(wall.hour)}${pad(wall.minute)}`;
  return `pdd-plan-${state.session.node.id.replace(/_/g, '-').replace(/[^\w.-]/g, '')}-${stamp}.md`;
}

function downloadMarkdown() {
  const epoch = now();
  const text = renderMarkdown(state.session, state.lang, epoch, DATA);
  const url = URL.createObjectURL(new Blob([text], { type: 'text/markdown;charset=utf-8' }));
  const link = el('a', { href: url, download: planFileName(epoch), class: 'offscreen' });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// --- The diagram -----------------------------------------------------------------------------------

function highlightDiagram() {
  for (const box of document.querySelectorAll('.diagram')) box.hidden = box.dataset.lang !== state.lang;
  const svg = document.querySelector(`.diagram[data-lang="${state.lang}"] svg`);
  if (!svg) return;
  for (const marked of svg.querySelectorAll('.on, .here')) marked.classList.remove('on', 'here');
  const session = state.session;
  if (!session) return;
  const ref = (id) => (TREE.nodes.get(id) || {}).ref;
  const mark = (id, name) => {
    const found = document.getElementById(id);
    if (found && svg.contains(found)) found.classList.add(name);
  };
  for (const id of session.visited()) mark(`d-${state.lang}-${ref(id)}`, 'on');
  for (const edge of session.edges()) mark(`d-${state.lang}-${ref(edge.source)}-${ref(edge.target)}`, 'on');
  mark(`d-${state.lang}-${session.node.ref}`, 'here');
  const width = Number(svg.dataset.width || 0);
  svg.style.width = state.fullSize && width ? `${width}px` : '';
  svg.classList.toggle('full', state.fullSize);
}

function diagramControls() {
  document.getElementById('diagram-note').textContent = t('page_diagram_note');
  const zoom = document.getElementById('zoom');
  zoom.textContent = t(state.fullSize ? 'page_fit' : 'page_full_size');
  zoom.setAttribute('aria-pressed', String(state.fullSize));
}

// --- Drawing ---------------------------------------------------------------------------------------

/** A language's name in itself ("中文", "English"), or its code when the wizard has no name for it. */
function languageName(code) {
  const names = WORDS.page_language_name || {};
  return Object.prototype.hasOwnProperty.call(names, code) ? names[code] : code;
}

function header() {
  document.documentElement.lang = state.lang;
  const title = shown(DATA.tree.title);
  document.title = title;
  document.getElementById('title').textContent = title;
  const views = document.getElementById('views');
  views.setAttribute('aria-label', t('page_views'));
  for (const [id, key, tab] of [['view-questions', 'page_questions', 'questions'], ['view-diagram', 'page_diagram', 'diagram']]) {
    const control = document.getElementById(id);
    control.textContent = t(key);
    control.setAttribute('aria-pressed', String(state.tab === tab));
  }
  const langs = document.getElementById('langs');
  langs.setAttribute('aria-label', t('page_language'));
  langs.replaceChildren(
    ...TREE.languages.map((code) =>
      button(languageName(code), () => {
        state.lang = code;
        storeLanguage(code);
        render(false);
      }, { lang: code, 'aria-pressed': String(code === state.lang), dataset: { lang: code } }),
    ),
  );
  document.body.classList.toggle('wide', state.tab === 'diagram'); // the diagram takes the window's width
  document.getElementById('wizard').hidden = state.tab !== 'questions';
  document.getElementById('diagram').hidden = state.tab !== 'diagram';
}

function warnings() {
  if (fixedNow === null || !Number.isNaN(fixedNow)) return null;
  return el('p', { class: 'error', role: 'alert', text: t('page_bad_now', { value: visible(params.get('now')) }) });
}

/** Draw the page for the state; `moved` when the user went to a new step (focus and announce it). */
function render(moved) {
  header();
  let view;
  if (state.session === null) view = { node: errorBox(), announce: state.error };
  else if (state.view === 'plan') view = planView();
  else if (state.view === 'review') view = reviewView();
  else view = questionView();
  document.getElementById('wizard').replaceChildren(...[warnings(), view.node].filter(Boolean));
  highlightDiagram();
  diagramControls();
  if (moved && state.tab === 'questions') {
    const focus = document.getElementById('focus');
    if (focus) focus.focus({ preventScroll: false });
    document.getElementById('announce').textContent = view.announce || '';
  }
}

function showTab(tab) {
  state.tab = tab;
  render(false);
  (tab === 'diagram' ? document.getElementById('zoom') : document.getElementById('focus'))?.focus();
}

document.getElementById('view-questions').addEventListener('click', () => showTab('questions'));
document.getElementById('view-diagram').addEventListener('click', () => showTab('diagram'));
document.getElementById('zoom').addEventListener('click', () => {
  state.fullSize = !state.fullSize;
  render(false);
});
// The "right now" box follows the clock while the plan is open (a fixed ?now= never moves).
setInterval(() => {
  const box = document.getElementById('now');
  if (box && state.view === 'plan' && fixedNow === null) box.querySelector('ul').replaceWith(nowList(state.session));
}, 30000);

/** For scripts and tests: the page's own functions on answers given as a script gives them. */
function scripted(answers) {
  const session = new Session(TREE);
  while (!session.done) {
    const question = session.question;
    if (!Object.prototype.hasOwnProperty.call(answers, question.id)) throw new Error(`'${question.id}' not answered`);
    const value = answers[question.id];
    session.answer(Array.isArray(value) ? new Set(value) : value);
  }
  return session;
}

window.pddWizard = Object.freeze({
  markdown: (answers, lang, epoch) => renderMarkdown(scripted(answers), lang, epoch, DATA),
  text: (answers, lang, epoch) => renderText(scripted(answers), lang, epoch),
  now: (lang, outcomeId, epoch, saved = false) => {
    const found = forOutcome(TREE, TREE.node(outcomeId), epoch);
    return found === null ? null : describeHours(found, lang, { yours: readerZone(), saved });
  },
});

start();
render(false);
document.documentElement.classList.add('ready');
performance.mark('pdd-ready');
