// engine.js: the walk through a tree, as wizard/core/engine.py and wizard/core/model.py walk it.
// Pure: no DOM. Answers are a Map of question id -> option id (single choice) or Set of ids
// (multiple choice). Every rule here has its twin in the Python named beside it.

/** A text in `lang`, or in the first language given (model.Localized.get). */
function localized(texts, lang) {
  if (texts == null) return null;
  if (Object.prototype.hasOwnProperty.call(texts, lang)) return texts[lang];
  for (const key of Object.keys(texts)) return texts[key];
  return '';
}

/** Whether a condition holds on the answers (model.Compare/AllOf/AnyOf/Not.holds). */
function holds(condition, answers) {
  if (condition.all) return condition.all.every((c) => holds(c, answers));
  if (condition.any) return condition.any.some((c) => holds(c, answers));
  if (condition.not) return !holds(condition.not, answers);
  const op = condition.op;
  if (op === 'answered') return answers.has(condition.q);
  const got = answers.get(condition.q);
  const values = condition.v;
  if (op === 'is' || op === 'in' || op === 'is_not' || op === 'not_in') {
    const single = typeof got === 'string' ? got : null;
    const inside = values.includes(single);
    return op === 'is' || op === 'in' ? inside : !inside;
  }
  const chosen = got instanceof Set ? got : new Set();
  if (op === 'includes') return values.every((v) => chosen.has(v));
  if (op === 'excludes') return !values.some((v) => chosen.has(v));
  return values.some((v) => chosen.has(v)); // includes_any
}

/** The edges leaving a node, in the order the engine tries them (each kind's `edges`). */
function edgesOf(node) {
  switch (node.kind) {
    case 'single':
      return node.options.map((o) => ({ source: node.id, target: o.next ?? null, key: o.id, when: o.when ?? null }));
    case 'multiple':
      return [{ source: node.id, target: node.next, key: 'next', when: null }];
    case 'route':
      return node.branches.map((b, index) => ({
        source: node.id,
        target: b.next,
        key: b.default ? 'default' : `branch:${index}`,
        when: b.when ?? null,
      }));
    case 'ladder':
      return [
        ...node.rungs.map((r) => ({ source: node.id, target: r.next, key: `rung:${r.step}`, when: r.when ?? null })),
        { source: node.id, target: node.exhausted, key: 'exhausted', when: null },
      ];
    default:
      return [];
  }
}

function asks(node) {
  return node.kind === 'single' || node.kind === 'multiple';
}

/** The options of a question offered given the answers (model.offered). */
function offered(question, answers) {
  return question.options.filter((o) => o.when == null || holds(o.when, answers));
}

/** The edge a route takes: the first conditional branch that holds, else the default (Route.next_edge). */
function routeEdge(route, answers) {
  let fallback = null;
  for (const edge of edgesOf(route)) {
    if (edge.key === 'default') fallback = fallback || edge;
    else if (edge.when != null && holds(edge.when, answers)) return edge;
  }
  return fallback;
}

/** The edge a ladder takes: the first rung on the ladder whose step was not tried (Ladder.next_edge). */
function ladderEdge(ladder, answers) {
  const got = answers.get(ladder.question);
  const tried = got instanceof Set ? got : new Set();
  const edges = edgesOf(ladder);
  for (let index = 0; index < ladder.rungs.length; index += 1) {
    const rung = ladder.rungs[index];
    if (rung.when != null && !holds(rung.when, answers)) continue;
    if (!tried.has(rung.step)) return edges[index];
  }
  return edges[edges.length - 1];
}

/** The walk stopped: the tree, not an answer, is at fault (engine.TreeStuckError, TreeCycleError). */
class WalkError extends Error {}

function target(edge) {
  if (edge.target == null) throw new WalkError(`node '${edge.source}': option '${edge.key}' leads nowhere (no 'next')`);
  return edge.target;
}

/** A tree's data made ready to walk: nodes and schedules by id. */
class Tree {
  constructor(data) {
    this.data = data;
    this.id = data.tree.id;
    this.start = data.tree.start;
    this.languages = data.tree.languages;
    this.nodes = new Map(data.nodes.map((node, index) => [node.id, { ...node, ref: `n${index}` }]));
    this.schedules = new Map(Object.entries(data.schedules || {}));
    this.longest = new Map();
  }

  node(id) {
    const node = this.nodes.get(id);
    if (node === undefined) throw new WalkError(`no node '${id}' in the tree`);
    return node;
  }

  question(id) {
    const node = this.node(id);
    if (!asks(node)) throw new WalkError(`'${id}' is not a question`);
    return node;
  }

  /** The most questions still ahead from a node, itself included (tui.draw.questions_left). */
  questionsLeft(id, visiting = new Set()) {
    if (this.longest.has(id)) return this.longest.get(id);
    const node = this.nodes.get(id);
    if (node === undefined || visiting.has(id)) return 0;
    visiting.add(id);
    const here = asks(node) ? 1 : 0;
    let best = 0;
    for (const edge of edgesOf(node)) best = Math.max(best, this.questionsLeft(edge.target ?? '', visiting));
    visiting.delete(id);
    this.longest.set(id, here + best);
    return here + best;
  }
}

