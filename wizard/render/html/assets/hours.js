// hours.js: whether a channel is within its hours at a moment, as wizard/core/hours.py works it out,
// in the schedule's own time zone whatever the browser's (Intl.DateTimeFormat with timeZone).
// Times are kept as "wall" milliseconds: the schedule's local date and time read as if it were
// UTC, so that adding days and minutes is wall-clock arithmetic, as Python's aware datetimes do
// within one zone, and a difference of two of them is what Python's subtraction gives.
// The reader's own zone is the browser's: when its clock differs from the schedule's, the advice
// also gives the times on it, as `describe(..., yours=...)` does for the terminal's reader.

// The words of `describe` and `format_moment`, in one place: keep them the same as hours.py's.
const HOURS_WORDS = {
  zh: {
    zone: { 'Asia/Shanghai': '北京时间' },
    always: '全天',
    daily: (opens, closes) => `每天 ${opens}–${closes}`,
    openAlways: (a) => `人工服务时段：${a.channel}（${a.hours}）。`,
    state: {
      now: ['现在不在人工服务时段', '现在在人工服务时段内'],
      saved: ['保存时不在人工服务时段', '保存时在人工服务时段内'],
    },
    clockOpen: (a) => `现在是${a.zone} ${a.now}，离结束还有 ${a.left}。`,
    clockClosed: (a) => `现在是${a.zone} ${a.now}，${a.day} ${a.at} 开始，还有 ${a.left}；`,
    savedOpen: (a) => `当时是${a.zone} ${a.today} ${a.now}，${a.at} 结束。`,
    savedClosed: (a) => `当时是${a.zone} ${a.today} ${a.now}，${a.day} ${a.at} 开始；`,
    line: (a) =>
      `${a.state}：${a.channel}（${a.zone}${a.hours}${a.open ? '，这段时间更可能接通人工' : ''}）。${a.clock}` +
      `${a.open ? '' : '这段时间以外，接通人工的可能性较小。'}`,
    // The reader's own clock, when it is not the schedule's (hours._yours).
    yours: (a) =>
      `（按你的当地时间：${a.saved ? '当时' : '现在'} ${a.now}，` +
      `${a.dated ? `${a.date} ` : ''}${a.then} ${a.open ? '结束' : '开始'}。）`,
    busy: (a) => `正值高峰期（${a.name}，到 ${a.until}）：排队可能比平时久得多。联系前先把要点写好。`,
    today: '今天',
    tomorrow: '明天',
    date: (month, day) => `${month}月${day}日`,
    hoursMinutes: (h, m) => `${h} 小时 ${m} 分钟`,
    hoursOnly: (h) => `${h} 小时`,
    minutesOnly: (m) => `${m} 分钟`,
  },
  en: {
    zone: { 'Asia/Shanghai': 'Beijing time' },
    always: 'around the clock',
    daily: (opens, closes) => `${opens}–${closes} daily`,
    openAlways: (a) => `Service hours: ${a.channel} (${a.hours}).`,
    state: {
      now: ['Outside service hours now', 'Within service hours now'],
      saved: ['Outside service hours when saved', 'Within service hours when saved'],
    },
    clockOpen: (a) => `It is ${a.now} there; the hours end in ${a.left}.`,
    clockClosed: (a) => `It is ${a.now} there; the hours start ${a.day} at ${a.at}, in ${a.left}.`,
    savedOpen: (a) => `It was ${a.now} on ${a.today} there; the hours end at ${a.at}.`,
    savedClosed: (a) => `It was ${a.now} on ${a.today} there; the hours start on ${a.day} at ${a.at}.`,
    line: (a) =>
      `${a.state}: ${a.channel} (${a.hours}, ${a.zone}${a.open ? ', when a person is more likely to answer' : ''}). ` +
      `${a.clock}${a.open ? '' : ' Outside them a person is less likely to answer.'}`,
    // The reader's own clock, when it is not the schedule's (hours._yours).
    yours: (a) =>
      ` (Your time: ${a.saved ? 'it was' : 'it is'} ${a.now}; they ${a.open ? 'end' : 'start'} ` +
      `${a.dated ? `on ${a.date} at` : 'at'} ${a.then}.)`,
    busy: (a) =>
      `Busy period (${a.name}, until ${a.until}): queues may be much longer than usual. ` +
      'Write your points down before you get in touch.',
    today: 'today',
    tomorrow: 'tomorrow',
    months: [
      'January', 'February', 'March', 'April', 'May', 'June',
      'July', 'August', 'September', 'October', 'November', 'December',
    ],
    date(month, day) {
      return `${day} ${this.months[month - 1]}`;
    },
    hoursMinutes: (h, m) => `${h} h ${m} min`,
    hoursOnly: (h) => `${h} h`,
    minutesOnly: (m) => `${m} min`,
  },
};

