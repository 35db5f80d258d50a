// The annual task lists and their supervision (督办): their pages, over
// /api/v1/task-lists and /api/v1/tasks.  Texts in TEXT (中文 first), pages
// in PAGES by route: #/tasks (the lists, filtered in the hash), #/tasks/{code}
// (one task, its reports and 督办 notes, and the writes the reader may make)
// and #/todo (what a department, or a leader, has to act on now).
//
// The API decides what is overdue (滞后) on a day: every read passes the
// hash's ?today= when there is one, so a page can be seen as on a given day
// and the tests do not depend on the clock; writes always use the server's.
import {
  state, t, h, api, all, pool, optional, nf, isNum, unitText, table, sampleBadge, periodName, hrefOf, render,
  setQuery, catalogue, nameOf, needRole, ROLE_RANK, MONTHS_EN, mayTodo,
} from './app.js';

export const TEXT = {
  zh: {
    tasksTitle: '任务清单与督办', tasksAsOf: '截至{d}', taskLists: '任务清单',
    taskCount: '共 {n} 项任务', taskNone: '没有符合条件的任务。', taskAllLists: '全部清单',
    taskAllDepts: '全部单位', taskAllStatus: '全部状态', taskList: '清单', taskStatus: '状态', taskSort: '排序',
    taskSort_late: '滞后优先', taskSort_deadline: '按完成时限', taskSort_code: '按编号',
    tstatus_not_started: '未开始', tstatus_in_progress: '推进中', tstatus_done: '已完成', tstatus_late: '滞后',
    tstatus_closed: '已销号',
    taskCode: '编号', taskCodeStatus: '编号 / 状态', taskTargetOnly: '目标', taskSep: '；', taskTitle: '任务', taskDept: '责任单位', taskLeader: '牵头领导', taskDeadline: '完成时限',
    taskTarget: '目标与进度', taskNotesOpen: '待答复督办', taskNoDept: '未指定单位',
    onTimeTitle: '各单位按时完成率', onTimeHint: '按时完成率 = 按期完成的任务 ÷ 已到期或已完成的任务。',
    onTimeTasks: '任务数', onTimeDue: '应完成', onTimeOnTime: '按时完成', onTimeRate: '按时完成率',
    onTimeLate: '滞后', onTimeNotes: '待答复督办',
    taskLateBy: '已逾期 {n} 天', taskDueIn: '还剩 {n} 天', taskLateBy1: '已逾期 1 天', taskDueIn1: '还剩 1 天', taskDueToday: '今天到期',
    lateDeadline: '已超过完成时限', lateMilestone: '有节点逾期未完成',
    taskFacts: '基本情况', taskAchieved: '已完成量', taskDoneOn: '完成日期', taskSource: '来源',
    taskStatusSet: '填报状态', taskMilestones: '节点安排', msSeq: '序号', msName: '节点', msDue: '计划完成',
    msDone: '实际完成', msOverdue: '逾期', msOnTrack: '未到期', msDoneBadge: '已完成', msNone: '没有节点安排。',
    taskReports: '进展报告', repDay: '日期', repText: '进展情况', repAchieved: '完成量', repActor: '报送人',
    repNone: '还没有进展报告。', taskBack: '返回任务清单',
    taskNotes: '督办意见', noteNone: '还没有督办意见。', noteHidden: '该任务有 {n} 条督办意见，内容仅对工作人员公开。',
    noteBy: '{a} · {d}', noteDue: '答复期限 {d}', noteAwaiting: '待答复', noteOverdue: '逾期未答复',
    noteAnswer: '答复', noteAnsweredBy: '{a} 于{d}答复',
    writeReport: '报送进展', reportText: '进展情况', reportAchieved: '累计完成量（可选）', reportSubmit: '报送',
    reportAdded: '已报送进展。', changeStatus: '变更状态', statusTo: '变为', statusSubmit: '确认变更',
    statusNone: '当前状态不能再变更。', statusChanged: '状态已变为“{s}”。', statusLeaderOnly: '（限领导）',
    writeNote: '写督办意见', noteText: '督办意见', noteDueLabel: '答复期限', noteSubmit: '发出督办',
    noteAdded: '已发出督办意见。', answerText: '答复内容', answerSubmit: '提交答复', answerAdded: '已提交答复。',
    field_text: '请填写内容。', field_due: '答复期限须是今天或以后的日期。', field_answer: '请填写答复内容。',
    field_achieved: '完成量须是不小于零的数字。', field_status: '当前状态不允许这样变更。',
    todoTitle: '我的待办', todoNeedsRole: '我的待办需要以责任单位填报员、领导或管理员身份登录。',
    todoNoDept: '该账号未绑定责任单位，没有待办事项。', todoDept: '{d}的待办',
    todoTasks: '逾期和30天内到期的任务', todoTasksNone: '没有逾期或30天内到期的任务。',
    todoNotes: '待答复的督办意见', todoNotesNone: '没有待答复的督办意见。',
    prjTodoNotes: '待答复的项目督办意见', prjTodoNotesNone: '没有待答复的项目督办意见。',
    todoProjects: '需要处理的重点项目', todoProjectsNone: '没有滞后或缺报的重点项目。',
    tphase_planning: '谋划', tphase_signed: '签约', tphase_started: '开工', tphase_building: '在建',
    tphase_completed: '竣工', tphase_operating: '投产',
    projBehind: '投资滞后于年度计划', projOverdue: '有节点逾期', projNoReport: '未报{p}月报',
    todoMyNotes: '我发出的督办意见', todoMyOpen: '待答复', todoMyAnswered: '已答复', todoMyNone: '还没有发出督办意见。',
    todoLate: '各单位滞后任务', todoLateNone: '没有滞后的任务。', todoAct: '去处理',
    todoCounts: '逾期或将到期任务 {a} 项 · 待答复督办 {b} 条 · 需处理项目 {c} 个',
    todoLeaderCounts: '待答复督办 {a} 条 · 已答复 {b} 条 · 滞后任务 {c} 项',
  },
  en: {
    tasksTitle: 'Task lists and supervision', tasksAsOf: 'as of {d}', taskLists: 'Task lists',
    taskCount: '{n} tasks', taskNone: 'No task matches.', taskAllLists: 'All lists',
    taskAllDepts: 'All departments', taskAllStatus: 'Any status', taskList: 'List', taskStatus: 'Status', taskSort: 'Sort',
    taskSort_late: 'Overdue first', taskSort_deadline: 'By deadline', taskSort_code: 'By code',
    tstatus_not_started: 'Not started', tstatus_in_progress: 'In progress', tstatus_done: 'Done', tstatus_late: 'Overdue',
    tstatus_closed: 'Closed',
    taskCode: 'Code', taskCodeStatus: 'Code / status', taskTargetOnly: 'Target', taskSep: '; ', taskTitle: 'Task', taskDept: 'Department', taskLeader: 'Lead leader', taskDeadline: 'Deadline',
    taskTarget: 'Target and progress', taskNotesOpen: 'Notes to answer', taskNoDept: 'No department',
    onTimeTitle: 'On-time rate by department', onTimeHint: 'On-time rate = tasks finished by their deadline ÷ tasks due or finished.',
    onTimeTasks: 'Tasks', onTimeDue: 'Due', onTimeOnTime: 'On time', onTimeRate: 'On-time rate',
    onTimeLate: 'Overdue', onTimeNotes: 'Notes to answer',
    taskLateBy: '{n} days overdue', taskDueIn: '{n} days left', taskLateBy1: '1 day overdue', taskDueIn1: '1 day left', taskDueToday: 'due today',
    lateDeadline: 'past its deadline', lateMilestone: 'a milestone is overdue',
    taskFacts: 'Facts', taskAchieved: 'Achieved', taskDoneOn: 'Finished on', taskSource: 'Source',
    taskStatusSet: 'Status reported', taskMilestones: 'Milestones', msSeq: 'No.', msName: 'Milestone', msDue: 'Due',
    msDone: 'Done on', msOverdue: 'Overdue', msOnTrack: 'Not yet due', msDoneBadge: 'Done', msNone: 'No milestones.',
    taskReports: 'Progress reports', repDay: 'Day', repText: 'Progress', repAchieved: 'Achieved', repActor: 'Reported by',
    repNone: 'No progress report yet.', taskBack: 'Back to the task lists',
    taskNotes: 'Supervision notes (督办)', noteNone: 'No supervision note yet.',
    noteHidden: 'This task has {n} supervision notes; their text is shown to staff only.',
    noteBy: '{a} · {d}', noteDue: 'answer due {d}', noteAwaiting: 'Awaiting answer', noteOverdue: 'Answer overdue',
    noteAnswer: 'Answer', noteAnsweredBy: 'answered by {a} on {d}',
    writeReport: 'Report progress', reportText: 'Progress', reportAchieved: 'Achieved so far (optional)', reportSubmit: 'Report',
    reportAdded: 'Progress reported.', changeStatus: 'Change status', statusTo: 'To', statusSubmit: 'Change',
    statusNone: 'The status can no longer change.', statusChanged: 'Status changed to “{s}”.', statusLeaderOnly: ' (leaders)',
    writeNote: 'Write a supervision note', noteText: 'Supervision note', noteDueLabel: 'Answer due', noteSubmit: 'Send note',
    noteAdded: 'Supervision note sent.', answerText: 'Answer', answerSubmit: 'Send answer', answerAdded: 'Answer sent.',
    field_text: 'Please write the text.', field_due: 'The answer is due today or later.', field_answer: 'Please write the answer.',
    field_achieved: 'Achieved is a figure of zero or more.', field_status: 'The status cannot change that way now.',
    todoTitle: 'My to-do', todoNeedsRole: 'The to-do view needs a department clerk, a leader or an administrator to sign in.',
    todoNoDept: 'This account belongs to no department: nothing to do.', todoDept: 'To-do of the {d}',
    todoTasks: 'Tasks overdue or due within 30 days', todoTasksNone: 'No task is overdue or due within 30 days.',
    todoNotes: 'Supervision notes to answer', todoNotesNone: 'No supervision note awaits an answer.',
    prjTodoNotes: 'Supervision notes on projects to answer', prjTodoNotesNone: 'No supervision note on a project awaits an answer.',
    todoProjects: 'Key projects to act on', todoProjectsNone: 'No key project is behind or missing a report.',
    tphase_planning: 'planning', tphase_signed: 'signed', tphase_started: 'started', tphase_building: 'under construction',
    tphase_completed: 'completed', tphase_operating: 'in operation',
    projBehind: 'investment behind the year’s plan', projOverdue: 'a milestone is overdue', projNoReport: 'no report for {p}',
    todoMyNotes: 'Supervision notes I wrote', todoMyOpen: 'Awaiting answer', todoMyAnswered: 'Answered', todoMyNone: 'You have written no supervision note.',
    todoLate: 'Overdue tasks of all departments', todoLateNone: 'No task is overdue.', todoAct: 'Act on it',
    todoCounts: 'tasks overdue or due soon: {a} · notes to answer: {b} · projects to act on: {c}',
    todoLeaderCounts: 'notes awaiting an answer: {a} · answered: {b} · overdue tasks: {c}',
  },
};

