// The key-project pipeline (项目为王): its pages, over /api/v1/projects and
// /api/v1/programmes.  Texts in TEXT (中文 first), pages in PAGES by route:
// #/projects (the pipeline and the project table), #/projects/{code} (one
// project, its monthly report and phase forms), #/programmes[/{code}] (the
// old-community renovation and its communities).
import {
  state, t, h, api, nf, isNum, pct, table, sampleBadge, periodName, ytdName, areaName, nameOf, hrefOf,
  setQuery, render, progressBar, unitText, optional, latestMonth, loadECharts, FONT, COLORS,
  localTime, ym, monthKey, ROLE_RANK, all as every, figure, indName,
} from './app.js';

export const TEXT = {
  zh: {
    prjTitle: '重点项目', prjIntro: '项目为王：{n} 个重点项目，总投资 {t}。',
    prjPipeline: '项目推进阶段', prjCount: '{n} 个', prjInvest: '年度投资',
    prjPlan: '年度计划投资', prjDone: '累计完成投资', prjCompletion: '完成率', prjTimeProgress: '序时进度',
    prjAheadTp: '快于序时进度', prjBehindTp: '慢于序时进度',
    prjAlerts: '需关注的项目', prjFlag_behind: '投资滞后', prjFlag_overdue: '节点逾期', prjFlag_not_started: '应开未开',
    prjFlagLong_behind: '完成投资落后于序时进度', prjFlagLong_overdue: '有到期未完成的节点',
    prjFlagLong_not_started: '计划开工日期已过仍未开工',
    prjIndicator: '重点项目完成投资（指标 PROJ_INV）', prjIndicatorHint: '由项目月报自动汇入指标体系',
    prjRollup: '分类汇总', prjBy_cluster: '按产业集群', prjBy_area: '按地区', prjBy_department: '按责任单位',
    prjTotalKnown: '总投资只合计已知总投资的项目，原文未给出总投资的项目不计。',
    prjGroup: '类别', prjN: '项目数', prjTotalInv: '总投资', prjTotalRow: '合计',
    prjTable: '项目清单', prjFilters: '筛选', prjCluster: '产业集群', prjArea: '地区', prjPhase: '阶段',
    prjDept: '责任单位', prjFlag: '预警', prjAll: '全部', prjSearch: '搜索', prjSearchPh: '项目名称或代码',
    prjCode: '代码', prjName: '项目名称', prjFlags: '预警', prjNone: '没有符合条件的项目。',
    prjExport: '导出', prjExportXlsx: '导出Excel', prjExportCsv: '导出CSV', prjExportOc4ids: 'OC4IDS（JSON）',
    prjExportHint: '按当前筛选导出全部项目（不限于本页）', prjExportLocal: '“节点逾期”“应开未开”不是导出条件：导出含其他筛选下的全部项目',
    prjQuoted: '报道中的项目储备', prjQuotedHint: '以下为报道原文的项目储备数字；本页其余数字为系统中已录入的重点项目（演示收录报道点名的 {n} 个）。',
    prjQuotedYear: '{y}年', prjQuotedCol: '指标', prjQuotedYearCol: '年份', prjQuotedValue: '数值',
    prjClear: '清除筛选', prjShown: '共 {n} 个项目', prjPage: '第 {p} / {n} 页', prjPrev: '上一页', prjNext: '下一页',
    prjSortBy: '按{c}排序', prjYi: '亿元',
    prjProgrammes: '改造计划', prjProgrammesLink: '老旧小区改造等计划 →',
    phase_planning: '谋划', phase_signed: '签约', phase_started: '开工', phase_building: '在建',
    phase_completed: '竣工', phase_operating: '投产',
    type_industry: '产业', type_infrastructure: '基础设施', type_livelihood: '民生', type_technology: '科技攻关（揭榜挂帅）',
    cluster_fine_chem: '精细化工', cluster_new_energy: '新能源', cluster_new_materials: '新材料', cluster_biomed: '生物医药',
    cluster_equipment: '先进装备制造', cluster_agri_food: '农副产品精深加工', cluster_corridor: '东北陆海新通道',
    cluster_urban: '城市建设', cluster_livelihood: '社会民生', cluster_services: '现代服务业',
    // the project page
    prjBack: '返回项目清单', prjFacts: '项目概况', prjType: '类型', prjLeader: '包保领导',
    prjPlannedStart: '计划开工', prjPlannedFinish: '计划竣工', prjActualStart: '实际开工', prjActualFinish: '实际竣工',
    prjAddress: '建设地点', prjSource: '来源', prjSeed: '原文', prjProgress: '形象进度',
    prjChart: '{y}年投资完成情况', prjYear: '年份', prjMonthly: '当月完成', prjCumulative: '累计完成', prjPlanPath: '序时计划',
    prjPlanYear: '年度计划', prjNoReports: '本年还没有月报。',
    prjMilestones: '节点计划', prjMsName: '节点', prjDue: '计划完成', prjDoneOn: '实际完成', prjState: '状态',
    prjOverdue: '逾期', prjMsDone: '已完成', prjMsOpen: '未到期', prjNoMilestones: '没有节点计划。',
    prjPhases: '阶段变更记录', prjFrom: '由', prjTo: '变为', prjDate: '日期', prjReason: '原因', prjBy: '操作人',
    prjAt: '记录时间', prjReports: '月报', prjMonth: '月份', prjInvMonth: '当月完成投资', prjNote: '说明',
    prjIssues: '需协调解决的问题', prjNoIssues: '暂无需协调解决的问题。',
    prjReportForm: '报送本月进度', prjReportHint: '同一月份再次报送将覆盖原数；完成投资自动汇入“重点项目完成投资”指标。',
    prjInvInput: '当月完成投资（亿元）', prjProgressInput: '形象进度（%）', prjNoteInput: '进展说明',
    prjSubmit: '报送', prjSaved: '已报送 {p}：完成投资 {v}。', prjNeedNumber: '{f}：请输入数字。',
    prjApiError: '{f}有误：{m}', prjFixField: '请更正“{f}”后再提交。', prjFailed: '未能报送：{m}',
    prjPhaseForm: '变更项目阶段', prjPhaseHint: '阶段只能按日期向前推进；退回前一阶段须写明原因。',
    prjNewPhase: '新阶段', prjPhaseDate: '变更日期', prjPhaseReason: '原因（退回时必填）', prjPhaseSubmit: '变更阶段',
    prjPhaseSaved: '阶段已变更为 {p}。', prjNeedSignIn: '责任单位登录后可报送本项目的月度进度。',
    prjNotYours: '本项目由 {d} 负责报送。', prjNoSuch: '没有代码为 {c} 的项目。',
    prjField_period: '月份', prjField_investment: '当月完成投资', prjField_progress: '形象进度', prjField_note: '进展说明',
    prjField_phase: '新阶段', prjField_date: '变更日期', prjField_reason: '原因',
    prjField_name: '节点名称', prjField_due: '计划完成日期', prjField_done: '实际完成日期', prjField_issues: '需协调解决的问题',
    prjNeedText: '请填写{f}。', prjMsMark: '标记完成', prjMsMarked: '节点“{n}”已于 {d} 完成。', prjMsAdd: '新增节点', prjMsAdded: '已新增节点“{n}”，计划 {d} 完成。',
    prjIssuesSave: '保存问题', prjIssuesSaved: '已保存需协调解决的问题。', prjIssuesHint: '写明需要市级层面协调解决的事项；清空即表示已解决。',
    prjNotes: '督办意见', prjNotesNone: '还没有督办意见。', prjNotesHidden: '该项目有 {n} 条督办意见，内容仅对工作人员公开。',
    prjNoteBy: '{a} · {d}', prjNoteDue: '答复期限 {d}', prjNoteDueLabel: '答复期限', prjNoteAwaiting: '待答复', prjNoteOverdue: '逾期未答复',
    prjNoteAnsweredBy: '{a} 于{d}答复', prjNoteWrite: '写督办意见', prjNoteSubmit: '发出督办', prjNoteAdded: '已发出督办意见。',
    prjNoteHint: '责任单位须在答复期限前答复，只能答复一次。', prjAnswerSubmit: '提交答复', prjAnswerAdded: '已提交答复。',
    prjField_text: '督办意见', prjField_answer: '答复内容',
    // programmes
    pgmTitle: '改造计划', pgmIntro: '老旧小区改造等成片推进的计划及其小区。', pgmYears: '{a}—{b}年',
    pgmPlanned: '计划改造', pgmCommunities: '小区', pgmBuildings: '栋楼', pgmHouseholds: '户居民',
    pgmRecorded: '已录入小区', pgmStarted: '已开工', pgmFinished: '已完工', pgmProgress: '平均形象进度',
    pgmQuoted: '计划数引自原文', pgmList: '小区清单', pgmName: '小区名称', pgmFloor: '面积（万平方米）',
    pgmBuildingsCol: '栋数', pgmHouseholdsCol: '户数', pgmStartedCol: '开工日期', pgmFinishedCol: '完工日期',
    pgmNone: '还没有改造计划。', pgmNoSuch: '没有代码为 {c} 的计划。', pgmBack: '返回改造计划', pgmOpen: '查看',
    pgmShare: '已录入占计划', pgmBuildingsDone: '已录入栋数', pgmHouseholdsDone: '已录入户数',
  },
  en: {
    prjTitle: 'Key projects', prjIntro: 'Projects first: {n} key projects, total investment {t}.',
    prjPipeline: 'Pipeline by phase', prjCount: '{n}', prjInvest: 'Investment this year',
    prjPlan: 'Planned investment of the year', prjDone: 'Investment completed', prjCompletion: 'Completion',
    prjTimeProgress: 'Time elapsed', prjAheadTp: 'ahead of time elapsed', prjBehindTp: 'behind time elapsed',
    prjAlerts: 'Projects to watch', prjFlag_behind: 'Behind plan', prjFlag_overdue: 'Milestone overdue',
    prjFlag_not_started: 'Should have started',
    prjFlagLong_behind: 'investment completed behind time elapsed', prjFlagLong_overdue: 'a milestone is past due',
    prjFlagLong_not_started: 'planned start has passed, not started',
    prjIndicator: 'Investment completed by the key projects (indicator PROJ_INV)',
    prjIndicatorHint: 'fed by the projects’ monthly reports',
    prjRollup: 'Roll-up', prjBy_cluster: 'By cluster', prjBy_area: 'By area', prjBy_department: 'By department',
    prjTotalKnown: 'Total investment adds up the projects whose total is known; those without one count as nothing.',
    prjGroup: 'Group', prjN: 'Projects', prjTotalInv: 'Total investment', prjTotalRow: 'Total',
    prjTable: 'Project list', prjFilters: 'Filters', prjCluster: 'Cluster', prjArea: 'Area', prjPhase: 'Phase',
    prjDept: 'Department', prjFlag: 'Alert', prjAll: 'All', prjSearch: 'Search', prjSearchPh: 'project name or code',
    prjCode: 'Code', prjName: 'Project', prjFlags: 'Alerts', prjNone: 'No project matches.',
    prjExport: 'Export', prjExportXlsx: 'Export Excel', prjExportCsv: 'Export CSV', prjExportOc4ids: 'OC4IDS (JSON)',
    prjExportHint: 'Every project under the current filters (not only this page)',
    prjExportLocal: '“Overdue milestone” and “should have started” do not filter the export: it holds every project under the other filters',
    prjQuoted: 'The pipeline as the report quotes it', prjQuotedHint: 'The figures of the pipeline quoted in the report; everything else on this page is the key projects entered here (the demo holds the {n} the report names).',
    prjQuotedYear: '{y}', prjQuotedCol: 'Indicator', prjQuotedYearCol: 'Year', prjQuotedValue: 'Figure',
    prjClear: 'Clear filters', prjShown: '{n} projects', prjPage: 'Page {p} of {n}', prjPrev: 'Previous', prjNext: 'Next',
    prjSortBy: 'Sort by {c}', prjYi: '100 mn yuan',
    prjProgrammes: 'Programmes', prjProgrammesLink: 'Old-community renovation and other programmes →',
    phase_planning: 'Planning', phase_signed: 'Signed', phase_started: 'Started', phase_building: 'Building',
    phase_completed: 'Completed', phase_operating: 'Operating',
    type_industry: 'Industry', type_infrastructure: 'Infrastructure', type_livelihood: 'Livelihood',
    type_technology: 'Technology (open call)',
    cluster_fine_chem: 'Fine chemicals', cluster_new_energy: 'New energy', cluster_new_materials: 'New materials',
    cluster_biomed: 'Biomedicine', cluster_equipment: 'Advanced equipment', cluster_agri_food: 'Agri-food processing',
    cluster_corridor: 'NE land-sea corridor', cluster_urban: 'Urban construction', cluster_livelihood: 'Livelihood',
    cluster_services: 'Modern services',
    prjBack: 'Back to the project list', prjFacts: 'Facts', prjType: 'Type', prjLeader: 'Lead official',
    prjPlannedStart: 'Planned start', prjPlannedFinish: 'Planned finish', prjActualStart: 'Started',
    prjActualFinish: 'Finished', prjAddress: 'Location', prjSource: 'Source', prjSeed: 'quoted', prjProgress: 'Physical progress',
    prjChart: 'Investment in {y}', prjYear: 'Year', prjMonthly: 'Month', prjCumulative: 'Cumulative', prjPlanPath: 'Plan to date',
    prjPlanYear: 'Plan of the year', prjNoReports: 'No report this year yet.',
    prjMilestones: 'Milestones', prjMsName: 'Milestone', prjDue: 'Due', prjDoneOn: 'Done', prjState: 'State',
    prjOverdue: 'Overdue', prjMsDone: 'Done', prjMsOpen: 'Open', prjNoMilestones: 'No milestones.',
    prjPhases: 'Phase history', prjFrom: 'From', prjTo: 'To', prjDate: 'Date', prjReason: 'Reason', prjBy: 'By',
    prjAt: 'Recorded', prjReports: 'Monthly reports', prjMonth: 'Month', prjInvMonth: 'Investment in the month',
    prjNote: 'Note', prjIssues: 'Problems needing coordination', prjNoIssues: 'No problem raised.',
    prjReportForm: 'Report this month', prjReportHint: 'A second report for a month replaces the first; the investment flows into the indicator PROJ_INV.',
    prjInvInput: 'Investment in the month (100 mn yuan)', prjProgressInput: 'Physical progress (%)', prjNoteInput: 'Note',
    prjSubmit: 'Submit', prjSaved: 'Reported {p}: investment {v}.', prjNeedNumber: '{f}: enter a number.',
    prjApiError: '{f}: {m}', prjFixField: 'Correct “{f}” and submit again.', prjFailed: 'Not reported: {m}',
    prjPhaseForm: 'Change the phase', prjPhaseHint: 'Phases move forward with a date; going back needs a reason.',
    prjNewPhase: 'New phase', prjPhaseDate: 'Date', prjPhaseReason: 'Reason (required to go back)', prjPhaseSubmit: 'Change phase',
    prjPhaseSaved: 'The phase is now {p}.', prjNeedSignIn: 'The responsible department signs in to report on this project.',
    prjNotYours: 'This project is reported by {d}.', prjNoSuch: 'No project with code {c}.',
    prjField_period: 'Month', prjField_investment: 'Investment in the month', prjField_progress: 'Physical progress', prjField_note: 'Note',
    prjField_phase: 'New phase', prjField_date: 'Date', prjField_reason: 'Reason',
    prjField_name: 'Milestone', prjField_due: 'Due', prjField_done: 'Reached on', prjField_issues: 'Problems needing coordination',
    prjNeedText: 'Please fill in {f}.', prjMsMark: 'Mark done', prjMsMarked: 'Milestone “{n}” reached on {d}.', prjMsAdd: 'Add a milestone', prjMsAdded: 'Milestone “{n}” added, due {d}.',
    prjIssuesSave: 'Save', prjIssuesSaved: 'The problems needing coordination are saved.', prjIssuesHint: 'What the city must help solve; empty it once solved.',
    prjNotes: 'Supervision notes (督办)', prjNotesNone: 'No supervision note yet.',
    prjNotesHidden: 'This project has {n} supervision notes; their text is shown to staff only.',
    prjNoteBy: '{a} · {d}', prjNoteDue: 'answer due {d}', prjNoteDueLabel: 'Answer due', prjNoteAwaiting: 'Awaiting answer', prjNoteOverdue: 'Answer overdue',
    prjNoteAnsweredBy: 'answered by {a} on {d}', prjNoteWrite: 'Write a supervision note', prjNoteSubmit: 'Send note',
    prjNoteAdded: 'Supervision note sent.', prjNoteHint: 'The department must answer by the due day, once.',
    prjAnswerSubmit: 'Send answer', prjAnswerAdded: 'Answer sent.',
    prjField_text: 'Supervision note', prjField_answer: 'Answer',
    pgmTitle: 'Programmes', pgmIntro: 'Area-wide programmes such as the old-community renovation, with their communities.',
    pgmYears: '{a}–{b}', pgmPlanned: 'Planned', pgmCommunities: 'communities', pgmBuildings: 'buildings',
    pgmHouseholds: 'households', pgmRecorded: 'Communities recorded', pgmStarted: 'Started', pgmFinished: 'Finished',
    pgmProgress: 'Average progress', pgmQuoted: 'planned figures quoted from the source', pgmList: 'Communities',
    pgmName: 'Community', pgmFloor: 'Floor area (10k m²)', pgmBuildingsCol: 'Buildings', pgmHouseholdsCol: 'Households',
    pgmStartedCol: 'Started', pgmFinishedCol: 'Finished', pgmNone: 'No programme yet.', pgmNoSuch: 'No programme with code {c}.',
    pgmBack: 'Back to the programmes', pgmOpen: 'Open', pgmShare: 'Recorded of plan', pgmBuildingsDone: 'Buildings recorded',
    pgmHouseholdsDone: 'Households recorded',
  },
};

