// Walk the open page once per answers mapping, by clicking its own controls as a person would:
// the options (radio buttons and check boxes), Continue, then "See the plan", then "Start again"
// (or Back to the first question, after a walk stopped on one) for the next walk. arguments[0]: [{question id: option id or [ids]}]; arguments[1], the mode: 'strict'
// (an answer missing or not offered stops the walk), 'defaults' (a question without an answer keeps what
// the page picked beforehand, its default) or 'fallback' (an answer not offered or missing becomes the
// first option offered, or what is offered of the ids).
const walks = arguments[0];
const mode = arguments[1];
const fallback = mode === 'fallback';
const results = [];
const byId = (id) => document.getElementById(id);
for (const answers of walks) {
  const restart = byId('restart');
  if (restart) restart.click();
  // A walk stopped on a question (nothing offered there) has no Start again: Back to the first one.
  for (let turn = 0; turn < 500 && !restart && document.querySelector('form.question') && byId('back'); turn += 1) {
    byId('back').click();
  }
  const asked = [];
  const took = {}; // what was clicked, by question
  let error = null;
  for (let turn = 0; turn < 500 && !byId('plan') && error === null; turn += 1) {
    const form = document.querySelector('form.question');
    if (form === null) {
      if (byId('see-plan')) byId('see-plan').click();
      else error = 'neither a question nor the review';
      continue;
    }
    const question = form.dataset.question;
    asked.push(question);
    const inputs = [...form.querySelectorAll('input[name="answer"]')];
    let want = answers[question];
    if (want === undefined && mode === 'defaults') {
      byId('continue').click();
      continue;
    }
    if (want === undefined && !fallback) {
      error = `'${question}' reached but not answered`;
      break;
    }
    const ids = inputs.map((input) => input.value);
    let wanted = new Set(Array.isArray(want) ? want : want === undefined ? [] : [want]);
    const single = inputs.length > 0 && inputs[0].type === 'radio';
    if ([...wanted].some((id) => !ids.includes(id))) {
      if (!fallback) {
        error = `'${question}': ${[...wanted]} not offered (offered: ${ids})`;
        break;
      }
      wanted = new Set([...wanted].filter((id) => ids.includes(id)));
    }
    if (single && wanted.size === 0 && fallback) wanted = new Set(ids.slice(0, 1));
    for (const input of inputs) if (input.checked !== wanted.has(input.value)) input.click();
    took[question] = single ? [...wanted][0] : [...wanted];
    byId('continue').click();
    const stuck = document.querySelector('form.question .error[role="alert"]');
    if (stuck && !byId('missing')) {
      error = stuck.textContent;
      // The error is on the question shown next, the one with nothing offered: it was asked too.
      const at = stuck.closest('form.question').dataset.question;
      if (at !== question) asked.push(at);
    }
  }
  const plan = byId('plan');
  if (plan === null) {
    results.push({ error: error || 'no plan reached', asked, took });
    continue;
  }
  results.push({
    asked,
    outcome: plan.dataset.outcome,
    next: plan.dataset.next || null,
    level: Number(plan.dataset.level),
    path: [...plan.querySelectorAll('.answers .row')].map((row) => ({
      question: row.dataset.question,
      answer: JSON.parse(row.dataset.answer),
    })),
  });
}
return results;