const STATUSES = ['not_started', 'in_progress', 'late', 'done', 'closed'];
const isLeader = (u) => !!u && (ROLE_RANK[u.role] ?? 0) >= ROLE_RANK.leader;

// A message for the next drawing of a page: what the last write did.
let flash = null;

// ---- days ------------------------------------------------------------------

// '2026-06-30' -> 2026年6月30日 / 30 Jun 2026.
function dayName(d) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d || '');
  if (!m) return d || '—';
  return state.lang === 'zh' ? `${+m[1]}年${+m[2]}月${+m[3]}日` : `${+m[3]} ${MONTHS_EN[+m[2] - 1]} ${m[1]}`;
}

const dayNumber = (d) => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10)) / 86400e3;
const daysFrom = (today, d) => dayNumber(d) - dayNumber(today);
const addDays = (d, n) => new Date((dayNumber(d) + n) * 86400e3).toISOString().slice(0, 10);

// The day the API judges on: the hash's ?today, else the server's date.
async function serverToday(r) {
  return (await api('tasks/summary', { by: 'list', today: r.query.today })).today;
}

// ---- small parts -------------------------------------------------------------

const statusBadge = (s) => h('span', { class: `tstatus tstatus-${s}`, 'data-testid': 'task-status', 'data-status': s },
  t(`tstatus_${s}`));