const PHASES = ['planning', 'signed', 'started', 'building', 'completed', 'operating'];
const CLUSTERS = ['fine_chem', 'new_energy', 'new_materials', 'biomed', 'equipment', 'agri_food', 'corridor', 'urban',
  'livelihood', 'services'];
const FLAGS = ['behind', 'overdue', 'not_started'];
const BYS = ['cluster', 'area', 'department'];
const SORTS = ['code', 'name', 'total', 'plan', 'done'];
const PAGE_ROWS = 20;

// A name from the dictionary, else the API's Chinese name, else the code.
const known = (key, fallback) => (TEXT.zh[key] ? t(key) : fallback);
const phaseName = (p, zh) => known(`phase_${p}`, zh || p);
const clusterName = (c, zh) => known(`cluster_${c}`, zh || c);
const typeName = (x, zh) => known(`type_${x}`, zh || x);
const deptName = (code) => nameOf(state.cat?.dept.get(code)) || code || '—';

// An amount in 亿元 as 23.47亿元 / 23.47 100 mn yuan; '—' when unknown.
function yi(v) {
  if (!isNum(v)) return '—';
  return state.lang === 'zh' ? `${nf(v, 2)}亿元` : `${nf(v, 2)} ${unitText('亿元')}`;
}

const count = (v) => (isNum(v) ? nf(v, 0) : '—');