const MINUTE = 60 * 1000;
const DAY_MS = 24 * 60 * MINUTE;
const DAY_MINUTES = 24 * 60;
const formatters = new Map();

/** The wall-clock reading of `epoch` (ms) in `zone`, as wall milliseconds; throws RangeError for an unknown zone. */
function wallTime(epoch, zone) {
  if (!formatters.has(zone)) {
    formatters.set(
      zone,
      new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        era: 'short',
      }),
    );
  }
  const parts = {};
  for (const part of formatters.get(zone).formatToParts(new Date(epoch))) parts[part.type] = part.value;
  let year = Number(parts.year);
  if (parts.era === 'BC' || parts.era === 'B') year = 1 - year;
  const wall = new Date(0);
  wall.setUTCFullYear(year, Number(parts.month) - 1, Number(parts.day));
  wall.setUTCHours(Number(parts.hour) % 24, Number(parts.minute), Number(parts.second), ((epoch % 1000) + 1000) % 1000);
  return wall.getTime();
}

function wallParts(wall) {
  const d = new Date(wall);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  };
}

/** Wall milliseconds of a calendar date's midnight, or null when there is no such date (Python's date() refusing it). */
function dateWall(year, month, day) {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return d.getTime();
}

const pad = (n) => String(n).padStart(2, '0');
const clock = (wall) => `${pad(wallParts(wall).hour)}:${pad(wallParts(wall).minute)}`;

/** The busy period a date falls in, with its last day; periods may cross the new year (hours.busy_period). */
function busyPeriod(schedule, dayWall) {
  const year = wallParts(dayWall).year;
  for (const period of schedule.busy) {
    for (const y of [year, year - 1]) {
      const start = dateWall(y, period.month, period.day);
      if (start === null) continue;
      const last = start + (period.days - 1) * DAY_MS;
      if (start <= dayWall && dayWall <= last) return { period, last };
    }
  }
  return null;
}

/** A schedule read at `epoch` (hours.availability); the schedule's minutes were worked out at export. */
function availability(schedule, epoch) {
  const local = wallTime(epoch, schedule.timezone);
  const parts = wallParts(local);
  const opens = schedule.opens_minutes;
  const closes = schedule.closes_minutes;
  const minute = parts.hour * 60 + parts.minute;
  const midnight = dateWall(parts.year, parts.month, parts.day);
  const at = (dayOffset, minutes) => midnight + dayOffset * DAY_MS + minutes * MINUTE;
  const found = busyPeriod(schedule, midnight);
  const result = { schedule, epoch, now: local, open: false, closesAt: null, opensAt: null, busy: null, busyUntil: null };
  if (found) Object.assign(result, { busy: found.period, busyUntil: found.last });
  if (opens % DAY_MINUTES === closes % DAY_MINUTES) return Object.assign(result, { open: true });
  if (opens < closes) {
    if (opens <= minute && minute < closes) return Object.assign(result, { open: true, closesAt: at(0, closes) });
    return Object.assign(result, { opensAt: minute < opens ? at(0, opens) : at(1, opens) });
  }
  if (minute >= opens) return Object.assign(result, { open: true, closesAt: at(1, closes) });
  if (minute < closes) return Object.assign(result, { open: true, closesAt: at(0, closes) });
  return Object.assign(result, { opensAt: at(0, opens) });
}

/** The availability of an outcome's channel, or null without a usable schedule (hours.for_outcome). */
function forOutcome(tree, outcome, epoch) {
  const schedule = outcome.schedule ? tree.schedules.get(outcome.schedule) : null;
  if (schedule == null) return null;
  try {
    return availability(schedule, epoch);
  } catch (error) {
    if (error instanceof RangeError) return null; // a zone this browser does not know
    throw error;
  }
}

function hoursWords(lang) {
  return lang === 'zh' ? HOURS_WORDS.zh : HOURS_WORDS.en;
}

function durationWords(ms, lang) {
  const total = Math.max(0, Math.ceil(ms / MINUTE)); // rounded up: a second before 9:00 opens "in 1 min"
  const hours = Math.floor(total / 60);
  const minutes = total % 60;
  const w = hoursWords(lang);
  if (hours && minutes) return w.hoursMinutes(hours, minutes);
  return hours ? w.hoursOnly(hours) : w.minutesOnly(minutes);
}

function dateWords(wall, lang) {
  const p = wallParts(wall);
  return hoursWords(lang).date(p.month, p.day);
}

function dayWords(when, now, lang) {
  const days = Math.round((dateWall(wallParts(when).year, wallParts(when).month, wallParts(when).day) -
    dateWall(wallParts(now).year, wallParts(now).month, wallParts(now).day)) / DAY_MS);
  if (days === 0) return hoursWords(lang).today;
  if (days === 1) return hoursWords(lang).tomorrow;
  return dateWords(when, lang);
}