const deptName = (cat, code) => (code ? nameOf(cat.dept.get(code)) || code : t('taskNoDept'));
const taskHref = (code, query = {}) => hrefOf(`/tasks/${encodeURIComponent(code)}`, query);
const withUnit = (v, unit) => {
  const u = unitText(unit);
  const n = nf(v, Number.isInteger(v) ? 0 : 2);
  return u ? (state.lang === 'zh' ? `${n}${u}` : `${n} ${u}`) : n;
};

// 'achieved / target unit' and a bar, or a dash when there is no target.
function targetCell(x) {
  if (!isNum(x.target)) return h('td', { class: 'target' }, '—');
  const got = isNum(x.achieved) ? x.achieved : 0;
  const p = x.target > 0 ? Math.min(100, (got / x.target) * 100) : 100;
  return h('td', { class: 'target' },
    h('span', { class: 'num' }, `${nf(got, Number.isInteger(got) ? 0 : 2)} / ${withUnit(x.target, x.unit)}`),
    h('span', { class: 'tbar', role: 'img', 'aria-label': `${nf(p, 0)}%` }, h('span', { style: `width:${p}%` })));
}

// How far the deadline is: 已逾期 12 天 / 还剩 5 天.
function deadlineNote(x, today) {
  if (['done', 'closed'].includes(x.status) || !today) return null;
  const n = daysFrom(today, x.deadline);
  if (n < 0) return h('span', { class: 'late-by' }, t(n === -1 ? 'taskLateBy1' : 'taskLateBy', { n: -n }));
  return h('span', { class: 'muted due-in' }, n === 0 ? t('taskDueToday') : t(n === 1 ? 'taskDueIn1' : 'taskDueIn', { n }));
}

// Why a task is overdue: past its deadline, a milestone past due.
const why = (x) => (x.overdue.length
  ? h('span', { class: 'why bad' }, x.overdue.map((w) => t(w === 'milestone' ? 'lateMilestone' : 'lateDeadline')).join(t('taskSep')))
  : null);

function select(id, label, value, options, key) {
  return [h('label', { for: id }, label),
    h('select', { id, onchange: (e) => setQuery({ [key]: e.target.value }) },
      options.map(([v, text]) => h('option', { value: v, selected: v === (value || '') }, text)))];
}

// ---- #/tasks: the lists -----------------------------------------------------------