// The status of completed against time elapsed, as the indicator cards say it.
const paceOf = (done, tp) => (!isNum(done) || !isNum(tp) ? '' : done >= tp ? 'ahead' : 'behind');

function flagBadge(f) {
  return h('span', { class: `badge flag flag-${f}`, 'data-flag': f, title: t(`prjFlagLong_${f}`) }, t(`prjFlag_${f}`));
}

// A date of the API (YYYY-MM-DD) the reader's way: 2025年6月27日 or 27 Jun 2025.
function dayName(d) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d || '');
  if (!m) return d || '—';
  if (state.lang === 'zh') return `${+m[1]}年${+m[2]}月${+m[3]}日`;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

// Who may report on a project and move its phase: the project's own
// department, a leader or an administrator (as the API decides).
function mayWrite(p) {
  const u = state.user;
  if (!u) return false;
  if ((ROLE_RANK[u.role] ?? 0) >= ROLE_RANK.leader) return true;
  const d = state.cat?.dept.get(p.department);
  return u.role === 'department' && !!d && !!u.department_id && d.id === u.department_id;
}

// ---- #/projects: the pipeline ----------------------------------------------------

// The table's filters as the API takes them, from the hash.  'flag' is the
// alert the counts link to: behind plan the API filters itself, the other
// two are picked here from the flags every row carries.
function filtersOf(q) {
  const f = {};
  if (CLUSTERS.includes(q.cluster)) f.cluster = q.cluster;
  if (PHASES.includes(q.phase)) f.phase = q.phase;
  for (const k of ['area', 'department', 'q']) if (q[k]) f[k] = q[k];
  if (q.flag === 'behind') f.behind = 1;
  const s = (q.sort || '').replace(/^-/, '');
  if (SORTS.includes(s)) f.sort = q.sort;
  return f;
}

async function pipelinePage(r) {
  const cat = state.cat;
  const q = r.query;
  const by = BYS.includes(q.by) ? q.by : 'cluster';
  const flag = FLAGS.includes(q.flag) ? q.flag : '';
  const pageNo = Math.max(1, parseInt(q.page, 10) || 1);
  const filters = filtersOf(q);
  const local = flag === 'overdue' || flag === 'not_started';
  const [sum, roll, list, inv, pgms, quoted] = await Promise.all([
    api('projects/summary', { by: 'cluster' }),
    by === 'cluster' ? null : api('projects/summary', { by }),
    local ? every({ path: 'projects', query: filters }).then((items) => ({ items }))
      : api('projects', { ...filters, limit: PAGE_ROWS, offset: (pageNo - 1) * PAGE_ROWS }),
    optional(api('progress', { indicator: 'PROJ_INV' })),
    optional(api('programmes', { limit: 10 })),
    quotedPipeline(),
  ]);
  const rollup = roll || sum;
  const all = sum.items.find((x) => x.key === 'total') || {};
  const sample = sum.items.some((x) => x.sample);

  // The rows and their totals: the API's, or those of the rows picked here.
  let rows = list.items;
  let totals = list.totals;
  let n = list.total;
  if (local) {
    rows = rows.filter((p) => (p.flags || []).includes(flag));
    const add = (k) => rows.reduce((s, p) => s + (isNum(p[k]) ? p[k] : 0), 0);
    const plan = add('plan');
    totals = { n: rows.length, total: add('total'), plan, done: add('done'), completion_pct: plan ? (add('done') / plan) * 100 : null };
    n = rows.length;
    rows = rows.slice((pageNo - 1) * PAGE_ROWS, pageNo * PAGE_ROWS);
  }
  const pages = Math.max(1, Math.ceil(n / PAGE_ROWS));
  const tp = sum.time_progress_pct;

  // 谋划 → 签约 → 开工 → 在建 → 竣工 → 投产: each card filters the table.
  const pipeline = h('section', { class: 'panel', 'aria-labelledby': 'prj-pipe-h' },
    h('h2', { id: 'prj-pipe-h' }, t('prjPipeline')),
    h('ol', { class: 'phases', 'data-testid': 'phases' }, (sum.pipeline || []).map((x) => h('li', {
      class: `phase-card${q.phase === x.phase ? ' on' : ''}`, 'data-phase': x.phase,
    }, h('a', { href: hrefOf('/projects', { ...q, phase: q.phase === x.phase ? '' : x.phase, page: '' }), 'aria-current': q.phase === x.phase ? 'true' : null },
      h('span', { class: 'phase-name' }, phaseName(x.phase, x.phase_zh)),
      h('span', { class: 'phase-n', 'data-testid': 'phase-n' }, count(x.n)),
      h('span', { class: 'phase-total', 'data-testid': 'phase-total' }, yi(x.total)))))),
    h('p', { class: 'muted small' }, t('prjTotalKnown')));

  const kpi = (label, value, attrs = {}, sub = null) => h('div', { class: 'kpi', ...attrs },
    h('span', { class: 'label' }, label), h('span', { class: 'v' }, value), sub ? h('span', { class: 'muted sub' }, sub) : null);
  const pace = paceOf(all.completion_pct, tp);
  const invRow = inv?.[0];
  const money = h('div', { class: 'kpis', 'data-testid': 'invest' },
    kpi(t('prjPlan'), yi(all.plan), { 'data-testid': 'plan' }),
    kpi(t('prjDone'), yi(all.done), { 'data-testid': 'done' }),
    h('div', { class: 'kpi', 'data-testid': 'completion' },
      h('span', { class: 'label' }, t('prjCompletion')),
      h('span', { class: `v ${pace === 'behind' ? 'bad' : pace === 'ahead' ? 'good' : ''}` }, pct(all.completion_pct)),
      h('span', { class: 'muted sub' }, `${t('prjTimeProgress')} ${pct(tp)}`,
        pace ? ` · ${t(pace === 'ahead' ? 'prjAheadTp' : 'prjBehindTp')}` : ''),
      progressBar({ completion_pct: all.completion_pct, time_progress_pct: tp, status: pace })),
    invRow ? kpi(t('prjIndicator'),
      h('a', { href: hrefOf('/indicator/PROJ_INV'), 'data-testid': 'proj-inv' }, yi(invRow.ytd_value)),
      { class: 'kpi wide' }, `${ytdName(invRow.period?.split('/').pop())} · ${t('prjIndicatorHint')}`) : null);

  const alerts = h('section', { class: 'panel', 'aria-labelledby': 'prj-alerts-h' },
    h('h2', { id: 'prj-alerts-h' }, t('prjAlerts')),
    h('ul', { class: 'flag-counts', 'data-testid': 'flag-counts' }, FLAGS.map((f) => h('li', null,
      h('a', {
        href: hrefOf('/projects', { ...q, flag: flag === f ? '' : f, page: '' }), 'data-flag': f,
        class: flag === f ? 'on' : null, 'aria-current': flag === f ? 'true' : null, title: t(`prjFlagLong_${f}`),
      }, h('b', { 'data-testid': `count-${f}` }, count(all[f])), ' ', t(`prjFlag_${f}`))))));

  // The roll-up: a group's name filters the table to it.
  const groupName = (x) => (by === 'cluster' ? clusterName(x.key, x.name)
    : by === 'area' ? areaName(x.key, x.name) : deptName(x.key) || x.name);
  const rollTable = table([t('prjGroup'), { text: t('prjN'), cls: 'num' }, { text: t('prjTotalInv'), cls: 'num' },
    { text: t('prjPlan'), cls: 'num' }, { text: t('prjDone'), cls: 'num' }, { text: t('prjCompletion'), cls: 'num' },
    ...FLAGS.map((f) => ({ text: t(`prjFlag_${f}`), cls: 'num' }))],
  rollup.items.map((x) => {
    const total = x.key === 'total';
    return h('tr', { class: total ? 'total' : null, 'data-key': x.key },
      total ? h('th', { scope: 'row' }, t('prjTotalRow'))
        : h('td', null, h('a', { href: hrefOf('/projects', { ...q, [by]: x.key, page: '' }) }, groupName(x))),
      h('td', { class: 'num' }, count(x.n)), h('td', { class: 'num' }, yi(x.total)),
      h('td', { class: 'num' }, yi(x.plan)), h('td', { class: 'num' }, yi(x.done)),
      h('td', { class: `num ${paceOf(x.completion_pct, tp) === 'behind' ? 'bad' : ''}` }, pct(x.completion_pct)),
      FLAGS.map((f) => h('td', { class: `num${x[f] ? ' warn' : ''}` }, count(x[f]))));
  }), { 'data-testid': 'rollup' });
  const rollSection = h('section', { class: 'panel', 'aria-labelledby': 'prj-roll-h' },
    h('div', { class: 'panel-head' },
      h('h2', { id: 'prj-roll-h' }, t('prjRollup')),
      h('div', { class: 'seg', role: 'group', 'aria-label': t('prjRollup') }, BYS.map((b) => h('button', {
        type: 'button', class: `button small${b === by ? ' solid' : ''}`, 'aria-pressed': String(b === by),
        'data-by': b, onclick: () => setQuery({ by: b === 'cluster' ? '' : b }),
      }, t(`prjBy_${b}`))))),
    rollTable);

  return h('div', { class: 'page projects' },
    h('div', { class: 'page-head' },
      h('div', null,
        h('h1', null, t('prjTitle'), h('span', { class: 'muted' }, ` · ${periodName(sum.period)}`)),
        h('p', { class: 'summary' }, t('prjIntro', { n: count(all.n), t: yi(all.total) }), ' ',
          h('a', { href: '#/programmes', 'data-testid': 'programmes-link' }, t('prjProgrammesLink')))),
      sampleBadge(sample)),
    sample ? h('p', { class: 'sample-note' }, t('sampleNote')) : null,
    pipeline,
    money,
    alerts,
    quoted ? quotedSection(quoted, all.n) : null,
    rollSection,
    projectTable(r, { rows, totals, n, pageNo, pages, cat, flag }),
    pgms?.items?.length ? h('section', { class: 'panel', 'aria-labelledby': 'prj-pgm-h' },
      h('h2', { id: 'prj-pgm-h' }, t('prjProgrammes')),
      h('ul', { class: 'plain' }, pgms.items.map((p) => h('li', null,
        h('a', { href: `#/programmes/${encodeURIComponent(p.code)}` }, p.name),
        h('span', { class: 'muted' }, ` · ${t('pgmYears', { a: p.first_year, b: p.last_year })} · ${t('pgmPlanned')} ${count(p.communities_planned)} ${t('pgmCommunities')}`))))) : null);
}