/** The epoch of a wall time in `zone`, as Python reads an aware time with fold=0: an ambiguous time is
 * the first of the two, and one in a gap takes the offset from before the change. */
function wallEpoch(wall, zone) {
  const before = wall - (wallTime(wall - DAY_MS, zone) - (wall - DAY_MS));
  const after = wall - (wallTime(wall + DAY_MS, zone) - (wall + DAY_MS));
  const fits = [before, after].filter((epoch) => wallTime(epoch, zone) === wall);
  return fits.length ? Math.min(...fits) : before;
}

/** The reader's time zone: the browser's own, or null when it does not say. */
function readerZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
}

/** The same moments on the reader's clock (zone `yours`) when it is not the schedule's, else '' (hours._yours). */
function yoursWords(found, change, yours, lang, saved) {
  if (yours == null) return '';
  const now = wallTime(found.epoch, yours);
  if (now - found.epoch === found.now - found.epoch) return ''; // the same offset at this moment
  const then = wallTime(wallEpoch(change, found.schedule.timezone), yours);
  const day = (wall) => dateWall(wallParts(wall).year, wallParts(wall).month, wallParts(wall).day);
  return hoursWords(lang).yours({
    saved,
    open: found.open,
    now: clock(now),
    then: clock(then),
    date: dateWords(then, lang),
    dated: saved || day(now) !== day(then),
  });
}

/** The advice in words: a line on the hours, the schedule's easier-times hint, a busy-period line (hours.describe).
 * `yours` is the reader's time zone (the times are also given on its clock when it differs from the
 * schedule's); `saved` words it for a file read later: dates and clock times, never "today" or "in 10 h". */
function describeHours(found, lang, { yours = null, saved = false } = {}) {
  const w = hoursWords(lang);
  const schedule = found.schedule;
  const always = schedule.opens_minutes % DAY_MINUTES === schedule.closes_minutes % DAY_MINUTES;
  const a = {
    channel: localized(schedule.channel, lang),
    zone: Object.prototype.hasOwnProperty.call(w.zone, schedule.timezone) ? w.zone[schedule.timezone] : schedule.timezone,
    now: clock(found.now),
    hours: always ? w.always : w.daily(schedule.opens, schedule.closes),
    open: found.open,
  };
  const change = found.open ? found.closesAt : found.opensAt;
  const hints = [];
  if (schedule.easier) hints.push(localized(schedule.easier, lang));
  if (found.busy !== null && found.busyUntil !== null) {
    hints.push(w.busy({ name: localized(found.busy.name, lang), until: dateWords(found.busyUntil, lang) }));
  }
  if (change === null) return [w.openAlways(a), ...hints];
  a.at = clock(change);
  if (saved) {
    Object.assign(a, { day: dateWords(change, lang), today: dateWords(found.now, lang) });
    a.clock = found.open ? w.savedOpen(a) : w.savedClosed(a);
  } else {
    Object.assign(a, { day: dayWords(change, found.now, lang), left: durationWords(change - found.now, lang) });
    a.clock = found.open ? w.clockOpen(a) : w.clockClosed(a);
  }
  a.state = w.state[saved ? 'saved' : 'now'][found.open ? 1 : 0];
  return [w.line(a) + yoursWords(found, change, yours, lang, saved), ...hints];
}

/** A moment for a saved plan: "2026-11-12 10:30 (Asia/Shanghai, UTC+08:00)" (hours.format_moment). */
function formatMoment(epoch, zone) {
  const wall = wallTime(epoch, zone);
  const p = wallParts(wall);
  const offset = Math.round((wall - epoch) / MINUTE);
  const sign = offset < 0 ? '-' : '+';
  const size = Math.abs(offset);
  return (
    `${String(p.year).padStart(4, '0')}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)} ` +
    `(${zone}, UTC${sign}${pad(Math.floor(size / 60))}:${pad(size % 60)})`
  );
}

/** `?now=` as a moment: an ISO-8601 time; one without a zone is Beijing time (hours.parse_now). */
function parseNow(value) {
  if (value == null) return null;
  // A '+' in an address reads as a space: "10:30 08:00" is "10:30+08:00".
  let text = value.trim().replace(/ (\d\d:?\d\d)$/, '+$1').replace(' ', 'T');
  if (!/(Z|[+-]\d\d:?\d\d)$/i.test(text) && /T/.test(text)) text += '+08:00';
  else if (!/T/.test(text)) text += 'T00:00+08:00';
  const epoch = Date.parse(text);
  if (Number.isNaN(epoch)) return NaN;
  const year = new Date(epoch).getUTCFullYear();
  return year >= 1900 && year <= 2999 ? epoch : NaN;
}