const SORTS = {
  late: (a, b) => (b.status === 'late') - (a.status === 'late') || a.deadline.localeCompare(b.deadline) || a.code.localeCompare(b.code),
  deadline: (a, b) => a.deadline.localeCompare(b.deadline) || a.code.localeCompare(b.code),
  code: (a, b) => a.code.localeCompare(b.code),
};

async function listsPage(r) {
  const cat = await catalogue();
  const q = r.query;
  const today = q.today;
  const sort = SORTS[q.sort] ? q.sort : 'late';
  const [lists, tasks, byDept] = await Promise.all([
    all({ path: 'task-lists', query: { today } }),
    all({ path: 'tasks', query: { list: q.list, department: q.department, status: q.status, today } }),
    api('tasks/summary', { by: 'department', today }),
  ]);
  tasks.sort(SORTS[sort]);
  const shown = q.list ? lists.filter((l) => l.code === q.list) : lists;

  const counts = (l) => h('ul', { class: 'tcounts', 'data-testid': 'list-counts' },
    STATUSES.map((s) => h('li', { class: `tstatus-${s}`, 'data-status': s },
      h('a', { href: hrefOf('/tasks', { ...q, list: l.code, status: s }) },
        h('b', { class: 'num', 'data-testid': 'count' }, String(l.status[s] ?? 0)), ` ${t(`tstatus_${s}`)}`))));
  // The status beside the code: on a phone, where the table scrolls, the
  // first column is what stays in sight.
  const row = (x) => h('tr', {
    class: x.status === 'late' ? 'late' : null, 'data-code': x.code, 'data-status': x.status, 'data-testid': 'task-row',
  },
  h('td', { class: 'code' }, x.code, h('br'), statusBadge(x.status)),
  h('td', { class: 'title' }, h('a', { href: taskHref(x.code, { today }) }, x.title)),
  h('td', { class: 'dept' }, deptName(cat, x.department)),
  h('td', null, x.leader || '—'),
  h('td', null, dayName(x.deadline), h('br'), deadlineNote(x, byDept.today), why(x)),
  targetCell(x),
  h('td', { class: 'num' }, x.notes_open ? h('span', { class: 'notes-open' }, String(x.notes_open)) : '—'));
  const head = [t('taskCodeStatus'), t('taskTitle'), t('taskDept'), t('taskLeader'), t('taskDeadline'), t('taskTarget'),
    { text: t('taskNotesOpen'), cls: 'num' }];

  const sections = shown.map((l) => {
    const mine = tasks.filter((x) => x.list === l.code);
    return h('section', { class: 'panel tlist', 'data-list': l.code, 'data-testid': 'task-list' },
      h('h2', null, l.name, ' ', sampleBadge(l.sample)),
      h('p', { class: 'meta' }, [l.kind, t('taskCount', { n: l.tasks })].filter(Boolean).join(' · ')),
      counts(l),
      mine.length ? table(head, mine.map(row), { class: 'tasks', 'data-testid': 'tasks' })
        : h('p', { class: 'muted' }, t('taskNone')));
  });

  const rate = (g) => (g.due ? `${g.on_time}/${g.due} · ${nf(g.on_time_pct, 1)}%` : '—');
  const onTime = h('section', { class: 'panel ontime', 'data-testid': 'on-time' },
    h('h2', null, t('onTimeTitle')),
    h('p', { class: 'hint' }, t('onTimeHint')),
    table([t('taskDept'), { text: t('onTimeTasks'), cls: 'num' }, { text: t('onTimeDue'), cls: 'num' },
      { text: t('onTimeOnTime'), cls: 'num' }, { text: t('onTimeRate'), cls: 'num' }, { text: t('onTimeLate'), cls: 'num' },
      { text: t('onTimeNotes'), cls: 'num' }],
    byDept.items.map((g) => h('tr', { 'data-department': g.key || '' },
      h('td', null, h('a', { href: hrefOf('/tasks', { ...q, department: g.key }) }, deptName(cat, g.key))),
      h('td', { class: 'num' }, String(g.tasks)), h('td', { class: 'num' }, String(g.due)),
      h('td', { class: 'num' }, String(g.on_time)), h('td', { class: 'num strong', 'data-testid': 'rate' }, rate(g)),
      h('td', { class: `num${g.overdue ? ' bad' : ''}` }, String(g.overdue)),
      h('td', { class: 'num' }, String(g.notes_open))))));

  const depts = byDept.items.filter((g) => g.key).map((g) => [g.key, deptName(cat, g.key)]);
  return h('div', { class: 'page tasks-page' },
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, t('tasksTitle')),
        h('p', { class: 'meta' }, t('tasksAsOf', { d: dayName(byDept.today) }), ' · ', t('taskCount', { n: tasks.length }),
          lists.some((l) => l.sample) ? [' ', sampleBadge()] : null))),
    h('div', { class: 'controls' },
      select('tasks-list', t('taskList'), q.list, [['', t('taskAllLists')], ...lists.map((l) => [l.code, l.name])], 'list'),
      select('tasks-dept', t('taskDept'), q.department, [['', t('taskAllDepts')], ...depts], 'department'),
      select('tasks-status', t('taskStatus'), q.status, [['', t('taskAllStatus')], ...STATUSES.map((s) => [s, t(`tstatus_${s}`)])], 'status'),
      select('tasks-sort', t('taskSort'), sort, Object.keys(SORTS).map((s) => [s, t(`taskSort_${s}`)]), 'sort')),
    sections, onTime);
}