// The pipeline's figures the report quotes (专班谋划项目, 省高质量发展项目,
// 陆海新通道项目 and their investment, 揭榜挂帅): yearly indicators of the
// catalogue, the latest year each is quoted in (never a sample year).
const QUOTED = ['PROJ_SPECIAL', 'PROJ_SPECIAL_INV', 'PROV_HQ_PROJ', 'CHANNEL_PROJ', 'CHANNEL_PROJ_INV', 'KJ_JBGS'];

// Read once a year and role: every filter of the table draws the page again,
// and these quoted figures do not move with it.
const quotedOf = new Map();

async function quotedPipeline() {
  const codes = QUOTED.filter((c) => state.cat?.ind.has(c));
  const y = ym(await latestMonth())?.y;
  if (!codes.length || !y) return null;
  const key = `${y}|${state.user?.role || 'public'}`; // the public reads public indicators only
  if (!quotedOf.has(key)) quotedOf.set(key, readQuoted(codes, y).catch((e) => { quotedOf.delete(key); throw e; }));
  return quotedOf.get(key);
}

async function readQuoted(codes, y) {
  const years = [y, y - 1, y - 2, y - 3, y - 4];
  const answers = await Promise.all(years.map((yr) => optional(api('progress', { period: String(yr) }))));
  const found = new Map();
  answers.forEach((rows, k) => {
    for (const row of rows || []) {
      if (!codes.includes(row.indicator) || found.has(row.indicator) || !isNum(row.ytd_value)) continue;
      if (row.sample === false || row.sample === 0) found.set(row.indicator, { row, year: years[k] });
    }
  });
  return codes.filter((c) => found.has(c)).map((c) => found.get(c));
}

function quotedSection(rows, n) {
  if (!rows.length) return null;
  return h('section', { class: 'panel', 'aria-labelledby': 'prj-quoted-h', 'data-testid': 'quoted' },
    h('h2', { id: 'prj-quoted-h' }, t('prjQuoted')),
    h('p', { class: 'muted' }, t('prjQuotedHint', { n: count(n) })),
    table([t('prjQuotedCol'), t('prjQuotedYearCol'), { text: t('prjQuotedValue'), cls: 'num' }],
      rows.map(({ row, year }) => h('tr', { 'data-indicator': row.indicator },
        h('td', null, h('a', { href: hrefOf(`/indicator/${encodeURIComponent(row.indicator)}`, { period: String(year) }) },
          indName(row.indicator, row.indicator_name))),
        h('td', null, t('prjQuotedYear', { y: year })),
        h('td', { class: 'num', 'data-testid': 'quoted-value' }, figure(row.ytd_value, state.cat.ind.get(row.indicator)))))));
}

// The filters, the sortable table with its totals row, and the pager.
function projectTable(r, { rows, totals, n, pageNo, pages, cat, flag }) {
  const q = r.query;
  const go = (changes) => setQuery({ ...changes, page: '' });
  const select = (id, key, label, options) => [h('label', { for: id }, label),
    h('select', { id, name: key, onchange: (e) => go({ [key]: e.target.value }) },
      h('option', { value: '' }, t('prjAll')),
      options.map(([v, text]) => h('option', { value: v, selected: q[key] === v }, text)))];
  const search = h('input', {
    id: 'prj-q', type: 'search', name: 'q', value: q.q || '', placeholder: t('prjSearchPh'),
    onchange: (e) => go({ q: e.target.value.trim() }),
  });
  const filtered = ['cluster', 'area', 'phase', 'department', 'flag', 'q'].some((k) => q[k]);
  const controls = h('div', { class: 'controls prj-filters', role: 'search', 'aria-label': t('prjFilters') },
    select('prj-cluster', 'cluster', t('prjCluster'), CLUSTERS.map((c) => [c, clusterName(c)])),
    select('prj-area', 'area', t('prjArea'), cat.areas.map((a) => [a.code, `${'\u3000'.repeat(Math.max(0, (a.level || 1) - 1))}${nameOf(a)}`])),
    select('prj-phase', 'phase', t('prjPhase'), PHASES.map((p) => [p, phaseName(p)])),
    select('prj-dept', 'department', t('prjDept'), cat.depts.map((d) => [d.code, nameOf(d)])),
    select('prj-flag', 'flag', t('prjFlag'), FLAGS.map((f) => [f, t(`prjFlag_${f}`)])),
    h('label', { for: 'prj-q' }, t('prjSearch')), search,
    filtered ? h('a', { class: 'button small', href: hrefOf('/projects', { by: q.by, sort: q.sort }) }, t('prjClear')) : null);

  // A column's header sorts by it; a second click reverses.
  const cur = q.sort || 'code';
  const sortHead = (key, label, cls) => {
    const on = cur.replace(/^-/, '') === key;
    const desc = on && cur.startsWith('-');
    return {
      cls,
      text: h('button', {
        type: 'button', class: 'sort', 'data-sort': key, title: t('prjSortBy', { c: label }),
        'aria-sort': null, onclick: () => setQuery({ sort: on && !desc ? `-${key}` : key === 'code' ? '' : key, page: '' }),
      }, label, h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, on ? (desc ? ' ▼' : ' ▲') : ' ↕')),
      sort: on ? (desc ? 'descending' : 'ascending') : null,
    };
  };
  const head = [sortHead('code', t('prjCode')), sortHead('name', t('prjName')), t('prjCluster'), t('prjArea'),
    t('prjPhase'), t('prjDept'), sortHead('total', t('prjTotalInv'), 'num'), sortHead('plan', t('prjPlan'), 'num'),
    sortHead('done', t('prjDone'), 'num'), { text: t('prjCompletion'), cls: 'num' }, t('prjFlags')];
  const body = rows.map((p) => h('tr', { 'data-code': p.code, 'data-testid': 'project-row' },
    h('td', { class: 'code' }, p.code),
    h('td', { class: 'name' }, h('a', { href: `#/projects/${encodeURIComponent(p.code)}` }, p.name),
      p.sample ? [' ', h('span', { class: 'badge sample small', title: t('sampleNote') }, t('sampleShort'))] : null),
    h('td', null, clusterName(p.cluster, p.cluster_zh)),
    h('td', { class: 'wrap' }, areaName(p.area, p.area_name)),
    h('td', null, h('span', { class: `phase-tag phase-${p.phase}` }, phaseName(p.phase, p.phase_zh))),
    h('td', { class: 'wrap' }, deptName(p.department)),
    h('td', { class: 'num' }, yi(p.total)),
    h('td', { class: 'num' }, yi(p.plan)),
    h('td', { class: 'num' }, yi(p.done)),
    h('td', { class: 'num' }, pct(p.completion_pct)),
    h('td', { class: 'flags' }, (p.flags || []).map(flagBadge))));
  const wrap = rows.length
    ? table(head, body, { 'data-testid': 'projects-table', class: 'projects-table' })
    : h('p', { class: 'muted', 'data-testid': 'projects-none' }, t('prjNone'));
  // The header cells say which column orders the rows (aria-sort on the th).
  if (rows.length) {
    const ths = wrap.querySelectorAll('thead th');
    head.forEach((c, k) => { if (c.sort) ths[k].setAttribute('aria-sort', c.sort); });
    wrap.querySelector('table').append(h('tfoot', null, h('tr', { class: 'total', 'data-testid': 'totals' },
      h('th', { scope: 'row', colspan: 2 }, t('prjTotalRow'), h('span', { class: 'muted' }, ` · ${t('prjShown', { n: count(totals.n) })}`)),
      h('td', { colspan: 4 }),
      h('td', { class: 'num', 'data-testid': 'sum-total' }, yi(totals.total)),
      h('td', { class: 'num', 'data-testid': 'sum-plan' }, yi(totals.plan)),
      h('td', { class: 'num', 'data-testid': 'sum-done' }, yi(totals.done)),
      h('td', { class: 'num' }, pct(totals.completion_pct)),
      h('td'))));
  }
  const pager = pages > 1 ? h('nav', { class: 'pager', 'aria-label': t('prjPage', { p: pageNo, n: pages }) },
    pageNo > 1 ? h('a', { class: 'button small', href: hrefOf('/projects', { ...q, page: pageNo - 1 }), rel: 'prev' }, t('prjPrev')) : null,
    h('span', { 'data-testid': 'page-of' }, t('prjPage', { p: pageNo, n: pages })),
    pageNo < pages ? h('a', { class: 'button small', href: hrefOf('/projects', { ...q, page: pageNo + 1 }), rel: 'next' }, t('prjNext')) : null) : null;
  // The table under its filters as a file: Excel, CSV or OC4IDS (open to
  // all, as the table is; GET /projects/export takes the same filters).
  const filters = Object.entries(filtersOf(q)).filter(([k]) => k !== 'sort');
  const file = (format, key) => h('a', {
    class: 'button small', download: '', 'data-testid': `prj-export-${format}`, title: t('prjExportHint'),
    href: `/api/v1/projects/export?${new URLSearchParams([['format', format], ...filters])}`,
  }, t(key));
  const exports = h('div', { class: 'export', role: 'group', 'aria-label': t('prjExport') },
    file('xlsx', 'prjExportXlsx'), file('csv', 'prjExportCsv'), file('oc4ids', 'prjExportOc4ids'),
    flag && flag !== 'behind' ? h('span', { class: 'muted small' }, t('prjExportLocal')) : null);
  return h('section', { class: 'panel', 'aria-labelledby': 'prj-table-h' },
    h('h2', { id: 'prj-table-h' }, t('prjTable'), h('span', { class: 'muted', 'data-testid': 'shown' }, ` · ${t('prjShown', { n: count(n) })}`),
      flag ? [' ', flagBadge(flag)] : null),
    controls, wrap, pager, rows.length ? exports : null);
}