/** An answer as a script writes it: the id, or the ids in the question's option order (engine.format_answer). */
function formatAnswer(question, answer) {
  if (typeof answer === 'string') return answer;
  return question.options.filter((o) => answer.has(o.id)).map((o) => o.id);
}

/** A walk through a tree (engine.Session). */
class Session {
  constructor(tree) {
    this.tree = tree;
    this.steps = [];
    this.remembered = new Map();
    const [node, entry] = this.settle(tree.start, new Map());
    this.node = node;
    this.entry = entry;
  }

  get answers() {
    return new Map(this.steps.map((step) => [step.question, step.answer]));
  }

  get done() {
    return this.node.kind === 'outcome';
  }

  get question() {
    if (!asks(this.node)) throw new Error('the session is at an outcome');
    return this.node;
  }

  options() {
    return offered(this.question, this.answers);
  }

  /** An earlier answer to a question, limited to the options offered now (Session.remembered). */
  rememberedAnswer(questionId) {
    const question = questionId == null ? this.question : this.tree.question(questionId);
    if (!this.remembered.has(question.id)) return null;
    const got = this.remembered.get(question.id);
    const ids = new Set(offered(question, this.answers).map((o) => o.id));
    if (typeof got === 'string') return ids.has(got) ? got : null;
    return new Set([...got].filter((id) => ids.has(id)));
  }

  edges() {
    return [...this.entry, ...this.steps.flatMap((step) => step.edges)];
  }

  visited() {
    return [this.tree.start, ...this.edges().map((edge) => String(edge.target))];
  }

  /** Answer the current question (an option id, or a Set of them) and move on through any routes. */
  answer(value) {
    const question = this.question;
    const valid = new Set(this.options().map((o) => o.id));
    if (question.kind === 'single') {
      if (typeof value !== 'string' || !valid.has(value)) throw new Error(`'${value}' is not offered`);
    } else {
      value = new Set(value);
      for (const id of value) if (!valid.has(id)) throw new Error(`'${id}' is not offered`);
    }
    const key = question.kind === 'single' ? value : 'next';
    const first = edgesOf(question).find((edge) => edge.key === key);
    this.remembered.set(question.id, value);
    const answers = this.answers;
    answers.set(question.id, value);
    const [node, edges] = this.settle(target(first), answers);
    this.steps.push({ question: question.id, answer: value, edges: [first, ...edges] });
    this.node = node;
    return value;
  }

  /** Back to the previous question; its answer stays remembered. False at the first question. */
  back() {
    if (this.steps.length === 0) return false;
    const step = this.steps.pop();
    this.node = this.tree.node(step.question);
    return true;
  }

  /** Follow routes and ladders from a node to a question or an outcome (Session._settle). */
  settle(nodeId, answers) {
    const edges = [];
    let node = this.tree.node(nodeId);
    for (let turn = 0; turn < this.tree.nodes.size + 1; turn += 1) {
      let edge;
      if (node.kind === 'route') {
        edge = routeEdge(node, answers);
        if (edge == null) {
          throw new WalkError(`route '${node.id}': no branch applies and it has no default (see \`pdd-wizard check\`)`);
        }
      } else if (node.kind === 'ladder') {
        edge = ladderEdge(node, answers);
      } else {
        return [node, edges];
      }
      edges.push(edge);
      node = this.tree.node(target(edge));
    }
    throw new WalkError(
      `node '${nodeId}': routes lead round in a circle here, never reaching a question or an outcome; ` +
        'the tree has a cycle (see `pdd-wizard check`)',
    );
  }
}

/** Whether the current question needs asking: a multiple choice with nothing offered is answered
 * empty on its own (tui.interactive._asked). */
function isAsked(session) {
  return !(session.question.kind === 'multiple' && session.options().length === 0);
}

/** The outcome to turn to if the one reached fails (engine.next_step). */
function nextStep(session) {
  const outcome = session.node;
  const answers = session.answers;
  const edges = session.edges();
  for (let index = edges.length - 1; index >= 0; index -= 1) {
    const edge = edges[index];
    const ladder = session.tree.nodes.get(edge.source);
    if (ladder === undefined || ladder.kind !== 'ladder') continue;
    if (!edge.key.startsWith('rung:')) return outcome.escalates_to ?? null;
    const got = answers.get(ladder.question);
    const tried = got instanceof Set ? got : new Set();
    const steps = ladder.rungs.map((rung) => rung.step);
    const taken = edge.key.slice('rung:'.length);
    for (const rung of ladder.rungs.slice(steps.indexOf(taken) + 1)) {
      if (tried.has(rung.step) || (rung.when != null && !holds(rung.when, answers))) continue;
      return rung.next;
    }
    return ladder.exhausted;
  }
  return outcome.escalates_to ?? null;
}