// ---- #/tasks/{code}: one task ---------------------------------------------------------

// The status a task may go to from the one set, and whether only a leader may.
const MOVES = {
  not_started: [['in_progress'], ['done']],
  in_progress: [['done']],
  done: [['closed', true], ['in_progress', true]],
  closed: [],
};

// A form that posts to the API: fields by the name the API's errors use,
// the error shown next to the field it names (the message starts with it:
// 'due: ...'), else under the button.  After a success the page is drawn
// again with what the server now holds.
function writeForm({ id, title, fields, button, path, body, done }) {
  const msg = h('p', { class: 'form-msg', role: 'status', 'aria-live': 'polite', 'data-testid': `${id}-msg` });
  const errs = {};
  const rows = fields.map((f) => {
    const fid = `${id}-${f.name}`;
    errs[f.name] = h('p', { class: 'field-error', id: `${fid}-err`, role: 'alert', 'data-testid': `${id}-${f.name}-error` });
    f.el.id = fid;
    f.el.name = f.name;
    f.el.setAttribute('aria-describedby', `${fid}-err`);
    return h('div', { class: 'field' }, h('label', { for: fid }, f.label), f.el, errs[f.name]);
  });
  const submit = h('button', { type: 'submit', class: 'button solid', 'data-testid': `${id}-submit` }, button);
  const clear = () => {
    msg.textContent = '';
    msg.className = 'form-msg';
    for (const f of fields) { errs[f.name].textContent = ''; f.el.removeAttribute('aria-invalid'); }
  };
  const form = h('form', {
    class: 'tform', 'data-testid': `${id}-form`, novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      clear();
      submit.disabled = true;
      try {
        await api(path, {}, { method: 'POST', body: body() });
        flash = done;
        await render();
      } catch (err) {
        const name = err.field || /^(\w+):/.exec(err.message || '')?.[1];
        const f = fields.find((x) => x.name === name);
        const text = f && TEXT.zh[`field_${name}`] ? `${t(`field_${name}`)}（${err.message}）` : err.message;
        if (f) {
          errs[name].textContent = text;
          f.el.setAttribute('aria-invalid', 'true');
          f.el.focus();
        } else {
          msg.textContent = text;
          msg.className = 'form-msg error';
        }
        submit.disabled = false;
      }
    },
  }, rows, h('div', { class: 'actions' }, submit, msg));
  return h('section', { class: 'panel twrite', 'data-testid': `${id}-panel` }, h('h2', null, title), form);
}

function noteItem(n, { mayAnswer, code, focus }) {
  const answer = n.answer
    ? h('div', { class: 'answer', 'data-testid': 'answer' },
      h('p', { class: 'answer-meta muted' }, t('noteAnsweredBy', { a: n.answered_by || '', d: dayName(n.answered_on) })),
      h('p', { class: 'answer-text' }, n.answer))
    : h('span', { class: `badge ${n.overdue ? 'note-late' : 'note-open'}`, 'data-testid': 'note-state' },
      t(n.overdue ? 'noteOverdue' : 'noteAwaiting'));
  const text = h('textarea', { rows: 3 });
  const form = !n.answer && mayAnswer ? writeForm({
    id: `answer-${n.id}`, title: t('noteAnswer'), button: t('answerSubmit'),
    fields: [{ name: 'answer', label: t('answerText'), el: text }],
    path: `tasks/${encodeURIComponent(code)}/notes/${n.id}/answer`, body: () => ({ answer: text.value.trim() }),
    done: t('answerAdded'),
  }) : null;
  return h('li', {
    class: `note${n.answer ? ' answered' : ''}${n.overdue ? ' late' : ''}${focus ? ' focus' : ''}`,
    id: `note-${n.id}`, 'data-testid': 'note', 'data-note': n.id,
  },
  h('p', { class: 'note-meta' }, h('b', null, t('noteBy', { a: n.author, d: dayName(n.day) })), ' · ',
    h('span', { class: n.overdue ? 'bad' : 'muted' }, t('noteDue', { d: dayName(n.due) }))),
  h('p', { class: 'note-text', 'data-testid': 'note-text' }, n.text),
  answer, form);
}