// ---- #/projects/{code}: one project ------------------------------------------------

// What the last write said, shown once on the page drawn after it.
let said = null;

async function projectPage(r) {
  const code = r.parts[1];
  let p;
  try {
    // A year chosen: plan and done of that year (its last month).
    p = await api(`projects/${encodeURIComponent(code)}`, /^\d{4}$/.test(r.query.year || '') ? { period: r.query.year } : {});
  } catch (e) {
    if (e.status !== 404) throw e;
    return h('div', { class: 'page' }, h('p', { class: 'crumbs' }, h('a', { href: '#/projects' }, `← ${t('prjBack')}`)),
      h('section', { class: 'panel notice', role: 'status' }, t('prjNoSuch', { c: code })));
  }
  const latest = await latestMonth();
  const years = [...new Set([...p.plans.map((x) => x.year), ...p.reports.map((x) => +x.period.slice(0, 4))])].sort();
  const year = +r.query.year || years[years.length - 1] || ym(latest)?.y || new Date().getFullYear();
  const plan = p.plans.find((x) => x.year === year);
  const reps = p.reports.filter((x) => x.period.startsWith(`${year}-`));
  const lastProgress = [...p.reports].reverse().find((x) => isNum(x.progress));
  const sample = p.sample || p.plans.some((x) => x.sample) || p.reports.some((x) => x.sample) || p.milestones.some((x) => x.sample);
  const flash = said?.code === code ? said : null;
  said = null;

  const fact = (label, value, attrs = {}) => (value === null || value === undefined || value === '' ? null
    : [h('dt', null, label), h('dd', attrs, value)]);
  const seed = (p.source || '').startsWith('seed:') ? p.source.replace(/^seed:L\d+:\s*/, '') : null;
  const facts = h('section', { class: 'panel', 'aria-labelledby': 'prj-facts-h' },
    h('h2', { id: 'prj-facts-h' }, t('prjFacts')),
    h('dl', { class: 'prj-facts', 'data-testid': 'facts' },
      fact(t('prjCluster'), clusterName(p.cluster, p.cluster_zh)),
      fact(t('prjType'), typeName(p.type, p.type_zh)),
      fact(t('prjArea'), areaName(p.area, p.area_name)),
      fact(t('prjDept'), deptName(p.department)),
      fact(t('prjLeader'), p.leader || '—'),
      fact(t('prjTotalInv'), yi(p.total), { 'data-testid': 'total' }),
      fact(t('prjPhase'), h('span', { class: `phase-tag phase-${p.phase}`, 'data-testid': 'phase' }, phaseName(p.phase, p.phase_zh))),
      fact(t('prjPlannedStart'), p.planned_start && dayName(p.planned_start)),
      fact(t('prjActualStart'), p.actual_start && dayName(p.actual_start)),
      fact(t('prjPlannedFinish'), p.planned_finish && dayName(p.planned_finish)),
      fact(t('prjActualFinish'), p.actual_finish && dayName(p.actual_finish)),
      fact(t('prjAddress'), [p.address, isNum(p.lon) && isNum(p.lat) ? `(${nf(p.lon, 4)}, ${nf(p.lat, 4)})` : null].filter(Boolean).join(' ') || null),
      fact(t('prjSource'), seed ? h('q', { lang: 'zh-CN' }, seed) : p.source)));

  const kpi = (label, value, attrs = {}, sub = null) => h('div', { class: 'kpi', ...attrs },
    h('span', { class: 'label' }, label), h('span', { class: 'v' }, value), sub ? h('span', { class: 'muted sub' }, sub) : null);
  const kpis = h('div', { class: 'kpis', 'data-testid': 'project-kpis' },
    kpi(`${t('prjPlanYear')} · ${periodName(String(year))}`, yi(plan?.amount), { 'data-testid': 'plan' }),
    kpi(`${t('prjDone')} · ${reps.length ? ytdName(reps[reps.length - 1].period) : periodName(String(year))}`,
      yi(p.done), { 'data-testid': 'done' }),
    kpi(t('prjCompletion'), pct(p.completion_pct), { 'data-testid': 'completion' }),
    h('div', { class: 'kpi', 'data-testid': 'progress' },
      h('span', { class: 'label' }, t('prjProgress')),
      h('span', { class: 'v' }, lastProgress ? pct(lastProgress.progress) : '—'),
      lastProgress ? h('span', { class: 'muted sub' }, periodName(lastProgress.period)) : null,
      lastProgress ? h('div', { class: 'bar', role: 'img', 'aria-label': `${t('prjProgress')} ${pct(lastProgress.progress)}` },
        h('span', { class: 'fill', style: `width:${Math.max(0, Math.min(100, lastProgress.progress))}%` })) : null),
    p.flags.length ? h('div', { class: 'kpi' }, h('span', { class: 'label' }, t('prjFlags')),
      h('span', { class: 'flags' }, p.flags.map(flagBadge))) : null);

  const chartEl = h('div', { class: 'chart', id: 'chart-project', 'data-testid': 'chart-project', role: 'img', 'aria-label': t('prjChart', { y: year }) });
  const yearSel = years.length > 1 ? h('select', { id: 'prj-year', 'aria-label': t('prjYear'), onchange: (e) => setQuery({ year: e.target.value }) },
    years.map((y) => h('option', { value: y, selected: y === year }, periodName(String(y))))) : null;
  const chart = h('section', { class: 'panel', 'aria-labelledby': 'prj-chart-h' },
    h('div', { class: 'panel-head' }, h('h2', { id: 'prj-chart-h' }, t('prjChart', { y: year })), yearSel),
    reps.length || plan ? chartEl : h('p', { class: 'muted' }, t('prjNoReports')));

  const milestones = h('section', { class: 'panel', 'aria-labelledby': 'prj-ms-h' },
    h('h2', { id: 'prj-ms-h' }, t('prjMilestones')),
    p.milestones.length ? table([t('prjMsName'), t('prjDue'), t('prjDoneOn'), t('prjState')],
      p.milestones.map((m) => h('tr', { class: m.overdue ? 'overdue' : null, 'data-testid': 'milestone', 'data-overdue': m.overdue ? '1' : '0' },
        h('td', null, m.name, m.sample ? [' ', h('span', { class: 'badge sample small', title: t('sampleNote') }, t('sampleShort'))] : null),
        h('td', null, dayName(m.due)), h('td', null, m.done ? dayName(m.done) : '—'),
        h('td', null, m.overdue ? h('span', { class: 'badge flag flag-overdue' }, t('prjOverdue'))
          : m.done ? h('span', { class: 'good' }, t('prjMsDone')) : h('span', { class: 'muted' }, t('prjMsOpen')),
        mayWrite(p) && !m.done ? [' ', markDone(p, m)] : null))))
      : h('p', { class: 'muted' }, t('prjNoMilestones')),
    mayWrite(p) ? milestoneForm(p) : null);

  const issues = h('section', { class: `panel${p.issues ? ' issues' : ''}`, 'aria-labelledby': 'prj-issues-h', 'data-testid': 'issues' },
    h('h2', { id: 'prj-issues-h' }, t('prjIssues')),
    mayWrite(p) ? issuesForm(p)
      : p.issues ? h('p', { class: 'issues-text' }, p.issues) : h('p', { class: 'muted' }, t('prjNoIssues')));

  const reports = h('section', { class: 'panel', 'aria-labelledby': 'prj-rep-h' },
    h('h2', { id: 'prj-rep-h' }, t('prjReports')),
    p.reports.length ? table([t('prjMonth'), { text: t('prjInvMonth'), cls: 'num' }, { text: t('prjProgress'), cls: 'num' },
      t('prjNote'), state.user ? t('prjBy') : null, t('prjAt')].filter(Boolean),
    [...p.reports].reverse().map((x) => h('tr', { 'data-period': x.period, 'data-testid': 'report' },
      h('td', null, periodName(x.period), x.sample ? [' ', h('span', { class: 'badge sample small', title: t('sampleNote') }, t('sampleShort'))] : null),
      h('td', { class: 'num', 'data-testid': 'investment' }, yi(x.investment)),
      h('td', { class: 'num' }, isNum(x.progress) ? pct(x.progress) : '—'),
      h('td', { class: 'note' }, x.note || '—'),
      state.user ? h('td', null, x.actor || '—') : null,
      h('td', null, x.at ? h('time', { datetime: x.at }, localTime(x.at)) : '—'))), { 'data-testid': 'reports' })
      : h('p', { class: 'muted' }, t('prjNoReports')));

  const phases = h('section', { class: 'panel', 'aria-labelledby': 'prj-ph-h' },
    h('h2', { id: 'prj-ph-h' }, t('prjPhases')),
    table([t('prjFrom'), t('prjTo'), t('prjDate'), t('prjReason'), state.user ? t('prjBy') : null, t('prjAt')].filter(Boolean),
      [...p.phases].reverse().map((x) => h('tr', { 'data-testid': 'phase-change' },
        h('td', null, x.from ? phaseName(x.from) : '—'), h('td', null, phaseName(x.to)),
        h('td', null, x.date ? dayName(x.date) : '—'), h('td', { class: 'note' }, x.reason || '—'),
        state.user ? h('td', null, x.actor || '—') : null,
        h('td', null, x.at ? h('time', { datetime: x.at }, localTime(x.at)) : '—')))));

  const el = h('div', { class: 'page project' },
    h('p', { class: 'crumbs' }, h('a', { href: '#/projects' }, `← ${t('prjBack')}`)),
    h('div', { class: 'page-head' },
      h('div', null,
        h('h1', null, p.name, h('span', { class: 'code muted' }, ` ${p.code}`)),
        h('p', { class: 'meta' }, `${clusterName(p.cluster, p.cluster_zh)} · ${areaName(p.area, p.area_name)} · ${phaseName(p.phase, p.phase_zh)}`)),
      sampleBadge(sample)),
    sample ? h('p', { class: 'sample-note' }, t('sampleNote')) : null,
    flash ? h('p', { class: 'form-msg ok flash', role: 'status', 'data-testid': 'flash' }, flash.text) : null,
    kpis,
    h('div', { class: 'prj-grid' }, facts, chart),
    forms(p, latest),
    milestones, issues, notesSection(p, +r.query.note || 0), reports, phases);
  el.addEventListener('mounted', () => {
    if (reps.length || plan) drawProject(p, year, reps, plan, chartEl);
    if (+r.query.note) document.getElementById(`prj-note-${+r.query.note}`)?.scrollIntoView({ block: 'center' });
  });
  return el;
}