async function taskPage(r) {
  const cat = await catalogue();
  const code = r.parts[1];
  const today = r.query.today;
  const [x, lists, now] = await Promise.all([
    api(`tasks/${encodeURIComponent(code)}`, { today }),
    optional(all({ path: 'task-lists', query: { today } })),
    serverToday({ query: {} }),
  ]);
  const list = (lists || []).find((l) => l.code === x.list);
  const u = state.user;
  const owner = u?.role === 'department' && !!u.department_id && cat.dept.get(x.department)?.id === u.department_id;
  const leader = isLeader(u);
  const mayWrite = owner || leader;
  const message = flash;
  flash = null;

  const facts = [
    [t('taskList'), list ? list.name : x.list],
    [t('taskDept'), deptName(cat, x.department)],
    [t('taskLeader'), x.leader || '—'],
    [t('taskDeadline'), [dayName(x.deadline), ' ', deadlineNote(x, today || now)]],
    [t('taskTargetOnly'), isNum(x.target) ? withUnit(x.target, x.unit) : '—'],
    [t('taskAchieved'), isNum(x.achieved) ? withUnit(x.achieved, x.unit) : '—'],
    [t('taskStatusSet'), t(`tstatus_${x.status_set}`)],
    x.done_on ? [t('taskDoneOn'), dayName(x.done_on)] : null,
    x.source ? [t('taskSource'), h('span', { class: 'source' }, x.source)] : null,
  ].filter(Boolean);

  const milestones = h('section', { class: 'panel' }, h('h2', null, t('taskMilestones')),
    x.milestones.length
      ? table([t('msSeq'), t('msName'), t('msDue'), t('msDone'), t('taskStatus')], x.milestones.map((m) => h('tr', {
        class: m.overdue ? 'late' : null, 'data-testid': 'milestone', 'data-overdue': m.overdue ? '1' : '0',
      },
      h('td', { class: 'num' }, String(m.seq)), h('td', { class: 'title' }, m.name), h('td', null, dayName(m.due)),
      h('td', null, m.done_on ? dayName(m.done_on) : '—'),
      h('td', null, h('span', { class: `tstatus tstatus-${m.done_on ? 'done' : m.overdue ? 'late' : 'in_progress'}` },
        t(m.done_on ? 'msDoneBadge' : m.overdue ? 'msOverdue' : 'msOnTrack'))))), { class: 'milestones' })
      : h('p', { class: 'muted' }, t('msNone')));

  const staff = u && (ROLE_RANK[u.role] ?? 0) >= ROLE_RANK.department;
  const reports = h('section', { class: 'panel' }, h('h2', null, t('taskReports')),
    x.reports.length
      ? table([t('repDay'), t('repText'), { text: t('repAchieved'), cls: 'num' }, staff ? t('repActor') : null].filter(Boolean),
        [...x.reports].reverse().map((p) => h('tr', { 'data-testid': 'report' },
          h('td', null, dayName(p.day)), h('td', { class: 'title' }, p.text, ' ', sampleBadge(p.sample)),
          h('td', { class: 'num' }, isNum(p.achieved) ? withUnit(p.achieved, x.unit) : '—'),
          staff ? h('td', null, p.actor || '—') : null)), { class: 'reports' })
      : h('p', { class: 'muted' }, t('repNone')));

  // The writes the reader may make: a report and a status change by the
  // owner (or a leader), a supervision note by a leader.
  const writes = [];
  if (mayWrite && x.status_set !== 'closed') {
    const text = h('textarea', { rows: 3 });
    const achieved = h('input', { type: 'number', min: 0, step: 'any', inputmode: 'decimal' });
    writes.push(writeForm({
      id: 'report', title: t('writeReport'), button: t('reportSubmit'),
      fields: [{ name: 'text', label: t('reportText'), el: text },
        isNum(x.target) ? { name: 'achieved', label: `${t('reportAchieved')}${x.unit ? ` · ${unitText(x.unit)}` : ''}`, el: achieved } : null].filter(Boolean),
      path: `tasks/${encodeURIComponent(code)}/reports`,
      body: () => ({ text: text.value.trim(), achieved: achieved.value === '' ? null : Number(achieved.value) }),
      done: t('reportAdded'),
    }));
  }
  const moves = (MOVES[x.status_set] || []).filter(([, lead]) => !lead || leader);
  if (mayWrite && moves.length) {
    const to = h('select', null, moves.map(([s, lead]) => h('option', { value: s }, `${t(`tstatus_${s}`)}${lead ? t('statusLeaderOnly') : ''}`)));
    writes.push(writeForm({
      id: 'status', title: t('changeStatus'), button: t('statusSubmit'),
      fields: [{ name: 'status', label: t('statusTo'), el: to }],
      path: `tasks/${encodeURIComponent(code)}/status`, body: () => ({ status: to.value }),
      done: t('statusChanged', { s: t(`tstatus_${moves.find(([s]) => s === to.value)?.[0] || to.value}`) }),
    }));
  }
  if (leader) {
    const text = h('textarea', { rows: 3 });
    const due = h('input', { type: 'date', value: now ? addDays(now, 7) : '' });
    writes.push(writeForm({
      id: 'note', title: t('writeNote'), button: t('noteSubmit'),
      fields: [{ name: 'text', label: t('noteText'), el: text }, { name: 'due', label: t('noteDueLabel'), el: due }],
      path: `tasks/${encodeURIComponent(code)}/notes`, body: () => ({ text: text.value.trim(), due: due.value }),
      done: t('noteAdded'),
    }));
  }

  const focus = Number(r.query.note) || 0;
  const notes = h('section', { class: 'panel notes', 'data-testid': 'notes' }, h('h2', null, t('taskNotes')),
    x.notes
      ? (x.notes.length
        ? h('ol', { class: 'note-list' }, x.notes.map((n) => noteItem(n, { mayAnswer: owner || u?.role === 'admin', code, focus: n.id === focus })))
        : h('p', { class: 'muted' }, t('noteNone')))
      : h('p', { class: 'muted', 'data-testid': 'notes-hidden' }, x.notes_n ? t('noteHidden', { n: x.notes_n }) : t('noteNone')));

  // What the last write did, where the focus lands once the page stands
  // again (the form that had it is gone).
  const shown = message ? h('p', { class: 'form-msg ok flash', role: 'status', tabindex: -1, 'data-testid': 'flash' }, message) : null;
  const el = h('div', { class: 'page task-page', 'data-code': x.code },
    h('p', { class: 'crumbs' }, h('a', { href: hrefOf('/tasks', { list: x.list, today }) }, `← ${t('taskBack')}`)),
    h('div', { class: 'page-head' },
      h('div', null,
        h('h1', null, x.title),
        h('p', { class: 'meta' }, h('span', { class: 'code' }, x.code), ' ', statusBadge(x.status), ' ',
          why(x), ' ',
          sampleBadge(x.sample)))),
    shown,
    h('div', { class: 'task-grid' },
      h('div', { class: 'task-main' },
        h('section', { class: 'panel' }, h('h2', null, t('taskFacts')),
          h('dl', { class: 'tfacts' }, facts.map(([k, v]) => [h('dt', null, k), h('dd', null, v)]))),
        milestones, reports),
      h('div', { class: 'task-side' }, notes, writes)));
  el.addEventListener('mounted', () => {
    shown?.focus();
    if (focus) document.getElementById(`note-${focus}`)?.scrollIntoView({ block: 'center' });
  });
  return el;
}

// ---- #/todo: what to act on ---------------------------------------------------------------

const item = (href, main, ...rest) => h('li', { 'data-testid': 'todo-item' },
  h('a', { href }, main), rest.length ? h('span', { class: 'todo-sub' }, rest) : null);
const block = (title, testid, items, none) => h('section', { class: 'panel todo-block', 'data-testid': testid },
  h('h2', null, title, ' ', h('span', { class: 'count-pill num' }, String(items.length))),
  items.length ? h('ul', { class: 'todo-list' }, items) : h('p', { class: 'muted' }, none));

// The details (with notes) of the tasks given, a few at a time.
const details = (tasks, today) => pool(tasks.map((x) => () => api(`tasks/${encodeURIComponent(x.code)}`, { today })), 6);

async function todoPage(r) {
  const cat = await catalogue();
  const u = state.user;
  if (!mayTodo(u)) return needRole('todoNeedsRole');
  const today = await serverToday(r);
  const asOf = r.query.today;
  const lateTag = (x) => [statusBadge(x.status), ' ', deadlineNote(x, today)];
  if (u.role !== 'department') return leaderTodo(cat, u, today, asOf, lateTag);
  const dept = cat.depts.find((d) => d.id === u.department_id);
  if (!dept) return needRole('todoNoDept');

  // The notes on its projects come answered or not from one route, which
  // keeps a department to its own projects.
  const [tasks, projects, prjNotes] = await Promise.all([
    all({ path: 'tasks', query: { department: dept.code, today: asOf } }),
    optional(api('projects', { department: dept.code, limit: 1000, today: asOf })),
    optional(api('projects/notes', { open: 1, today: asOf })),
  ]);
  const prjOpen = [...(prjNotes?.items || [])].sort((a, b) => a.due.localeCompare(b.due));
  const soon = tasks.filter((x) => x.status === 'late'
    || (!['done', 'closed'].includes(x.status) && daysFrom(today, x.deadline) <= 30))
    .sort(SORTS.late);
  const withNotes = await details(tasks.filter((x) => x.notes_open > 0), asOf);
  const open = withNotes.flatMap((x) => (x.notes || []).filter((n) => !n.answer).map((n) => ({ x, n })))
    .sort((a, b) => a.n.due.localeCompare(b.n.due));

  // Projects behind plan, with a milestone overdue, or building and without
  // a report for the month the roll-up runs to (the latest month reported).
  // Their details say whether plans and reports are sample data.
  const upto = (projects?.period || '').split('/').pop();
  const asked = (projects?.items || []).filter((p) => p.flags.length || ['started', 'building'].includes(p.phase));
  const full = await pool(asked.map((p) => () => optional(api(`projects/${encodeURIComponent(p.code)}`, { today: asOf }))), 6);
  const acts = asked.map((p, k) => {
    const d = full[k];
    const missing = d && upto && ['started', 'building'].includes(p.phase) && !d.reports.some((m) => m.period === upto);
    const sample = p.sample || [d?.plans, d?.reports, d?.milestones].some((a) => (a || []).some((x) => x.sample));
    return {
      p, sample,
      why: [p.flags.includes('behind') && t('projBehind'), p.flags.includes('overdue') && t('projOverdue'),
        missing && t('projNoReport', { p: periodName(upto) })].filter(Boolean),
    };
  }).filter((a) => a.why.length);

  return h('div', { class: 'page todo-page' },
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, t('todoTitle'), h('span', { class: 'muted' }, ` · ${nameOf(dept)}`)),
        h('p', { class: 'meta', 'data-testid': 'todo-counts' }, t('tasksAsOf', { d: dayName(today) }), ' · ',
          t('todoCounts', { a: soon.length, b: open.length + prjOpen.length, c: acts.length })))),
    h('div', { class: 'todo-grid' },
      block(t('todoNotes'), 'todo-notes', open.map(({ x, n }) => item(taskHref(x.code, { note: n.id, today: asOf }), n.text,
        h('span', { class: 'muted' }, `${x.code} ${x.title}`), ' · ',
        h('span', { class: n.overdue ? 'bad' : 'muted' }, n.overdue ? t('noteOverdue') : t('noteDue', { d: dayName(n.due) })))), t('todoNotesNone')),
      block(t('prjTodoNotes'), 'todo-project-notes', prjOpen.map((n) => item(hrefOf(`/projects/${encodeURIComponent(n.project.code)}`, { note: n.id }), n.text,
        h('span', { class: 'muted' }, n.project.name), ' · ',
        h('span', { class: n.overdue ? 'bad' : 'muted' }, n.overdue ? t('noteOverdue') : t('noteDue', { d: dayName(n.due) })))), t('prjTodoNotesNone')),
      block(t('todoTasks'), 'todo-tasks', soon.map((x) => item(taskHref(x.code, { today: asOf }), x.title,
        h('span', { class: 'muted code' }, x.code), ' · ', dayName(x.deadline), ' ', lateTag(x))), t('todoTasksNone')),
      block(t('todoProjects'), 'todo-projects', acts.map(({ p, why, sample }) => item(hrefOf(`/projects/${encodeURIComponent(p.code)}`), p.name,
        h('span', { class: 'muted code' }, p.code), ' · ', t(`tphase_${p.phase}`), ' · ',
        h('span', { class: 'bad' }, why.join(t('taskSep'))), ' ', sampleBadge(sample))), t('todoProjectsNone'))));
}