// The months a report may be for: the twelve up to the city's latest
// month and the one after it, newest first (the API refuses months to come).
function reportMonths(latest) {
  const l = ym(latest);
  const now = new Date();
  const months = [];
  if (!l) return [monthKey(now.getFullYear(), now.getMonth() + 1)];
  for (let k = -1; k < 12; k++) {
    const d = new Date(l.y, l.m - 1 - k, 1);
    if (d <= now) months.push(monthKey(d.getFullYear(), d.getMonth() + 1));
  }
  return months;
}

// A form's fields, its message line and how it says what went wrong: at
// the field an error of the API names ("investment: an amount …").
// labels: names of fields where the form calls them otherwise than
// prjField_* does (a note's due day is not a milestone's).
function formParts(prefix, labels = {}) {
  const label = (name) => labels[name] || t(`prjField_${name}`);
  const fields = {};
  const msg = h('p', { class: 'form-msg', role: 'status', 'aria-live': 'polite', 'data-testid': `${prefix}-msg` });
  const input = (name, label, { tag = 'input', ...attrs } = {}) => {
    const id = `${prefix}-${name}`;
    const err = h('span', { class: 'field-error', id: `${id}-err`, 'data-testid': `${name}-error` });
    const el = h(tag, { id, name, 'aria-describedby': `${id}-err`, ...attrs });
    fields[name] = { el, err };
    return h('div', { class: 'form-row' }, h('label', { for: id }, label), el, err);
  };
  const clear = () => {
    for (const f of Object.values(fields)) { f.err.textContent = ''; f.el.removeAttribute('aria-invalid'); }
    msg.textContent = '';
    msg.className = 'form-msg';
  };
  // The message at the field, and beside the button a pointer to it.
  const fail = (name, text) => {
    const f = fields[name];
    if (f) {
      f.err.textContent = text;
      f.el.setAttribute('aria-invalid', 'true');
      f.el.focus();
    }
    msg.textContent = f ? t('prjFixField', { f: label(name) }) : text;
    msg.className = 'form-msg error';
  };
  const failed = (e) => {
    const name = e?.field || /^(\w+):/.exec(e?.message || '')?.[1];
    if (name && fields[name]) fail(name, t('prjApiError', { f: label(name), m: e.message }));
    else fail(null, t('prjFailed', { m: e.message }));
  };
  // Posts body to path; done(answer) on success, else the error is shown.
  const post = (path, button, body, done) => async (e) => {
    e.preventDefault();
    clear();
    const b = body();
    if (!b) return;
    button.disabled = true;
    try {
      done(await api(path, {}, { method: 'POST', body: b }));
      await render();
    } catch (err) {
      failed(err);
    } finally {
      button.disabled = false;
    }
  };
  return { fields, msg, input, fail, post };
}

// A figure typed: a number, empty (null), or NaN for anything else.
function numberOf(el) {
  const raw = el.value.trim().replace(/[,，\s]/g, '');
  return raw === '' ? null : Number(raw);
}