// A leader's (or the administrator's) to-do: the notes they wrote, answered
// or not, and the overdue tasks of every department.
async function leaderTodo(cat, u, today, asOf, lateTag) {
  const tasks = await all({ path: 'tasks', query: { today: asOf } });
  const full = await details(tasks, asOf);
  const mine = full.flatMap((x) => (x.notes || []).filter((n) => n.author === u.name).map((n) => ({ x, n })));
  const open = mine.filter(({ n }) => !n.answer).sort((a, b) => a.n.due.localeCompare(b.n.due));
  const answered = mine.filter(({ n }) => n.answer).sort((a, b) => b.n.answered_on.localeCompare(a.n.answered_on));
  const late = tasks.filter((x) => x.status === 'late').sort(SORTS.late);
  const noteLink = ({ x, n }, ...rest) => item(taskHref(x.code, { note: n.id, today: asOf }), n.text,
    h('span', { class: 'muted' }, `${x.code} · ${deptName(cat, x.department)}`), ' · ', rest);
  return h('div', { class: 'page todo-page' },
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, t('todoTitle')),
        h('p', { class: 'meta', 'data-testid': 'todo-counts' }, t('tasksAsOf', { d: dayName(today) }), ' · ',
          t('todoLeaderCounts', { a: open.length, b: answered.length, c: late.length })))),
    h('div', { class: 'todo-grid' },
      block(`${t('todoMyNotes')} · ${t('todoMyOpen')}`, 'todo-my-open', open.map((o) => noteLink(o,
        h('span', { class: o.n.overdue ? 'bad' : 'muted' }, o.n.overdue ? t('noteOverdue') : t('noteDue', { d: dayName(o.n.due) })))),
      t('todoMyNone')),
      block(`${t('todoMyNotes')} · ${t('todoMyAnswered')}`, 'todo-my-answered', answered.map((o) => noteLink(o,
        h('span', { class: 'answer-snip', 'data-testid': 'answer' }, `${t('noteAnswer')}${state.lang === 'zh' ? '：' : ': '}${o.n.answer}`))),
      t('todoMyNone')),
      block(t('todoLate'), 'todo-late', late.map((x) => item(taskHref(x.code, { today: asOf }), x.title,
        h('span', { class: 'muted code' }, x.code), ' · ', deptName(cat, x.department), ' · ', lateTag(x))), t('todoLateNone'))));
}

export const PAGES = {
  tasks: (r) => (r.parts[1] ? taskPage(r) : listsPage(r)),
  todo: todoPage,
};