// The monthly report and phase forms, for whoever may write on p; a note
// saying who may for anyone else.
function forms(p, latest) {
  if (!mayWrite(p)) {
    return h('section', { class: 'panel', 'data-testid': 'no-form' },
      h('p', { class: 'muted' }, state.user ? t('prjNotYours', { d: deptName(p.department) }) : t('prjNeedSignIn'),
        state.user ? null : [' ', h('a', { href: '#/login' }, t('signIn'))]));
  }
  const path = (what) => `projects/${encodeURIComponent(p.code)}/${what}`;

  const rep = formParts('prj');
  const button = h('button', { type: 'submit', class: 'button solid', 'data-testid': 'report-submit' }, t('prjSubmit'));
  const f = rep.fields;
  const report = h('form', {
    class: 'prj-form', 'data-testid': 'report-form', novalidate: true,
    onsubmit: rep.post(path('reports'), button, () => {
      const investment = numberOf(f.investment.el);
      const progress = numberOf(f.progress.el);
      for (const [name, v] of [['investment', investment], ['progress', progress]]) {
        if (Number.isNaN(v)) return rep.fail(name, t('prjNeedNumber', { f: t(`prjField_${name}`) }));
      }
      const note = f.note.el.value.trim();
      return { period: f.period.el.value, investment, progress, ...(note ? { note } : {}) };
    }, (res) => {
      said = { code: p.code, text: t('prjSaved', { p: periodName(res.period), v: yi(res.investment) }) };
    }),
  },
  h('h2', { id: 'prj-report-h' }, t('prjReportForm')),
  h('p', { class: 'hint' }, t('prjReportHint')),
  rep.input('period', t('prjField_period'), { tag: 'select' }),
  rep.input('investment', t('prjInvInput'), { inputmode: 'decimal', autocomplete: 'off', required: true }),
  rep.input('progress', t('prjProgressInput'), { inputmode: 'decimal', autocomplete: 'off' }),
  rep.input('note', t('prjNoteInput'), { tag: 'textarea', rows: 2 }),
  h('div', { class: 'actions' }, button, rep.msg));
  for (const m of reportMonths(latest)) f.period.el.append(h('option', { value: m, selected: m === latest }, periodName(m)));

  const ph = formParts('prj-ph');
  const today = new Date().toISOString().slice(0, 10);
  const phaseButton = h('button', { type: 'submit', class: 'button', 'data-testid': 'phase-submit' }, t('prjPhaseSubmit'));
  const g = ph.fields;
  const phase = h('form', {
    class: 'prj-form', 'data-testid': 'phase-form', novalidate: true,
    onsubmit: ph.post(path('phase'), phaseButton, () => {
      const reason = g.reason.el.value.trim();
      return { phase: g.phase.el.value, date: g.date.el.value, ...(reason ? { reason } : {}) };
    }, (res) => {
      said = { code: p.code, text: t('prjPhaseSaved', { p: phaseName(res.phase, res.phase_zh) }) };
    }),
  },
  h('h2', { id: 'prj-phase-h' }, t('prjPhaseForm')),
  h('p', { class: 'hint' }, t('prjPhaseHint')),
  ph.input('phase', t('prjNewPhase'), { tag: 'select' }),
  ph.input('date', t('prjPhaseDate'), { type: 'date', value: today, max: today }),
  ph.input('reason', t('prjPhaseReason'), { autocomplete: 'off' }),
  h('div', { class: 'actions' }, phaseButton, ph.msg));
  for (const x of PHASES) g.phase.el.append(h('option', { value: x, selected: x === p.phase }, phaseName(x)));
  return h('div', { class: 'prj-forms' },
    h('section', { class: 'panel', 'aria-labelledby': 'prj-report-h' }, report),
    h('section', { class: 'panel', 'aria-labelledby': 'prj-phase-h' }, phase));
}

// ---- 督办意见: notes by leaders, answered once by the project's department

// Who answers a project's notes: its own department, or an administrator
// (a leader writes them, and does not answer them).
function mayAnswer(p) {
  const u = state.user;
  return !!u && (u.role === 'admin' || (u.role === 'department' && mayWrite(p)));
}

const mayNote = () => ['leader', 'admin'].includes(state.user?.role);

// The notes with their answers, an overdue unanswered one marked; staff
// read them, the public only how many there are.
function notesSection(p, focus) {
  const list = !p.notes ? h('p', { class: 'muted', 'data-testid': 'prj-notes-hidden' },
    p.notes_n ? t('prjNotesHidden', { n: p.notes_n }) : t('prjNotesNone'))
    : p.notes.length ? h('ol', { class: 'note-list' }, p.notes.map((n) => noteItem(p, n, n.id === focus)))
      : h('p', { class: 'muted' }, t('prjNotesNone'));
  return h('section', { class: 'panel notes', 'aria-labelledby': 'prj-notes-h', 'data-testid': 'prj-notes' },
    h('h2', { id: 'prj-notes-h' }, t('prjNotes')), list, mayNote() ? noteForm(p) : null);
}

function noteItem(p, n, focus) {
  const status = n.answer
    ? h('div', { class: 'answer', 'data-testid': 'prj-answer' },
      h('p', { class: 'answer-meta muted' }, t('prjNoteAnsweredBy', { a: n.answered_by || '', d: dayName(n.answered_on) })),
      h('p', { class: 'answer-text' }, n.answer))
    : h('span', { class: `badge ${n.overdue ? 'note-late' : 'note-open'}`, 'data-testid': 'prj-note-state' },
      t(n.overdue ? 'prjNoteOverdue' : 'prjNoteAwaiting'));
  return h('li', {
    class: `note${n.answer ? ' answered' : ''}${n.overdue ? ' late' : ''}${focus ? ' focus' : ''}`,
    id: `prj-note-${n.id}`, 'data-testid': 'prj-note', 'data-note': n.id,
  },
  h('p', { class: 'note-meta' }, h('b', null, t('prjNoteBy', { a: n.author, d: dayName(n.day) })), ' · ',
    h('span', { class: n.overdue ? 'bad' : 'muted' }, t('prjNoteDue', { d: dayName(n.due) }))),
  h('p', { class: 'note-text', 'data-testid': 'prj-note-text' }, n.text),
  status, !n.answer && mayAnswer(p) ? answerForm(p, n) : null);
}

function noteForm(p) {
  const dueLabel = t('prjNoteDueLabel');
  const fp = formParts('prj-nt', { due: dueLabel });
  const due = new Date(Date.now() + 7 * 86400e3).toISOString().slice(0, 10);
  const button = h('button', { type: 'submit', class: 'button', 'data-testid': 'prj-note-submit' }, t('prjNoteSubmit'));
  const form = h('form', {
    class: 'prj-form', 'data-testid': 'prj-note-form', novalidate: true,
    onsubmit: fp.post(`projects/${encodeURIComponent(p.code)}/notes`, button,
      () => ({ text: fp.fields.text.el.value.trim(), due: fp.fields.due.el.value }),
      () => { said = { code: p.code, text: t('prjNoteAdded') }; }),
  },
  h('h3', null, t('prjNoteWrite')),
  h('p', { class: 'hint' }, t('prjNoteHint')),
  fp.input('text', t('prjField_text'), { tag: 'textarea', rows: 3 }),
  fp.input('due', dueLabel, { type: 'date', value: due }),
  h('div', { class: 'actions' }, button, fp.msg));
  return form;
}

function answerForm(p, n) {
  const fp = formParts(`prj-an-${n.id}`);
  const button = h('button', { type: 'submit', class: 'button', 'data-testid': 'prj-answer-submit' }, t('prjAnswerSubmit'));
  return h('form', {
    class: 'prj-form', 'data-testid': 'prj-answer-form', novalidate: true,
    onsubmit: fp.post(`projects/${encodeURIComponent(p.code)}/notes/${n.id}/answer`, button,
      () => ({ answer: fp.fields.answer.el.value.trim() }),
      () => { said = { code: p.code, text: t('prjAnswerAdded') }; }),
  },
  fp.input('answer', t('prjField_answer'), { tag: 'textarea', rows: 2 }),
  h('div', { class: 'actions' }, button, fp.msg));
}

// A milestone reached today, by its department (the server's rules).
function markDone(p, m) {
  const today = new Date().toISOString().slice(0, 10);
  const b = h('button', {
    type: 'button', class: 'button small', 'data-testid': 'milestone-done',
    onclick: async () => {
      b.disabled = true;
      try {
        const res = await api(`projects/${encodeURIComponent(p.code)}/milestones`, {}, { method: 'POST', body: { name: m.name, done: today } });
        said = { code: p.code, text: t('prjMsMarked', { n: res.name, d: dayName(res.done) }) };
        await render();
      } catch (e) {
        b.disabled = false;
        b.after(h('span', { class: 'field-error', role: 'alert' }, t('prjFailed', { m: e.message })));
      }
    },
  }, t('prjMsMark'));
  return b;
}

// A new milestone: its name and due date.
function milestoneForm(p) {
  const fp = formParts('prj-ms');
  const button = h('button', { type: 'submit', class: 'button', 'data-testid': 'milestone-submit' }, t('prjMsAdd'));
  return h('form', {
    class: 'prj-form', 'data-testid': 'milestone-form', novalidate: true,
    onsubmit: fp.post(`projects/${encodeURIComponent(p.code)}/milestones`, button, () => {
      const name = fp.fields.name.el.value.trim();
      if (!name) return fp.fail('name', t('prjNeedText', { f: t('prjField_name') }));
      return { name, due: fp.fields.due.el.value };
    }, (res) => { said = { code: p.code, text: t('prjMsAdded', { n: res.name, d: dayName(res.due) }) }; }),
  },
  h('h3', null, t('prjMsAdd')),
  fp.input('name', t('prjField_name'), { autocomplete: 'off' }),
  fp.input('due', t('prjField_due'), { type: 'date' }),
  h('div', { class: 'actions' }, button, fp.msg));
}

// The problems needing coordination (需协调解决的问题), kept by the
// project's department: a text it edits, empty once solved.
function issuesForm(p) {
  const fp = formParts('prj-is');
  const button = h('button', { type: 'submit', class: 'button', 'data-testid': 'issues-submit' }, t('prjIssuesSave'));
  const form = h('form', {
    class: 'prj-form', 'data-testid': 'issues-form', novalidate: true,
    onsubmit: fp.post(`projects/${encodeURIComponent(p.code)}`, button, () => ({ issues: fp.fields.issues.el.value.trim() || null }),
      () => { said = { code: p.code, text: t('prjIssuesSaved') }; }),
  },
  h('p', { class: 'hint' }, t('prjIssuesHint')),
  fp.input('issues', t('prjField_issues'), { tag: 'textarea', rows: 3 }),
  h('div', { class: 'actions' }, button, fp.msg));
  fp.fields.issues.el.value = p.issues || '';
  return form;
}

// Monthly bars, the cumulative line and the plan: the year's amount as a
// line, and the plan to date (amount × month / 12) it is held to.
async function drawProject(p, year, reps, plan, el) {
  const gen = state.gen;
  const echarts = await loadECharts();
  if (gen !== state.gen || !el.isConnected) return;
  const month = new Array(12).fill(null);
  for (const x of reps) month[+x.period.slice(5, 7) - 1] = x.investment;
  const last = reps.length ? +reps[reps.length - 1].period.slice(5, 7) : 0;
  let run = 0;
  const cum = month.map((v, k) => {
    if (k >= last) return null;
    run += isNum(v) ? v : 0;
    return +run.toFixed(2);
  });
  const labels = Array.from({ length: 12 }, (_, k) => (state.lang === 'zh' ? t('monthN', { m: k + 1 }) : periodName(monthKey(year, k + 1)).split(' ')[0]));
  const amount = isNum(plan?.amount) ? plan.amount : null;
  const fmt = (v) => (isNum(v) ? `${nf(v, 2)}${state.lang === 'zh' ? '' : ' '}${unitText('亿元')}` : '—');
  const chart = echarts.init(el, null, { renderer: 'canvas', locale: state.lang === 'zh' ? 'ZH' : 'EN' });
  chart.setOption({
    textStyle: { fontFamily: FONT },
    animationDuration: 300,
    grid: { left: 8, right: 16, top: 56, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', valueFormatter: fmt },
    legend: { top: 0, type: 'scroll', textStyle: { fontSize: 12 } },
    xAxis: { type: 'category', data: labels, axisTick: { alignWithLabel: true } },
    yAxis: { type: 'value', name: unitText('亿元'), nameTextStyle: { align: 'left' } },
    series: [
      { name: t('prjMonthly'), type: 'bar', data: month, itemStyle: { color: '#c9d8ec' }, barMaxWidth: 18 },
      { name: t('prjCumulative'), type: 'line', data: cum, symbolSize: 6, lineStyle: { width: 3, color: COLORS.cur }, itemStyle: { color: COLORS.cur } },
      amount !== null ? { name: t('prjPlanPath'), type: 'line', data: labels.map((_, k) => +((amount * (k + 1)) / 12).toFixed(2)), symbol: 'none', lineStyle: { type: 'dashed', width: 2, color: COLORS.target }, itemStyle: { color: COLORS.target } } : null,
      amount !== null ? { name: t('prjPlanYear'), type: 'line', data: labels.map(() => amount), symbol: 'none', lineStyle: { type: 'dotted', color: COLORS.prev }, itemStyle: { color: COLORS.prev } } : null,
    ].filter(Boolean),
  });
  chart.on('finished', () => { el.dataset.drawn = '1'; });
  state.charts.push(chart);
  const k = last - 1;
  el.setAttribute('aria-label', [t('prjChart', { y: year }),
    k >= 0 ? `${t('prjCumulative')} ${labels[k]} ${fmt(cum[k])}` : t('prjNoReports'),
    amount !== null ? `${t('prjPlanYear')} ${fmt(amount)}` : null].filter(Boolean).join(state.lang === 'zh' ? '，' : ', '));
}

// ---- #/programmes: the renovation programmes ----------------------------------------

async function programmesPage(r) {
  const code = r.parts[1];
  const res = await api('programmes', code ? { communities: 1, limit: 1000 } : { limit: 1000 });
  if (!code) {
    return h('div', { class: 'page programmes' },
      h('p', { class: 'crumbs' }, h('a', { href: '#/projects' }, `← ${t('prjBack')}`)),
      h('div', { class: 'page-head' }, h('div', null, h('h1', null, t('pgmTitle')), h('p', { class: 'summary' }, t('pgmIntro')))),
      res.items.length ? res.items.map((p) => programmeSummary(p, true)) : h('p', { class: 'panel muted' }, t('pgmNone')));
  }
  const p = res.items.find((x) => x.code === code);
  if (!p) {
    return h('div', { class: 'page' }, h('p', { class: 'crumbs' }, h('a', { href: '#/programmes' }, `← ${t('pgmBack')}`)),
      h('section', { class: 'panel notice', role: 'status' }, t('pgmNoSuch', { c: code })));
  }
  const list = p.communities || [];
  const sample = p.sample || list.some((c) => c.sample);
  const bar = (v) => h('div', { class: 'bar', role: 'img', 'aria-label': `${t('prjProgress')} ${pct(v)}` },
    h('span', { class: 'fill', style: `width:${isNum(v) ? Math.max(0, Math.min(100, v)) : 0}%` }));
  return h('div', { class: 'page programme' },
    h('p', { class: 'crumbs' }, h('a', { href: '#/programmes' }, `← ${t('pgmBack')}`)),
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, p.name, h('span', { class: 'code muted' }, ` ${p.code}`)),
        h('p', { class: 'meta' }, t('pgmYears', { a: p.first_year, b: p.last_year }))),
      sampleBadge(sample)),
    sample ? h('p', { class: 'sample-note' }, t('sampleNote')) : null,
    programmeSummary(p, false),
    h('section', { class: 'panel', 'aria-labelledby': 'pgm-list-h' },
      h('h2', { id: 'pgm-list-h' }, t('pgmList'), h('span', { class: 'muted' }, ` · ${count(list.length)}`)),
      table([t('pgmName'), t('prjArea'), { text: t('pgmBuildingsCol'), cls: 'num' }, { text: t('pgmHouseholdsCol'), cls: 'num' },
        { text: t('pgmFloor'), cls: 'num' }, t('pgmStartedCol'), t('pgmFinishedCol'), { text: t('prjProgress'), cls: 'num' }, ''],
      list.map((c) => h('tr', { 'data-testid': 'community' },
        h('td', null, c.name, c.sample ? [' ', h('span', { class: 'badge sample small', title: t('sampleNote') }, t('sampleShort'))] : null),
        h('td', null, c.area ? areaName(c.area) : '—'),
        h('td', { class: 'num' }, count(c.buildings)), h('td', { class: 'num' }, count(c.households)),
        h('td', { class: 'num' }, isNum(c.floor_area) ? nf(c.floor_area, 2) : '—'),
        h('td', null, c.started ? dayName(c.started) : '—'), h('td', null, c.finished ? dayName(c.finished) : '—'),
        h('td', { class: 'num' }, pct(c.progress)), h('td', { class: 'bar-cell' }, bar(c.progress)))),
      { 'data-testid': 'communities' })));
}

// A programme's plan (quoted from the seed) against what its recorded
// communities did.
function programmeSummary(p, linked) {
  const kpi = (label, value, testid, sub = null) => h('div', { class: 'kpi', 'data-testid': testid },
    h('span', { class: 'label' }, label), h('span', { class: 'v' }, value), sub ? h('span', { class: 'muted sub' }, sub) : null);
  const seed = (p.source || '').startsWith('seed:');
  const planned = (n, unit) => `${count(n)} ${unit}`;
  return h('section', { class: 'panel', 'data-testid': 'programme', 'data-code': p.code, 'aria-labelledby': `pgm-${p.code}` },
    h('h2', { id: `pgm-${p.code}` }, linked ? h('a', { href: `#/programmes/${encodeURIComponent(p.code)}` }, p.name) : t('pgmPlanned'),
      linked ? h('span', { class: 'muted' }, ` · ${t('pgmYears', { a: p.first_year, b: p.last_year })}`) : null),
    h('div', { class: 'kpis' },
      kpi(t('pgmPlanned'), planned(p.communities_planned, t('pgmCommunities')), 'planned-communities', seed ? t('pgmQuoted') : null),
      kpi(t('pgmPlanned'), planned(p.buildings_planned, t('pgmBuildings')), 'planned-buildings', seed ? t('pgmQuoted') : null),
      kpi(t('pgmPlanned'), planned(p.households_planned, t('pgmHouseholds')), 'planned-households', seed ? t('pgmQuoted') : null),
      kpi(t('pgmRecorded'), count(p.communities_n), 'recorded',
        `${t('pgmStarted')} ${count(p.started)} · ${t('pgmFinished')} ${count(p.finished)}`),
      kpi(t('pgmBuildingsDone'), count(p.buildings), 'buildings',
        p.buildings_planned ? `${t('pgmShare')} ${pct((p.buildings / p.buildings_planned) * 100)}` : null),
      kpi(t('pgmHouseholdsDone'), count(p.households), 'households',
        p.households_planned ? `${t('pgmShare')} ${pct((p.households / p.households_planned) * 100)}` : null),
      kpi(t('pgmProgress'), pct(p.progress_pct), 'progress')),
    seed ? h('p', { class: 'muted small source' }, `${t('prjSeed')}${t('colon')}`, h('q', { lang: 'zh-CN' }, p.source.replace(/^seed:L\d+:\s*/, ''))) : null,
    linked ? h('p', null, h('a', { class: 'button small', href: `#/programmes/${encodeURIComponent(p.code)}` }, t('pgmOpen'))) : null);
}

export const PAGES = {
  projects: (r, live) => (r.parts[1] ? projectPage(r, live) : pipelinePage(r, live)),
  programmes: programmesPage,
};
