// The civstat cockpit: a small single-page app over the HTTP API.  Hash
// routes (#/, #/indicator, #/indicator/FAI, #/brief, #/login), every text
// in the dictionary below (中文 first, English by the switch, remembered in
// localStorage), DOM built with h() so no figure or name is ever parsed as
// HTML.  ECharts is loaded only on the pages that draw charts.

// The pages of their own modules (projects.js, tasks.js), loaded when one
// of their routes is first shown, so the home page does not wait for them:
// each exports its TEXT ({zh, en}, merged into the dictionary below) and
// its PAGES (route name → page function), and imports the helpers it
// needs from here.
const MODULE_OF = {
  projects: './projects.js', programmes: './projects.js', tasks: './tasks.js', todo: './tasks.js',
  report: './requests.js', follow: './requests.js', requests: './requests.js',
};
const modules = new Map();

function pageModule(src) {
  if (!modules.has(src)) {
    modules.set(src, import(src).then((m) => {
      // A module's key must not take another's text: said on the
      // console, which the browser tests fail on.
      for (const lang of ['zh', 'en']) {
        for (const k of Object.keys(m.TEXT?.[lang] || {})) if (k in TEXT[lang]) console.error(`TEXT.${lang}.${k} twice`);
        Object.assign(TEXT[lang], m.TEXT?.[lang]);
      }
      return m;
    }, (e) => { modules.delete(src); throw e; }));
  }
  return modules.get(src);
}

const lazyPage = (name) => async (r, live) => (await pageModule(MODULE_OF[name])).PAGES[name](r, live);

// ---- the dictionary ---------------------------------------------------------

const TEXT = {
  zh: {
    skip: '跳到正文', brand: '发展指标驾驶舱', navLabel: '主导航', navHome: '总览',
    navIndicators: '指标', navProjects: '项目', navTasks: '督办', navTodo: '我的待办', navReport: '我要反映', navFollow: '进度查询',
    navRequests: '工单', navReqStats: '诉求统计', navBrief: '简报', navLogin: '登录', loading: '正在加载…',
    footer: '数据来源：各责任单位按月报送，civstat 实时汇总。标注“样例数据”的数字为演示用样例数据，不是真实统计。',
    title: '发展指标驾驶舱', period: '期间', area: '地区', timeProgress: '序时进度',
    sample: '样例数据', sampleShort: '样例',
    sampleNote: '本页含演示用样例数据（sample data），不是真实统计数据。',
    assessedCount: '考核指标 {n} 项', ahead: '超序时', close: '接近', behind: '滞后',
    noStatus: '无目标', aheadLong: '超序时进度', closeLong: '接近序时进度', behindLong: '滞后序时进度',
    pillar_stable: '稳', pillar_vital: '活', pillar_excellent: '优',
    pillarSub_stable: '经济社会稳', pillarSub_vital: '要素活力活', pillarSub_excellent: '发展质量优',
    countsLabel: '{p}：超序时 {a} 项，接近 {c} 项，滞后 {b} 项',
    ytd: '累计', latest: '最新值', ytdAvg: '累计均值', month: '本月', quarter: '本季',
    yoy: '同比', completion: '完成率', target: '年度目标', pp: '个百分点',
    vsProvince: '较全省平均', vsProvinceGrowth: '增速较全省平均', vsCoastal: '较沿海6市平均',
    vsCoastalGrowth: '增速较沿海6市平均', flat: '持平',
    alerts: '预警提示', behindList: '滞后序时进度的指标', noneBehind: '没有滞后序时进度的考核指标。',
    quality: '数据质量', qualityCount: '本月数据质量提示 {n} 条', qualityNone: '本月没有数据质量提示。',
    lateReports: '报送未完成的部门 {n} 个', lateNone: '各部门均已按时报送。',
    signInForQuality: '登录（填报员及以上）后可查看数据质量提示与报送情况。',
    indicators: '指标', allIndicators: '全部指标', filter: '筛选', filterPlaceholder: '名称或代码',
    code: '代码', name: '名称', unit: '单位', frequency: '频度', weight: '考核权重', pillar: '领域',
    freq_month: '月度', freq_quarter: '季度', freq_year: '年度',
    agg_sum: '累计求和', agg_last: '期末值', agg_avg: '平均值',
    dir_up: '越高越好', dir_down: '越低越好', department: '责任单位', aggregation: '时间汇总',
    direction: '方向', backHome: '返回总览', chartCumulative: '累计与目标进度', chartLevel: '月度数值与目标',
    chartYoy: '同比增速与对标', chartYoyPp: '同比变化与对标（个百分点）', thisYear: '{y}年累计',
    thisYearLevel: '{y}年', lastYear: '{y}年同期', targetPath: '目标序时进度', targetLine: '年度目标',
    monthValue: '当月值', yoyBars: '累计同比', yoyBarsPp: '同比变化',
    areasTable: '下辖地区', rank: '排名', score: '得分', status: '状态', noChildren: '该地区没有下辖地区。',
    noData: '暂无数据', error: '加载失败：{m}', retry: '重试',
    login: '登录', logout: '退出', account: '账号', password: '密码', signIn: '登录',
    signedInAs: '已登录：{n}（{r}）', loginTitle: '登录驾驶舱',
    loginHint: '领导、审核员、填报员和管理员使用本单位分配的账号登录；公众无需登录即可查看总览。',
    loginFailed: '登录失败：{m}', loggedOut: '已退出登录。', signedIn: '您已登录。',
    relogin: '页面重新加载后会话令牌已不在内存中，请重新登录后再退出。',
    unavailable: '数据库暂时无法连接，系统正在自动重连，请稍后再试（已显示的数据仍然有效）。',
    role_public: '公众', role_department: '填报员', role_reviewer: '审核员', role_leader: '领导', role_admin: '管理员',
    brief: '简报', print: '打印', printedAt: '打印时间：{t}', briefLang: '',
    kind_bounds: '超出范围', kind_part_of: '部分大于整体', kind_jump_prev: '环比波动过大',
    kind_jump_year: '同比波动过大', kind_outlier: '增速离群', kind_missing: '未报送', kind_not_submitted: '未提交审核',
    monthN: '{m}月', quarterN: '{q}季度', details: '查看', colon: '：',
    navEntry: '填报', navReview: '审核', entryTitle: '数据填报', reviewTitle: '审核队列',
    entryNeedsRole: '数据填报需要以填报员身份登录。', reviewNeedsRole: '审核队列需要以审核员或管理员身份登录。',
    entryNoDept: '该账号未绑定责任单位，不能填报。', needToken: '页面重新加载后会话令牌已失效，请重新登录后再保存。',
    entryHint: '填写本期数值，“保存草稿”后“提交审核”。与上期或上年同期相比波动超过50%的数值，须填写说明后才能提交。',
    entryPeriod: '填报期间', entryArea: '地区', lastPeriod: '上期', lastYearShort: '上年同期',
    explanation: '波动说明', explainPlaceholder: '说明波动原因', cellLabel: '{i}，{a}，{p}',
    jumpWarn: '较{w}{d}，波动超过50%，提交前请填写说明。', needNumber: '请输入数字。',
    needExplanation: '波动超过50%，请先填写说明再提交。', fixErrors: '请先更正标出的问题。',
    saveDraft: '保存草稿', submitReview: '提交审核', savedN: '已保存草稿 {n} 项。', submittedN: '已提交审核 {n} 项。',
    nothingToSave: '没有修改过的数值。', nothingToSubmit: '没有可提交的数值。', failedAt: '未保存：{m}',
    state_none: '未填', state_draft: '草稿', state_submitted: '已提交', state_approved: '已通过', state_returned: '已退回',
    returnReason: '退回原因：{r}', noEntryInds: '本期没有本单位需要填报的指标。',
    stateCounts: '未填 {none} · 草稿 {draft} · 已退回 {returned} · 已提交 {submitted} · 已通过 {approved}',
    approve: '通过', returnIt: '退回', returnTitle: '退回数值', reason: '退回原因', reasonRequired: '请填写退回原因。',
    cancel: '取消', confirmReturn: '确认退回', queueCount: '待审核 {n} 项', queueEmpty: '没有待审核的数值。',
    value: '数值', vsLastPeriod: '较上期', vsLastYear: '较上年', explanationCol: '填报说明', action: '操作',
    approvedOne: '已通过：{f}', returnedOne: '已退回：{f}', scope: '审核范围：{s}', scopeAll: '全部单位和地区',
    history: '修改记录', historyTitle: '数据修改记录', historyOf: '{a}{p}修改记录', historyEmpty: '暂无修改记录。',
    historyLoading: '正在加载修改记录…', historyCol: '记录',
    histAt: '时间', histActor: '操作人', histWhat: '操作', histValue: '修改前 → 修改后', histState: '状态变化', histComment: '说明',
    act_import: '导入', act_enter: '录入', act_submit: '提交审核', act_approve: '审核通过', act_return: '退回', act_reopen: '重新打开',
    table: '表格', closeDialog: '关闭', export: '导出', exportCsv: '导出CSV', exportExcel: '导出Excel',
    exportHint: '导出全部指标数据（不限于本页）',
    navCompare: '对标', compareTitle: '对标分析', indicator: '指标', cmpChart: '{c}与对标地区增速比较',
    cmpChartValue: '{c}与对标地区比较', cmpTable: '与对标地区的差距', cmpGroup: '对标地区', cmpCity: '{c}',
    cmpBenchmark: '对标值', cmpGap: '差距', cmpGrowth: '增速', cmpValue: '数值', cmpNone: '该指标本期没有对标数据。',
    cmpRank: '{c}下辖地区{i}排名', cmpBetter: '好于对标', cmpWorse: '差于对标',
    navPublic: '公开', publicTitle: '{c}发展成绩单', publicIntro: '向社会公开的发展指标，按月更新，无需登录即可查看。',
    homeReq: '急难愁盼 · 群众诉求', homeReq_open: '未办结 {n} 件', homeReq_overdue: '其中超时 {n} 件',
    homeReq_satisfy: '{y}满意率 {p}（{a}/{b}）', homeReq_report: '我要反映',
    homeProjects: '项目为王 · 重点项目', homePrj_plan: '在库项目 {n} 个，年度计划投资完成 {p}（序时进度 {tp}）',
    homePrj_behind: '投资滞后于计划 {n} 个', homePrj_overdue: '里程碑逾期 {n} 个', homePrj_not_started: '应开工未开工 {n} 个',
    publicCount: '公开指标 {n} 项', publicValue: '数值', publicNone: '本期没有公开指标的数据。',
    annualTitle: '年度成就', annualHint: '引自报道的年度数字：每项指标最近一年见报的数值。', year: '年份', source: '来源',
    quoted: '引自报道', yearN: '{y}年',
    navAdmin: '管理', adminTitle: '目录与账号管理', adminNeedsRole: '目录与账号管理需要以管理员身份登录。',
    importTitle: '导入数据', importHint: '上传 CSV 或 SDMX-CSV 文件（UTF-8 或 GB18030）：地区、部门、指标、数值、目标、对标。整个文件要么全部导入，要么不导入；错误会列出行号和列名。',
    importFile: '文件', importKind: '内容', kind_auto: '自动识别', kind_areas: '地区', kind_departments: '责任单位',
    kind_indicators: '指标', kind_values: '数值', kind_targets: '目标', kind_benchmarks: '对标', kind_sdmx: 'SDMX-CSV 数值',
    dryRun: '只检查，不写入', upload: '上传导入', uploading: '正在上传 {p}…', importing: '已上传，正在导入…',
    importOk: '导入成功', importChecked: '检查通过（未写入）', importFailed: '导入失败：发现 {n} 处错误，没有写入任何数据。',
    importRows: '{k} {n} 行', importFigures: '数值：新增 {a}，修改 {c}，未变 {u}，空值跳过 {s}', chooseFile: '请先选择文件。',
    catalogTitle: '指标目录', catalogHint: '目录、目标和对标以 CSV 维护：导出后在 Excel 中修改，再从上方导入。',
    publicCol: '公开', yes: '是', no: '否', exportKind: '导出{k}',
    usersTitle: '用户账号', userName: '账号', role: '角色', userArea: '地区（可选）', userState: '状态',
    active: '正常', disabled: '已停用', locked: '已锁定', addUser: '新增账号', disable: '停用', enable: '启用',
    resetPassword: '重置密码', newPassword: '账号 {n} 的初始密码：{p}（只显示这一次，请转交本人）', none: '（无）',
    userAdded: '已新增账号 {n}。', userChanged: '已更新账号 {n}。',
    liveUpdated: '数据已更新 {t}', sessionExpired: '会话已过期，请重新登录',
  },
  en: {
    skip: 'Skip to content', brand: 'Development Cockpit', navLabel: 'Main navigation', navHome: 'Overview',
    navIndicators: 'Indicators', navProjects: 'Projects', navTasks: 'Tasks', navTodo: 'My to-do', navReport: 'Report', navFollow: 'Follow',
    navRequests: 'Requests', navReqStats: 'Request stats', navBrief: 'Brief', navLogin: 'Sign in', loading: 'Loading…',
    footer: 'Figures reported monthly by the responsible departments and summed live by civstat. Figures marked “sample data” are demonstration data, not real statistics.',
    title: 'Development Cockpit', period: 'Period', area: 'Area', timeProgress: 'Time elapsed',
    sample: 'Sample data', sampleShort: 'Sample',
    sampleNote: 'This page shows demonstration sample data, not real statistics.',
    assessedCount: '{n} assessed indicators', ahead: 'Ahead', close: 'Close', behind: 'Behind',
    noStatus: 'No target', aheadLong: 'Ahead of schedule', closeLong: 'Close to schedule', behindLong: 'Behind schedule',
    pillar_stable: 'Stable', pillar_vital: 'Vital', pillar_excellent: 'Excellent',
    pillarSub_stable: 'economy, society, livelihoods', pillarSub_vital: 'every factor of growth',
    pillarSub_excellent: 'quality of development',
    countsLabel: '{p}: {a} ahead, {c} close, {b} behind',
    ytd: 'Year to date', latest: 'Latest', ytdAvg: 'YTD average', month: 'This month', quarter: 'This quarter',
    yoy: 'YoY', completion: 'Completion', target: 'Annual target', pp: 'pp',
    vsProvince: 'vs province avg', vsProvinceGrowth: 'Growth vs province avg', vsCoastal: 'vs coastal-6 avg',
    vsCoastalGrowth: 'Growth vs coastal-6 avg', flat: 'flat',
    alerts: 'Alerts', behindList: 'Indicators behind schedule', noneBehind: 'No assessed indicator is behind schedule.',
    quality: 'Data quality', qualityCount: '{n} data-quality findings this month', qualityNone: 'No data-quality findings this month.',
    lateReports: '{n} departments have not finished reporting', lateNone: 'Every department has reported on time.',
    signInForQuality: 'Sign in (department or above) to see data-quality findings and reporting.',
    indicators: 'Indicators', allIndicators: 'All indicators', filter: 'Filter', filterPlaceholder: 'name or code',
    code: 'Code', name: 'Name', unit: 'Unit', frequency: 'Frequency', weight: 'Weight', pillar: 'Pillar',
    freq_month: 'Monthly', freq_quarter: 'Quarterly', freq_year: 'Yearly',
    agg_sum: 'sum', agg_last: 'end of period', agg_avg: 'average',
    dir_up: 'higher is better', dir_down: 'lower is better', department: 'Department', aggregation: 'Over time',
    direction: 'Direction', backHome: 'Back to overview', chartCumulative: 'Year to date against the target path',
    chartLevel: 'Monthly figure against the target', chartYoy: 'Growth (YoY) and benchmarks',
    chartYoyPp: 'Change (YoY, pp) and benchmarks', thisYear: '{y} year to date', thisYearLevel: '{y}',
    lastYear: '{y} same period', targetPath: 'Target path', targetLine: 'Annual target',
    monthValue: 'Monthly figure', yoyBars: 'YTD growth', yoyBarsPp: 'Change',
    areasTable: 'Areas below', rank: 'Rank', score: 'Score', status: 'Status', noChildren: 'This area has no areas below it.',
    noData: 'No data', error: 'Could not load: {m}', retry: 'Retry',
    login: 'Sign in', logout: 'Sign out', account: 'Account', password: 'Password', signIn: 'Sign in',
    signedInAs: 'Signed in: {n} ({r})', loginTitle: 'Sign in to the cockpit',
    loginHint: 'Leaders, reviewers, department clerks and administrators sign in with their accounts; the public reads the overview without signing in.',
    loginFailed: 'Sign-in failed: {m}', loggedOut: 'Signed out.', signedIn: 'You are signed in.',
    relogin: 'After a reload the session token is no longer in memory: sign in again, then sign out.',
    unavailable: 'The database cannot be reached just now; civstat is reconnecting. Try again in a moment (the figures shown still hold).',
    role_public: 'public', role_department: 'department clerk', role_reviewer: 'reviewer', role_leader: 'leader', role_admin: 'administrator',
    brief: 'Brief', print: 'Print', printedAt: 'Printed {t}', briefLang: 'The brief is issued in Chinese.',
    kind_bounds: 'out of bounds', kind_part_of: 'part above its whole', kind_jump_prev: 'jump on last period',
    kind_jump_year: 'jump on last year', kind_outlier: 'growth outlier', kind_missing: 'not reported', kind_not_submitted: 'not submitted',
    monthN: '{m}', quarterN: 'Q{q}', details: 'Open', colon: ': ',
    navEntry: 'Data entry', navReview: 'Review', entryTitle: 'Data entry', reviewTitle: 'Review queue',
    entryNeedsRole: 'Sign in as a department clerk to enter figures.', reviewNeedsRole: 'Sign in as a reviewer or administrator to see the review queue.',
    entryNoDept: 'This account is not bound to a department and cannot enter figures.', needToken: 'After a reload the session token is gone: sign in again, then save.',
    entryHint: 'Enter this period’s figures, “Save draft”, then “Submit for review”. A figure more than 50% away from last period or the same period last year needs an explanation before it is submitted.',
    entryPeriod: 'Period', entryArea: 'Area', lastPeriod: 'Last period', lastYearShort: 'Last year',
    explanation: 'Explanation', explainPlaceholder: 'why the figure jumps', cellLabel: '{i}, {a}, {p}',
    jumpWarn: '{d} on {w}: more than 50%, explain it before submitting.', needNumber: 'Enter a number.',
    needExplanation: 'A jump of more than 50%: explain it before submitting.', fixErrors: 'Correct the marked cells first.',
    saveDraft: 'Save draft', submitReview: 'Submit for review', savedN: '{n} drafts saved.', submittedN: '{n} figures submitted for review.',
    nothingToSave: 'No figure has changed.', nothingToSubmit: 'Nothing to submit.', failedAt: 'Not saved: {m}',
    state_none: 'empty', state_draft: 'draft', state_submitted: 'submitted', state_approved: 'approved', state_returned: 'returned',
    returnReason: 'Returned: {r}', noEntryInds: 'Your department has no indicator to report for this period.',
    stateCounts: 'empty {none} · draft {draft} · returned {returned} · submitted {submitted} · approved {approved}',
    approve: 'Approve', returnIt: 'Return', returnTitle: 'Return a figure', reason: 'Reason', reasonRequired: 'Give the reason for returning it.',
    cancel: 'Cancel', confirmReturn: 'Return it', queueCount: '{n} figures to review', queueEmpty: 'Nothing waits for review.',
    value: 'Figure', vsLastPeriod: 'vs last period', vsLastYear: 'vs last year', explanationCol: 'Clerk’s note', action: 'Action',
    approvedOne: 'Approved: {f}', returnedOne: 'Returned: {f}', scope: 'Scope: {s}', scopeAll: 'all departments and areas',
    history: 'History', historyTitle: 'Changes to the figure', historyOf: 'History of {a}, {p}', historyEmpty: 'No changes recorded.',
    historyLoading: 'Loading the history…', historyCol: 'History',
    histAt: 'When', histActor: 'Who', histWhat: 'What', histValue: 'Before → after', histState: 'State', histComment: 'Comment',
    act_import: 'imported', act_enter: 'entered', act_submit: 'submitted', act_approve: 'approved', act_return: 'returned', act_reopen: 'reopened',
    table: 'Table', closeDialog: 'Close', export: 'Export', exportCsv: 'Export CSV', exportExcel: 'Export Excel',
    exportHint: 'Exports the figures of every indicator (not only this page)',
    navCompare: 'Benchmarks', compareTitle: 'Benchmarks', indicator: 'Indicator', cmpChart: 'Growth of {c} and its benchmarks',
    cmpChartValue: '{c} and its benchmarks', cmpTable: 'Gaps to the benchmarks', cmpGroup: 'Benchmark', cmpCity: '{c}',
    cmpBenchmark: 'Benchmark', cmpGap: 'Gap', cmpGrowth: 'growth', cmpValue: 'figure', cmpNone: 'No benchmark for this indicator in this period.',
    cmpRank: 'Areas of {c} ranked on {i}', cmpBetter: 'better than the benchmark', cmpWorse: 'worse than the benchmark',
    navPublic: 'Public', publicTitle: '{c}: how the city is doing', publicIntro: 'The indicators the city publishes, updated monthly, open to all without signing in.',
    homeReq: 'Residents\' requests', homeReq_open: '{n} open', homeReq_overdue: '{n} of them overdue',
    homeReq_satisfy: 'satisfaction {y}: {p} ({a}/{b})', homeReq_report: 'Report a problem',
    homeProjects: 'Key projects', homePrj_plan: '{n} projects; {p} of the year\'s planned investment done (time elapsed {tp})',
    homePrj_behind: '{n} behind their investment plan', homePrj_overdue: '{n} with an overdue milestone', homePrj_not_started: '{n} should have started',
    publicCount: '{n} public indicators', publicValue: 'Figure', publicNone: 'No public figures for this period.',
    annualTitle: 'Annual results', annualHint: 'Yearly figures quoted from the report: the latest year quoted for each indicator.', year: 'Year', source: 'Source',
    quoted: 'quoted from the report', yearN: '{y}',
    navAdmin: 'Admin', adminTitle: 'Catalogue and accounts', adminNeedsRole: 'Catalogue and accounts need an administrator to sign in.',
    importTitle: 'Import', importHint: 'Upload a CSV or SDMX-CSV file (UTF-8 or GB18030): areas, departments, indicators, figures, targets, benchmarks. A file goes in whole or not at all; errors name the line and the column.',
    importFile: 'File', importKind: 'Holds', kind_auto: 'detect', kind_areas: 'areas', kind_departments: 'departments',
    kind_indicators: 'indicators', kind_values: 'figures', kind_targets: 'targets', kind_benchmarks: 'benchmarks', kind_sdmx: 'SDMX-CSV figures',
    dryRun: 'check only, store nothing', upload: 'Upload and import', uploading: 'Uploading {p}…', importing: 'Uploaded, importing…',
    importOk: 'Imported', importChecked: 'Checked (nothing stored)', importFailed: 'Not imported: {n} errors found, nothing was stored.',
    importRows: '{k}: {n} rows', importFigures: 'figures: {a} added, {c} changed, {u} unchanged, {s} empty skipped', chooseFile: 'Choose a file first.',
    catalogTitle: 'Indicators', catalogHint: 'The catalogue, targets and benchmarks are kept as CSV: export, edit in Excel, import above.',
    publicCol: 'Public', yes: 'yes', no: 'no', exportKind: 'Export {k}',
    usersTitle: 'Accounts', userName: 'Name', role: 'Role', userArea: 'Area (optional)', userState: 'State',
    active: 'active', disabled: 'disabled', locked: 'locked', addUser: 'Add account', disable: 'Disable', enable: 'Enable',
    resetPassword: 'New password', newPassword: 'The password of {n}: {p} (shown this once: hand it over)', none: '(none)',
    userAdded: 'Account {n} added.', userChanged: 'Account {n} changed.',
    liveUpdated: 'Figures updated {t}', sessionExpired: 'Your session has expired: please sign in again.',
  },
};

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const QUARTERS_ZH = ['一', '二', '三', '四'];
const UNITS_EN = {
  亿元: '100 mn yuan', 万元: '10k yuan', 元: 'yuan', 万人: '10k persons', 人: 'persons', 万美元: '10k USD',
  万吨: '10k t', 万标箱: '10k TEU', 万平方米: '10k m²', 个: '', 户: 'entities', 家: 'firms', 天: 'days',
  工作日: 'working days', '微克/立方米': 'µg/m³', 项: 'items', 件: 'cases', 栋: 'buildings', 公里: 'km',
};
const GROUPS_EN = {
  全省平均: 'Province avg', 沿海6市平均: 'Coastal-6 avg', 大连: 'Dalian', 丹东: 'Dandong', 锦州: 'Jinzhou',
  营口: 'Yingkou', 盘锦: 'Panjin', 葫芦岛: 'Huludao', 沈阳: 'Shenyang', 鞍山: 'Anshan',
};
const ROLE_RANK = { public: 0, department: 1, reviewer: 2, leader: 3, admin: 4 };
const LANG_KEY = 'civstat.lang';

const state = {
  lang: readLang(),
  user: null,          // {name, role, ...} of the session, or null
  csrf: null,          // the session's CSRF token: in memory only
  cat: null,           // the catalogue: areas, indicators, departments
  latest: null,        // the latest month reported, '2025-09'
  gen: 0,              // render generation: late answers of an old page are dropped
  charts: [],          // ECharts instances of the page
  flash: null,         // a one-time message for the next page
  back: null,          // the page to return to after signing in again
};

function readLang() {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

function t(key, vars = {}) {
  const s = TEXT[state.lang][key] ?? TEXT.zh[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => (vars[k] ?? ''));
}

// ---- DOM ----------------------------------------------------------------------

// h('div', {class: 'x', onclick: f}, child, 'text', [children]) builds an element.
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

const $ = (sel, root = document) => root.querySelector(sel);

// ---- numbers, units, periods ----------------------------------------------------

function nf(v, dec) {
  return new Intl.NumberFormat(state.lang === 'zh' ? 'zh-CN' : 'en-US', {
    minimumFractionDigits: dec, maximumFractionDigits: dec,
  }).format(v);
}

const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

function unitText(unit) {
  if (state.lang === 'zh' || !unit) return unit || '';
  return unit in UNITS_EN ? UNITS_EN[unit] : unit;
}

// A figure and its unit as [number text, unit text]: thousands separators,
// the indicator's decimals, and in Chinese 万 / 亿 for large bare figures.
function figureParts(v, ind) {
  if (!isNum(v)) return ['—', ''];
  const unit = ind?.unit || '';
  let dec = Number.isInteger(ind?.decimals) ? ind.decimals : 2;
  let scale = '';
  if (state.lang === 'zh' && !/^[万亿]/.test(unit) && unit !== '%') {
    if (Math.abs(v) >= 1e8) { v /= 1e8; scale = '亿'; dec = 2; } else if (Math.abs(v) >= 1e5) { v /= 1e4; scale = '万'; dec = 2; }
  }
  return [nf(v, dec), scale + unitText(unit)];
}

function figure(v, ind) {
  const [n, u] = figureParts(v, ind);
  return u ? (state.lang === 'zh' || u === '%' ? n + u : `${n} ${u}`) : n;
}

const pct = (v) => (isNum(v) ? `${nf(v, 1)}%` : '—');

// +5.0% / −1.2% with an arrow; good says whether the change is welcome.
function signed(v, suffix, dec = 1) {
  if (!isNum(v)) return '—';
  if (Math.abs(v) < 0.05) return `${t('flat')}`;
  return `${v > 0 ? '▲' : '▼'}${nf(Math.abs(v), dec)}${suffix}`;
}

function goodness(v, ind) {
  if (!isNum(v) || Math.abs(v) < 0.05) return 'neutral';
  return (v > 0) === (ind?.direction !== 'down') ? 'good' : 'bad';
}

// '2025-09' -> {y: 2025, m: 9}
function ym(p) {
  const m = /^(\d{4})-(\d{2})$/.exec(p || '');
  return m ? { y: +m[1], m: +m[2] } : null;
}

const monthKey = (y, m) => `${y}-${String(m).padStart(2, '0')}`;

// The name of a period the Chinese way (2025年1-9月) or the English way.
function periodName(p) {
  if (!p) return '';
  let m;
  if ((m = /^(\d{4})-(\d{2})\/(\d{4})-(\d{2})$/.exec(p))) {
    const [y, a, y2, b] = [+m[1], +m[2], +m[3], +m[4]];
    if (y !== y2 || a === b) return periodName(`${y2}-${m[4]}`);
    return state.lang === 'zh' ? `${y}年${a}-${b}月` : `${MONTHS_EN[a - 1]}–${MONTHS_EN[b - 1]} ${y}`;
  }
  if ((m = /^(\d{4})-(\d{2})$/.exec(p))) return state.lang === 'zh' ? `${+m[1]}年${+m[2]}月` : `${MONTHS_EN[+m[2] - 1]} ${m[1]}`;
  if ((m = /^(\d{4})-Q([1-4])$/.exec(p))) return state.lang === 'zh' ? `${m[1]}年${QUARTERS_ZH[+m[2] - 1]}季度` : `Q${m[2]} ${m[1]}`;
  if ((m = /^(\d{4})$/.exec(p))) return state.lang === 'zh' ? `${m[1]}年` : m[1];
  return p;
}

// The year to date ending in a month: 2025-09 -> 2025年1-9月.
function ytdName(month) {
  const p = ym(month);
  return p ? periodName(p.m === 1 ? month : `${p.y}-01/${month}`) : '';
}

const lastMonthOf = (p) => (p || '').split('/').pop();

// ---- the API --------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field || null; // the JSON field at fault, when the API names one
  }
}

async function api(path, params = {}, { method = 'GET', body } = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const url = `/api/v1/${path}${q.size ? `?${q}` : ''}`;
  const headers = { Accept: 'application/json' };
  if (method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
  const res = await fetch(url, {
    method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch { /* not JSON */ }
  if (!res.ok) {
    const e = json?.error || {};
    if (res.status === 401 && state.user && path !== 'login') expired();
    // The database is being reached again (503): say so in the user's
    // language rather than in the store's words.
    const message = e.code === 'unavailable' ? t('unavailable') : e.message;
    throw new ApiError(res.status, e.code, message || `HTTP ${res.status}`, e.field);
  }
  return json;
}

// The server no longer knows the session (it expired, or was ended
// elsewhere): to the login page with the reason, and once signed in again
// back to the page the user was on.
function expired() {
  state.user = null;
  state.csrf = null;
  forgetView();
  renderWho();
  if (location.hash.startsWith('#/login')) return;
  state.flash = t('sessionExpired');
  state.back = location.hash || '#/';
  location.hash = '#/login';
}

// A request whose failure leaves its part of the page empty.
const optional = (p) => p.catch(() => null);

async function all(params) {
  const items = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await api(params.path, { limit: 1000, offset, ...params.query });
    items.push(...page.items);
    if (items.length >= page.total || !page.items.length) return items;
  }
}

// What the catalogue holds depends on who asks (the public sees only the
// indicators shown to it): forgotten when someone signs in or out.  A load
// under way for the view before is not kept.
function forgetView() {
  state.viewGen = (state.viewGen || 0) + 1;
  state.cat = null;
  state.latest = null;
}

// Loads once, however many ask at the same time: a request under way is
// shared, a failed one is asked again next time.
function once(load) {
  let pending = null;
  return () => (pending ??= load().finally(() => { pending = null; }));
}

const loadCatalogue = once(async () => {
  const gen = state.viewGen;
  const [areas, inds, depts] = await Promise.all([
    all({ path: 'areas' }), all({ path: 'indicators' }), all({ path: 'departments' }).catch(() => []),
  ]);
  const cat = {
    areas, inds, depts,
    area: new Map(areas.map((a) => [a.code, a])),
    ind: new Map(inds.map((i) => [i.code, i])),
    dept: new Map(depts.map((d) => [d.code, d])),
    root: areas.find((a) => !a.parent) || areas[0],
  };
  if (gen === state.viewGen) state.cat = cat;
  return cat;
});

async function catalogue() {
  return state.cat || loadCatalogue();
}

// The latest month reported (a figure submitted or approved): the API's
// default period.
const loadLatest = once(async () => {
  const cat = await catalogue();
  const ind = cat.inds.find((i) => i.frequency === 'month') || cat.inds[0];
  const rows = ind ? await api('progress', { indicator: ind.code }) : [];
  state.latest = lastMonthOf(rows[0]?.period) || null;
  return state.latest;
});

async function latestMonth() {
  return state.latest || loadLatest();
}

const nameOf = (x) => (state.lang === 'en' && x?.name_en ? x.name_en : x?.name ?? '');
const indName = (code, fallback) => nameOf(state.cat?.ind.get(code)) || fallback || code;
const areaName = (code, fallback) => nameOf(state.cat?.area.get(code)) || fallback || code;
const roleName = (role) => t(`role_${role}`);
const pillarName = (p) => (TEXT.zh[`pillar_${p}`] ? t(`pillar_${p}`) : p);
const pillarSub = (p) => (TEXT.zh[`pillarSub_${p}`] ? t(`pillarSub_${p}`) : '');
// The pillar's mark: its Chinese character (稳 活 优) in either language.
const pillarMark = (p, cls = '') => h('span', { class: `pillar-char ${cls} pillar-${p}`, title: pillarName(p) },
  TEXT.zh[`pillar_${p}`] || p.slice(0, 1).toUpperCase());
// The pillar's title: 经济社会稳, or Stable · economy, society, livelihoods.
const pillarTitle = (p) => (state.lang === 'zh' ? pillarSub(p) || p : [pillarName(p), pillarSub(p)].filter(Boolean).join(' · '));

// Which indicators the brief marks as sample data (its lines end in 样例数据).
function briefSamples(text) {
  const names = new Set();
  for (const line of (text || '').split('\n')) {
    const m = /^\s*[▲●▼]?\s*([^：]+)：.*（样例数据）/.exec(line);
    if (m) names.add(m[1].trim());
  }
  return names;
}

// ---- the frame: header, language, who is signed in --------------------------------

function applyLang() {
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  const city = state.cat?.root ? nameOf(state.cat.root) : '';
  document.title = `${city}${state.lang === 'zh' || !city ? '' : ' '}${t('title')} · civstat`;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
  for (const b of document.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === state.lang));
  if (state.cat?.root) $('#brand-city').textContent = nameOf(state.cat.root);
  renderWho();
  if ($('#live')) liveShown();
}

// Which roles may open the entry grid and the review queue.
const mayEnter = (u) => !!u && (u.role === 'department' || u.role === 'admin');
const mayReview = (u) => !!u && (u.role === 'reviewer' || u.role === 'admin');
// Who may read a figure's history (department and up) and export (leader and up).
const mayHistory = (u) => !!u && (ROLE_RANK[u.role] ?? 0) >= ROLE_RANK.department;
const mayExport = (u) => !!u && (ROLE_RANK[u.role] ?? 0) >= ROLE_RANK.leader;
// Whom the to-do view (我的待办, tasks.js) is for.
const mayTodo = (u) => !!u && ['department', 'leader', 'admin'].includes(u.role);

function renderWho() {
  const entry = $('[data-nav="entry"]');
  const review = $('[data-nav="review"]');
  if (entry) entry.hidden = !mayEnter(state.user);
  if (review) review.hidden = !mayReview(state.user);
  const admin = $('[data-nav="admin"]');
  if (admin) admin.hidden = state.user?.role !== 'admin';
  const todo = $('[data-nav="todo"]');
  if (todo) todo.hidden = !mayTodo(state.user);
  for (const a of document.querySelectorAll('[data-nav^="requests"]')) a.hidden = !mayHistory(state.user);
  const box = $('#who');
  if (!box) return;
  box.replaceChildren();
  if (state.user) {
    append(box, [
      h('span', { class: 'who-name', 'data-testid': 'who' },
        t('signedInAs', { n: state.user.name, r: roleName(state.user.role) })),
      h('button', { type: 'button', class: 'link-button', onclick: logout }, t('logout')),
    ]);
  } else {
    append(box, [h('a', { href: '#/login', class: 'who-login' }, t('navLogin'))]);
  }
}

async function logout() {
  if (!state.csrf) {
    // After a reload the token is gone: signing in again gives a new one.
    state.flash = t('relogin');
    if (location.hash.startsWith('#/login')) render();
    else location.hash = '#/login';
    return;
  }
  try {
    await api('logout', {}, { method: 'POST' });
    state.flash = t('loggedOut');
  } catch (e) {
    if (e.status === 401) { // expired() has said so and gone to the login page
      if (location.hash.startsWith('#/login')) render();
      return;
    }
    state.flash = t('relogin');
    location.hash = '#/login';
    return render();
  }
  state.user = null;
  state.csrf = null;
  forgetView();
  renderWho();
  if (location.hash.startsWith('#/login')) render();
  else location.hash = '#/login';
}

// ---- routing ------------------------------------------------------------------------

function route() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, qs] = raw.split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), query: Object.fromEntries(new URLSearchParams(qs || '')) };
}

function hrefOf(path, query = {}) {
  const q = new URLSearchParams(Object.entries(query).filter(([, v]) => v));
  return `#${path}${q.size ? `?${q}` : ''}`;
}

function setQuery(changes) {
  const r = route();
  location.hash = hrefOf(`/${r.parts.map(encodeURIComponent).join('/')}`, { ...r.query, ...changes });
}

// Draws the page of the hash.  quiet: the same page again with fresh
// figures (an event of the live stream): the user's scroll and focus are
// kept, and a failure leaves the page as it was.
async function render({ quiet = false } = {}) {
  const gen = ++state.gen;
  const r = route();
  const main = $('#main');
  const scroll = [window.scrollX, window.scrollY];
  const focused = document.activeElement?.id;
  // The charts on screen belong to the page being left: no longer 'drawn'.
  for (const el of main.querySelectorAll('[data-drawn]')) delete el.dataset.drawn;
  // The nav entry of the page: the longer one when two match (诉求统计
  // at #/requests/stats, not 工单).
  const two = r.parts.slice(0, 2).join('/');
  const here = $(`[data-nav="${CSS.escape(two)}"]`) ? two : r.parts[0] || 'home';
  for (const a of document.querySelectorAll('[data-nav]')) {
    const on = a.dataset.nav === here;
    if (on) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const page = {
    home: homePage, indicator: r.parts[1] ? indicatorPage : indicatorList, brief: briefPage, login: loginPage,
    entry: entryPage, review: reviewPage, compare: comparePage, public: publicPage, admin: adminPage,
    ...Object.fromEntries(Object.keys(MODULE_OF).map((name) => [name, lazyPage(name)])),
  }[r.parts[0] || 'home'] || homePage;
  if (page !== loginPage) state.back = null;
  follow(page === homePage || page === indicatorPage);
  const live = () => gen === state.gen;
  try {
    await catalogue();
    if (!live()) return;
    applyLang();
    const el = await page(r, live);
    if (!live() || !el) return;
    for (const c of state.charts) c.dispose();
    state.charts = [];
    main.replaceChildren(el);
    main.dataset.page = r.parts[0] || 'home';
    main.dataset.hash = location.hash || '#/'; // what is drawn, for tests to wait on
    if (quiet) {
      window.scrollTo(...scroll);
      if (focused) document.getElementById(focused)?.focus({ preventScroll: true });
      liveShown();
    }
    el.dispatchEvent(new Event('mounted'));
    if (main.dataset.page === 'home') markReady('civstat-home-ready', el, live);
  } catch (e) {
    if (!live()) return;
    console.warn(e);
    if (quiet) return;
    main.replaceChildren(h('div', { class: 'panel error', role: 'alert' },
      h('p', null, t('error', { m: e.message })),
      h('button', { type: 'button', class: 'button', onclick: render }, t('retry'))));
  }
}

// ---- live: the page follows the figures ------------------------------------------------

// While the home or an indicator page is shown it listens to the server's
// events (/api/v1/events); when the data change it fetches its figures
// again and redraws in place, a burst of changes as one refresh.
const feed = {
  source: null,   // the EventSource, while a live page is shown
  version: null,  // the data version the page was last drawn at
  catalog: false, // the catalogue changed too: fetch it again
  timer: 0,       // the refresh waiting for the burst to end
  at: null,       // when the page was last refreshed
};
const LIVE_DEBOUNCE_MS = 300;

// Opens the stream (on) or closes it (off).
function follow(on) {
  if (on && !feed.source && typeof EventSource === 'function') {
    feed.source = new EventSource('/api/v1/events');
    feed.source.addEventListener('hello', heard);
    feed.source.addEventListener('figures', heard);
    feed.source.addEventListener('catalog', heard);
  } else if (!on && feed.source) {
    feed.source.close();
    feed.source = null;
    feed.version = null;
    feed.at = null;
    clearTimeout(feed.timer);
    liveShown();
  }
}

// An event: the version it tells.  The hello of a new stream gives the
// version the page starts from; a hello after a reconnection that differs
// means changes were missed, and they are fetched like any other.
function heard(e) {
  let version;
  try {
    version = JSON.parse(e.data).version;
  } catch {
    return;
  }
  const first = feed.version === null;
  if (version === feed.version) return;
  feed.version = version;
  if (e.type === 'catalog') feed.catalog = true;
  if (first && e.type === 'hello') return;
  clearTimeout(feed.timer);
  feed.timer = setTimeout(refresh, LIVE_DEBOUNCE_MS);
}

async function refresh() {
  // A dialog open (a figure's history) is not pulled away from its reader.
  if ($('#main dialog[open]')) {
    feed.timer = setTimeout(refresh, 1000);
    return;
  }
  if (feed.catalog) {
    feed.catalog = false;
    state.cat = null;
    state.latest = null;
  }
  feed.at = new Date();
  await render({ quiet: true });
}

// The small status line: when the figures on screen were last refreshed.
function liveShown() {
  let el = $('#live');
  if (!el) {
    el = h('p', { id: 'live', class: 'live-status', role: 'status', 'aria-live': 'polite', 'data-testid': 'live' });
    $('#main').before(el);
  }
  el.hidden = !feed.source || !feed.at;
  el.dataset.version = feed.version ?? '';
  el.textContent = feed.at && feed.source
    ? t('liveUpdated', { t: feed.at.toLocaleTimeString(state.lang === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false }) })
    : '';
}

// Marks (performance.mark) the first time a page stands complete: its
// figures in place and every chart on it drawn (ECharts' 'finished' sets
// data-drawn), at the frame that paints them.  make bench reads the mark.
function markReady(name, el, live) {
  if (performance.getEntriesByName(name, 'mark').length) return;
  const step = () => {
    if (!live()) return;
    if ([...el.querySelectorAll('.chart')].some((c) => c.dataset.drawn !== '1')) requestAnimationFrame(step);
    else requestAnimationFrame(() => { if (live()) performance.mark(name); });
  };
  requestAnimationFrame(step);
}

// ---- shared parts ---------------------------------------------------------------------

// The period and area selectors of a page.
async function controls(r, { withArea = true } = {}) {
  const cat = await catalogue();
  const latest = await latestMonth();
  const sel = r.query.period || latest;
  const months = [];
  const l = ym(latest);
  if (l) for (let k = 0; k < 36; k++) {
    const d = new Date(l.y, l.m - 1 - k, 1);
    months.push(monthKey(d.getFullYear(), d.getMonth() + 1));
  }
  if (sel && !months.includes(sel)) months.unshift(sel);
  const area = r.query.area || cat.root?.code;
  const periodSel = h('select', { id: 'period', name: 'period', onchange: (e) => setQuery({ period: e.target.value }) },
    months.map((m) => h('option', { value: m, selected: m === sel }, ytdName(m))));
  const areaSel = h('select', { id: 'area', name: 'area', onchange: (e) => setQuery({ area: e.target.value }) },
    cat.areas.map((a) => h('option', { value: a.code, selected: a.code === area },
      `${'\u3000'.repeat(Math.max(0, (a.level || 1) - 1))}${nameOf(a)}`)));
  const p = ym(sel);
  return {
    period: r.query.period, month: sel, area, year: p?.y,
    timeProgress: p ? (p.m / 12) * 100 : null,
    el: h('div', { class: 'controls' },
      h('label', { for: 'period' }, t('period')), periodSel,
      withArea ? [h('label', { for: 'area' }, t('area')), areaSel] : null,
      p ? h('span', { class: 'tp' }, `${t('timeProgress')} `, h('strong', null, pct((p.m / 12) * 100))) : null),
  };
}

function sampleBadge(on = true) {
  return on ? h('span', { class: 'badge sample', 'data-testid': 'sample', title: t('sampleNote') }, t('sample')) : null;
}

function light(status) {
  const s = ['ahead', 'close', 'behind'].includes(status) ? status : 'none';
  return h('span', { class: `light ${s}` }, h('span', { class: 'dot', 'aria-hidden': 'true' }),
    s === 'none' ? t('noStatus') : t(s));
}

// The completion bar: filled to 完成率, a tick at 序时进度.
function progressBar(row) {
  const c = isNum(row.completion_pct) ? Math.max(0, Math.min(row.completion_pct, 100)) : 0;
  const tp = isNum(row.time_progress_pct) ? Math.min(row.time_progress_pct, 100) : null;
  return h('div', { class: 'bar', role: 'img', 'aria-label': `${t('completion')} ${pct(row.completion_pct)}, ${t('timeProgress')} ${pct(row.time_progress_pct)}` },
    h('span', { class: `fill ${row.status || ''}`, style: `width:${c}%` }),
    tp !== null ? h('span', { class: 'tick', style: `left:${tp}%` }) : null);
}

function valueLabel(ind) {
  return ind?.time_agg === 'last' ? t('latest') : ind?.time_agg === 'avg' ? t('ytdAvg') : t('ytd');
}

// 同比 of a progress row: points for a rate held at its latest value, else %.
function yoyText(row, growth, ind) {
  if (ind?.unit === '%' && ind?.time_agg === 'last' && isNum(growth?.change)) {
    return { text: signed(growth.change, state.lang === 'zh' ? t('pp') : ` ${t('pp')}`), good: goodness(growth.change, ind) };
  }
  return { text: signed(row.yoy_pct, '%'), good: goodness(row.yoy_pct, ind) };
}

function gapText(cmp, ind, group = '全省平均') {
  if (!cmp || !isNum(cmp.gap_pp)) return null;
  const label = group === '全省平均'
    ? (cmp.measure === 'growth' ? t('vsProvinceGrowth') : t('vsProvince'))
    : (cmp.measure === 'growth' ? t('vsCoastalGrowth') : t('vsCoastal'));
  const unit = state.lang === 'zh' ? t('pp') : ` ${t('pp')}`;
  return { label, text: signed(cmp.gap_pp, unit), good: goodness(cmp.gap_pp, ind) };
}

function table(head, rows, attrs = {}) {
  const wrap = h('div', { class: 'table-wrap' }, h('table', attrs,
    h('thead', null, h('tr', null, head.map((c) => h('th', { scope: 'col', class: c.cls }, c.text ?? c)))),
    h('tbody', null, rows)));
  scrollables.observe(wrap);
  return wrap;
}

// A table wider than its box scrolls inside it (a phone); the box is then a
// named region in the tab order, so a keyboard can scroll it too.
const scrollables = new ResizeObserver((entries) => {
  for (const { target: el } of entries) {
    if (el.scrollWidth > el.clientWidth + 1) {
      const head = el.closest('section')?.querySelector('h2') || el.closest('.page')?.querySelector('h1');
      el.tabIndex = 0;
      el.setAttribute('role', 'region');
      el.setAttribute('aria-label', head?.textContent.trim() || t('table'));
    } else {
      el.removeAttribute('tabindex');
      el.removeAttribute('role');
      el.removeAttribute('aria-label');
    }
  }
});

// ---- 总览 home ---------------------------------------------------------------------------

async function homePage(r) {
  const cat = await catalogue();
  const c = await controls(r);
  const q = { period: c.period, area: c.area };
  const signedIn = state.user && ROLE_RANK[state.user.role] >= ROLE_RANK.department;
  const [pillars, progress, growth, compare, brief, check, reporting, projInv, pipeline, reqStats, reqLate] = await Promise.all([
    api('pillars', { ...q, assessed: 1 }),
    api('progress', { ...q, assessed: 1 }),
    optional(api('growth', { ...q, assessed: 1 })),
    optional(api('compare', { ...q, assessed: 1 })),
    optional(api('brief', q)),
    signedIn ? optional(api('check', { period: c.period })) : null,
    signedIn ? optional(api('reporting', { period: c.period })) : null,
    optional(api('progress', { ...q, indicator: 'PROJ_INV' })),
    optional(api('projects/summary', { by: 'phase', period: c.month })),
    optional(api('requests/stats')),
    signedIn ? optional(api('requests', { overdue: 1, limit: 1, counts: 0 })) : null,
  ]);
  const briefText = brief?.[0]?.brief || '';
  const samples = briefSamples(briefText);
  const isSample = (row) => row.sample === true || row.sample === 1 || row.sample === '1' || samples.has(row.indicator_name);
  const growthOf = new Map((growth || []).map((g) => [g.indicator, g]));
  const cmpOf = new Map();
  for (const x of compare || []) cmpOf.set(`${x.indicator}|${x.group}`, x);
  const anySample = briefText.includes('样例数据') || progress.some(isSample);
  const period = progress[0]?.period || c.month;

  const rowsBy = new Map();
  for (const row of progress) {
    const p = cat.ind.get(row.indicator)?.pillar || 'other';
    if (!rowsBy.has(p)) rowsBy.set(p, []);
    rowsBy.get(p).push(row);
  }
  const order = { behind: 0, close: 1, ahead: 2 };
  const columns = (pillars || []).map((pl) => {
    const rows = (rowsBy.get(pl.pillar) || []).slice()
      .sort((a, b) => (order[a.status] ?? 3) - (order[b.status] ?? 3) || (cat.ind.get(b.indicator)?.weight || 0) - (cat.ind.get(a.indicator)?.weight || 0));
    return h('section', { class: `pillar pillar-${pl.pillar}`, 'data-testid': 'pillar', 'aria-labelledby': `pl-${pl.pillar}` },
      h('header', { class: 'pillar-head' },
        h('h2', { id: `pl-${pl.pillar}` }, pillarMark(pl.pillar),
          h('span', { class: 'pillar-sub' }, pillarTitle(pl.pillar))),
        h('p', { class: 'counts', title: t('countsLabel', { p: pillarName(pl.pillar), a: pl.ahead, c: pl.close, b: pl.behind }) },
          h('span', { class: 'count ahead' }, h('b', null, pl.ahead), t('ahead')),
          h('span', { class: 'count close' }, h('b', null, pl.close), t('close')),
          h('span', { class: 'count behind' }, h('b', null, pl.behind), t('behind')))),
      h('div', { class: 'cards' }, rows.map((row) => card(row, cat, growthOf.get(row.indicator),
        cmpOf.get(`${row.indicator}|全省平均`), isSample(row), c))));
  });

  const behind = progress.filter((x) => x.status === 'behind');
  const counts = (pillars || []).reduce((s, p) => ({ a: s.a + p.ahead, c: s.c + p.close, b: s.b + p.behind, n: s.n + p.n_indicators }), { a: 0, c: 0, b: 0, n: 0 });
  const alerts = h('section', { class: 'panel alerts', 'aria-labelledby': 'alerts-h', 'data-testid': 'alerts' },
    h('h2', { id: 'alerts-h' }, t('alerts')),
    h('div', { class: 'alert-grid' },
      h('div', { class: 'alert-block' },
        h('h3', null, h('span', { class: 'light behind' }, h('span', { class: 'dot', 'aria-hidden': 'true' })), t('behindList'), ` · ${behind.length}`),
        behind.length
          ? h('ul', { class: 'alert-list' }, behind.map((x) => h('li', null,
            h('a', { href: hrefOf(`/indicator/${encodeURIComponent(x.indicator)}`, { period: c.period, area: c.area }) }, indName(x.indicator, x.indicator_name)),
            h('span', { class: 'muted' }, ` ${t('completion')} ${pct(x.completion_pct)} / ${t('timeProgress')} ${pct(x.time_progress_pct)}`))))
          : h('p', { class: 'muted' }, t('noneBehind'))),
      h('div', { class: 'alert-block', 'data-testid': 'quality' },
        h('h3', null, t('quality')),
        signedIn ? qualityBlock(check, reporting) : h('p', { class: 'muted' }, t('signInForQuality'))),
      projectsBlock(projInv?.[0], pipeline, c),
      requestsBlock(reqStats, reqLate)));

  return h('div', { class: 'page home' },
    h('div', { class: 'page-head' },
      h('div', null,
        h('h1', null, `${nameOf(cat.area.get(c.area))} · ${periodName(period)}`),
        h('p', { class: 'summary' }, t('assessedCount', { n: counts.n }), ' · ',
          h('span', { class: 'count-inline ahead' }, `${t('ahead')} ${counts.a}`), ' · ',
          h('span', { class: 'count-inline close' }, `${t('close')} ${counts.c}`), ' · ',
          h('span', { class: 'count-inline behind' }, `${t('behind')} ${counts.b}`))),
      sampleBadge(anySample)),
    c.el,
    anySample ? h('p', { class: 'sample-note' }, t('sampleNote')) : null,
    alerts,
    h('div', { class: 'pillars' }, columns));
}

// 项目为王 on the home page: the key projects' completed investment, the
// figure the monthly reports feed into the indicator PROJ_INV (never
// typed), and what is wrong in the pipeline, each a way into #/projects.
function projectsBlock(inv, sum, c) {
  const all = sum?.items?.find((x) => x.key === 'total');
  if (!inv && !all?.n) return null;
  const flag = (key, n, filter) => h('li', null, h('a', { href: hrefOf('/projects', filter), 'data-testid': `home-${key}` },
    t(`homePrj_${key}`, { n })));
  return h('div', { class: 'alert-block', 'data-testid': 'home-projects' },
    h('h3', null, h('a', { href: '#/projects' }, t('homeProjects'))),
    inv ? h('p', { class: 'home-prj-inv' },
      indName('PROJ_INV', inv.indicator_name), ` · ${ytdName(inv.period?.split('/').pop() || c.month)}${t('colon')}`,
      h('a', { href: hrefOf('/indicator/PROJ_INV', { period: c.period, area: c.area }), 'data-testid': 'home-proj-inv' },
        h('strong', null, figure(inv.ytd_value, state.cat?.ind.get('PROJ_INV') || { unit: '亿元' }))),
      inv.sample ? [' ', h('span', { class: 'badge sample small', title: t('sampleNote') }, t('sampleShort'))] : null) : null,
    all?.n ? h('ul', { class: 'alert-list' },
      h('li', null, t('homePrj_plan', { n: all.n, p: pct(all.completion_pct), tp: pct(sum.time_progress_pct) })),
      all.behind ? flag('behind', all.behind, { flag: 'behind' }) : null,
      all.overdue ? flag('overdue', all.overdue, { flag: 'overdue' }) : null,
      all.not_started ? flag('not_started', all.not_started, { flag: 'not_started' }) : null) : null);
}

// 急难愁盼 on the home page: the requests open now (动态清零: it should
// fall to zero), the overdue among them (staff), the year's satisfaction.
function requestsBlock(stats, late) {
  const all = stats?.items?.[0];
  if (!all) return null;
  const sat = all.rates?.satisfaction || {};
  return h('div', { class: 'alert-block', 'data-testid': 'home-requests' },
    h('h3', null, h('a', { href: mayHistory(state.user) ? '#/requests' : '#/report' }, t('homeReq'))),
    h('ul', { class: 'alert-list' },
      h('li', { 'data-testid': 'home-req-open' }, t('homeReq_open', { n: all.open ?? 0 }),
        late ? [' · ', h('a', { href: '#/requests?overdue=1', class: late.total ? 'bad' : null, 'data-testid': 'home-req-overdue' },
          t('homeReq_overdue', { n: late.total }))] : null),
      sat.den ? h('li', { 'data-testid': 'home-req-satisfy' },
        t('homeReq_satisfy', { y: ytdName(stats.to), p: pct(sat.rate), a: sat.num, b: sat.den })) : null,
      h('li', null, h('a', { href: '#/report' }, t('homeReq_report')))));
}

function card(row, cat, growth, cmp, sample, c) {
  const ind = cat.ind.get(row.indicator) || { unit: row.unit };
  const [num, unit] = figureParts(row.ytd_value, ind);
  const yoy = yoyText(row, growth, ind);
  const gap = gapText(cmp, ind);
  const showMonth = ind.time_agg !== 'last' && growth && isNum(growth.value);
  return h('article', { class: `card ${row.status || 'none'}`, 'data-testid': 'card', 'data-indicator': row.indicator },
    h('div', { class: 'card-head' },
      h('h3', null, h('a', { href: hrefOf(`/indicator/${encodeURIComponent(row.indicator)}`, { period: c.period, area: c.area }) },
        indName(row.indicator, row.indicator_name))),
      light(row.status)),
    h('div', { class: 'card-value' },
      h('span', { class: 'label' }, valueLabel(ind)),
      h('span', { class: 'num', 'data-testid': 'value' }, num),
      h('span', { class: 'unit', 'data-testid': 'unit' }, unit),
      sample ? h('span', { class: 'badge sample small', title: t('sampleNote') }, t('sampleShort')) : null),
    h('dl', { class: 'facts' },
      showMonth ? [h('dt', null, ind.frequency === 'quarter' ? t('quarter') : t('month')), h('dd', null, figure(growth.value, ind))] : null,
      h('dt', null, t('yoy')), h('dd', { class: yoy.good }, yoy.text),
      isNum(row.target) ? [h('dt', null, t('target')), h('dd', null, figure(row.target, ind))] : null),
    h('div', { class: 'completion' },
      h('div', { class: 'completion-text' },
        h('span', null, `${t('completion')} `, h('b', null, pct(row.completion_pct))),
        h('span', { class: 'muted' }, `${t('timeProgress')} ${pct(row.time_progress_pct)}`)),
      progressBar(row)),
    gap ? h('p', { class: 'gap' }, `${gap.label} `, h('span', { class: gap.good }, gap.text)) : null);
}

function qualityBlock(check, reporting) {
  const parts = [];
  if (check) {
    const kinds = new Map();
    for (const f of check) kinds.set(f.kind, (kinds.get(f.kind) || 0) + 1);
    parts.push(h('p', { class: 'quality-count' }, check.length ? t('qualityCount', { n: check.length }) : t('qualityNone')));
    if (kinds.size) parts.push(h('ul', { class: 'chips' }, [...kinds].map(([k, n]) => h('li', { class: 'chip' }, `${t(`kind_${k}`)} ${n}`))));
  }
  if (reporting) {
    const late = reporting.filter((d) => isNum(d.expected) && (d.submitted ?? 0) < d.expected);
    parts.push(h('p', null, late.length ? t('lateReports', { n: late.length }) : t('lateNone')));
    if (late.length) parts.push(h('ul', { class: 'chips' }, late.map((d) =>
      h('li', { class: 'chip warn' }, `${nameOf(state.cat.dept.get(d.department)) || d.department_name} ${d.submitted}/${d.expected}`))));
  }
  return parts;
}

// ---- 指标 the indicator list -----------------------------------------------------------------

async function indicatorList(r) {
  const cat = await catalogue();
  const filter = (r.query.q || '').trim().toLowerCase();
  const pillars = [...new Set(cat.inds.map((i) => i.pillar))];
  const groups = pillars.map((p) => {
    const inds = cat.inds.filter((i) => i.pillar === p && (!filter || `${i.code} ${i.name} ${i.name_en}`.toLowerCase().includes(filter)));
    if (!inds.length) return null;
    return h('section', { class: 'panel' },
      h('h2', null, pillarMark(p, 'small'), ' ', pillarTitle(p), h('span', { class: 'muted' }, ` · ${inds.length}`)),
      table([t('name'), t('code'), t('unit'), t('frequency'), { text: t('weight'), cls: 'num' }],
        inds.map((i) => h('tr', null,
          h('td', null, h('a', { href: hrefOf(`/indicator/${encodeURIComponent(i.code)}`, { period: r.query.period, area: r.query.area }) }, nameOf(i))),
          h('td', { class: 'code' }, i.code), h('td', null, unitText(i.unit)), h('td', null, t(`freq_${i.frequency}`)),
          h('td', { class: 'num' }, isNum(i.weight) ? nf(i.weight, 1) : '')))));
  });
  const input = h('input', {
    id: 'filter', type: 'search', value: r.query.q || '', placeholder: t('filterPlaceholder'),
    onchange: (e) => setQuery({ q: e.target.value }),
  });
  return h('div', { class: 'page list' },
    h('div', { class: 'page-head' }, h('h1', null, t('allIndicators'), h('span', { class: 'muted' }, ` · ${cat.inds.length}`))),
    h('div', { class: 'controls' }, h('label', { for: 'filter' }, t('filter')), input),
    groups);
}

// ---- 公开 the public page ----------------------------------------------------------------------

// What the city publishes: every indicator shown to the public, by pillar,
// with its figure, 同比 and 完成率 against 序时进度.  Asked with ?public=1,
// so that signed-in staff see exactly what residents see.
async function publicPage(r) {
  const cat = await catalogue();
  const c = await controls(r);
  const q = { period: c.period, area: c.area, public: 1 };
  const [progress, growth] = await Promise.all([api('progress', q), optional(api('growth', q))]);
  const growthOf = new Map((growth || []).map((g) => [g.indicator, g]));
  const shown = progress.filter((row) => isNum(row.ytd_value));
  const anySample = shown.some((row) => row.sample === true || row.sample === 1);
  const groups = ['stable', 'vital', 'excellent'].map((p) => {
    const rows = shown.filter((row) => cat.ind.get(row.indicator)?.pillar === p);
    if (!rows.length) return null;
    return h('section', { class: 'panel', 'data-testid': 'public-pillar', 'aria-labelledby': `pub-${p}` },
      h('h2', { id: `pub-${p}` }, pillarMark(p, 'small'), ' ', pillarTitle(p), h('span', { class: 'muted' }, ` · ${rows.length}`)),
      table([t('name'), { text: t('publicValue'), cls: 'num' }, t('unit'), { text: t('yoy'), cls: 'num' },
        { text: t('completion'), cls: 'num' }, t('status')],
      rows.map((row) => {
        const ind = cat.ind.get(row.indicator) || { unit: row.unit };
        const [num, unit] = figureParts(row.ytd_value, ind);
        const yoy = yoyText(row, growthOf.get(row.indicator), ind);
        return h('tr', { 'data-indicator': row.indicator },
          h('td', null, h('a', { href: hrefOf(`/indicator/${encodeURIComponent(row.indicator)}`, { period: c.period, area: c.area }) },
            indName(row.indicator, row.indicator_name)), ' ', h('span', { class: 'muted small' }, valueLabel(ind)),
          row.sample === true || row.sample === 1 ? h('span', { class: 'badge sample small', title: t('sampleNote') }, t('sampleShort')) : null),
          h('td', { class: 'num' }, num), h('td', null, unit),
          h('td', { class: `num ${yoy.good || ''}` }, yoy.text),
          h('td', { class: 'num' }, isNum(row.completion_pct) ? pct(row.completion_pct) : ''),
          h('td', null, isNum(row.completion_pct) ? light(row.status) : ''));
      })));
  });
  const period = shown[0]?.period || progress[0]?.period || c.month;
  const annual = await annualResults(cat, c);
  return h('div', { class: 'page public' },
    h('div', { class: 'page-head' },
      h('div', null,
        h('h1', null, t('publicTitle', { c: nameOf(cat.area.get(c.area)) }), ' · ', periodName(period)),
        h('p', { class: 'summary' }, t('publicIntro'), ' ', t('publicCount', { n: shown.length }))),
      sampleBadge(anySample)),
    c.el,
    anySample ? h('p', { class: 'sample-note' }, t('sampleNote')) : null,
    shown.length ? groups : h('p', { class: 'panel muted' }, t('publicNone')),
    annual);
}

// The annual indicators' yearly figures that the report quotes (not the
// demo's sample ones), the latest year of each, from the four years before
// the period's: the city's results as published.
async function annualResults(cat, c) {
  const y = Number(String(c.period || c.month).slice(0, 4));
  const years = [y - 1, y - 2, y - 3, y - 4];
  const answers = await Promise.all(years.map((yr) => optional(api('progress', { period: String(yr), area: c.area, public: 1 }))));
  const latest = new Map();
  answers.forEach((rows, k) => {
    for (const row of rows || []) {
      const quoted = row.sample === false || row.sample === 0;
      if (cat.ind.get(row.indicator)?.frequency !== 'year' || !isNum(row.ytd_value) || !quoted || latest.has(row.indicator)) continue;
      latest.set(row.indicator, { row, year: years[k] });
    }
  });
  if (!latest.size) return null;
  const rows = [...latest.values()].sort((a, b) => b.year - a.year);
  return h('section', { class: 'panel', 'data-testid': 'annual', 'aria-labelledby': 'annual-h' },
    h('h2', { id: 'annual-h' }, t('annualTitle'), h('span', { class: 'muted' }, ` · ${rows.length}`)),
    h('p', { class: 'muted' }, t('annualHint')),
    table([t('name'), t('year'), { text: t('publicValue'), cls: 'num' }, t('unit'), t('source')],
      rows.map(({ row, year }) => {
        const ind = cat.ind.get(row.indicator);
        const [num, unit] = figureParts(row.ytd_value, ind);
        return h('tr', { 'data-indicator': row.indicator },
          h('td', null, h('a', { href: hrefOf(`/indicator/${encodeURIComponent(row.indicator)}`, { period: String(year), area: c.area }) },
            indName(row.indicator, row.indicator_name))),
          h('td', null, t('yearN', { y: year })), h('td', { class: 'num' }, num), h('td', null, unit),
          h('td', null, t('quoted')));
      })));
}

// ---- 管理 catalogue and accounts (admin) --------------------------------------------------------

const IMPORT_KINDS = ['auto', 'values', 'indicators', 'targets', 'benchmarks', 'areas', 'departments', 'sdmx'];

// Uploads a file to POST /imports with XMLHttpRequest, for its progress
// events; resolves with {status, json}.
function uploadFile(file, query, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const q = new URLSearchParams(Object.entries(query).filter(([, v]) => v));
    xhr.open('POST', `/api/v1/imports${q.size ? `?${q}` : ''}`);
    xhr.setRequestHeader('X-CSRF-Token', state.csrf || '');
    xhr.setRequestHeader('Content-Type', 'text/csv');
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.upload.onload = () => onProgress(1);
    xhr.onload = () => {
      let json = null;
      try { json = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      resolve({ status: xhr.status, json });
    };
    xhr.onerror = () => reject(new Error('network'));
    xhr.send(file);
  });
}

function importPanel() {
  const file = h('input', { id: 'import-file', type: 'file', accept: '.csv,text/csv' });
  const kind = h('select', { id: 'import-kind' }, IMPORT_KINDS.map((k) => h('option', { value: k }, t(`kind_${k}`))));
  const dry = h('input', { id: 'import-dry', type: 'checkbox' });
  const bar = h('progress', { max: 100, value: 0, hidden: true, 'aria-label': t('upload') });
  const msg = h('p', { class: 'form-msg', role: 'status', 'aria-live': 'polite', 'data-testid': 'import-msg' });
  const report = h('div', { 'data-testid': 'import-report' });
  const button = h('button', { type: 'submit', class: 'button primary' }, t('upload'));
  const form = h('form', {
    class: 'import-form',
    onsubmit: async (e) => {
      e.preventDefault();
      const f = file.files[0];
      report.replaceChildren();
      if (!f) {
        msg.className = 'form-msg error';
        msg.textContent = t('chooseFile');
        return;
      }
      button.disabled = true;
      bar.hidden = false;
      msg.className = 'form-msg';
      try {
        const res = await uploadFile(f, { kind: kind.value === 'auto' ? '' : kind.value, name: f.name, dry_run: dry.checked ? '1' : '' }, (x) => {
          bar.value = Math.round(x * 100);
          msg.textContent = x < 1 ? t('uploading', { p: `${Math.round(x * 100)}%` }) : t('importing');
        });
        const r = res.json || {};
        if (res.status === 200) {
          msg.className = 'form-msg ok';
          msg.textContent = r.dry_run ? t('importChecked') : t('importOk');
          state.cat = null; // the catalogue may have changed
        } else {
          msg.className = 'form-msg error';
          msg.textContent = r.n_errors ? t('importFailed', { n: r.n_errors }) : t('error', { m: r.error?.message || `HTTP ${res.status}` });
        }
        const rows = Object.entries(r.rows || {}).map(([k, n]) => h('li', null, t('importRows', { k: t(`kind_${k}`), n: nf(n, 0) })));
        if (res.status === 200 && (r.rows?.values || r.rows?.sdmx)) {
          rows.push(h('li', null, t('importFigures', { a: nf(r.added, 0), c: nf(r.changed, 0), u: nf(r.unchanged, 0), s: nf(r.skipped, 0) })));
        }
        report.append(h('ul', { class: 'plain' }, rows));
        if (r.errors?.length) {
          report.append(h('ol', { class: 'errors', 'data-testid': 'import-errors' }, r.errors.map((x) => h('li', null, typeof x === 'string' ? x : x.message || JSON.stringify(x)))));
        }
      } catch (err) {
        msg.className = 'form-msg error';
        msg.textContent = t('error', { m: err.message });
      } finally {
        button.disabled = false;
        bar.hidden = true;
      }
    },
  },
  h('div', { class: 'form-row' }, h('label', { for: 'import-file' }, t('importFile')), file),
  h('div', { class: 'form-row' }, h('label', { for: 'import-kind' }, t('importKind')), kind),
  h('div', { class: 'form-row' }, h('label', { for: 'import-dry', class: 'check' }, dry, ' ', t('dryRun'))),
  h('div', { class: 'form-row' }, button, bar),
  msg, report);
  return h('section', { class: 'panel', 'aria-labelledby': 'import-h' },
    h('h2', { id: 'import-h' }, t('importTitle')), h('p', { class: 'muted' }, t('importHint')), form);
}

async function catalogPanel() {
  const { items } = await api('indicators', { limit: 1000 });
  const kinds = ['indicators', 'targets', 'benchmarks', 'areas', 'departments'];
  return h('section', { class: 'panel', 'aria-labelledby': 'catalog-h' },
    h('h2', { id: 'catalog-h' }, t('catalogTitle'), h('span', { class: 'muted' }, ` · ${items.length}`)),
    h('p', { class: 'muted' }, t('catalogHint'), ' ',
      kinds.map((k) => [h('a', { class: 'button small', href: `/api/v1/exports/${k}`, download: `${k}.csv` }, t('exportKind', { k: t(`kind_${k}`) })), ' '])),
    table([t('code'), t('name'), t('pillar'), t('unit'), t('department'), { text: t('weight'), cls: 'num' }, t('publicCol')],
      items.map((i) => h('tr', { 'data-indicator': i.code },
        h('td', { class: 'code' }, i.code), h('td', null, nameOf(i)), h('td', null, pillarName(i.pillar)),
        h('td', null, unitText(i.unit)), h('td', null, i.department || ''),
        h('td', { class: 'num' }, isNum(i.weight) ? nf(i.weight, 1) : ''),
        h('td', null, i.public ? t('yes') : t('no'))))));
}

async function usersPanel() {
  const cat = await catalogue();
  const panel = h('section', { class: 'panel', 'aria-labelledby': 'users-h', 'data-testid': 'users' });
  const msg = h('p', { class: 'form-msg', role: 'status', 'aria-live': 'polite', 'data-testid': 'users-msg' });
  const say = (text, cls = 'ok') => { msg.className = `form-msg ${cls}`; msg.textContent = text; };
  const fill = async () => {
    const { items } = await api('users', { limit: 1000 });
    const rows = items.map((u) => h('tr', { 'data-user': u.name },
      h('td', null, u.name), h('td', null, roleName(u.role)), h('td', null, u.department || ''), h('td', null, u.area || ''),
      h('td', null, u.disabled ? t('disabled') : u.locked ? t('locked') : t('active')),
      h('td', null,
        h('button', { type: 'button', class: 'link-button', 'data-action': u.disabled ? 'enable' : 'disable', onclick: () => act(u.name, u.disabled ? 'enable' : 'disable') },
          u.disabled ? t('enable') : t('disable')), ' ',
        h('button', { type: 'button', class: 'link-button', 'data-action': 'password', onclick: () => act(u.name, 'password') }, t('resetPassword')))));
    list.replaceChildren(table([t('userName'), t('role'), t('department'), t('userArea'), t('userState'), ''], rows));
  };
  const act = async (name, action) => {
    try {
      const r = await api(`users/${encodeURIComponent(name)}/${action}`, {}, { method: 'POST' });
      say(r.password ? t('newPassword', { n: name, p: r.password }) : t('userChanged', { n: name }));
      await fill();
    } catch (e) { say(t('error', { m: e.message }), 'error'); }
  };
  const name = h('input', { id: 'user-name', required: true, autocomplete: 'off', spellcheck: 'false' });
  const role = h('select', { id: 'user-role' }, ['department', 'reviewer', 'leader', 'admin', 'public'].map((r) => h('option', { value: r }, roleName(r))));
  const dept = h('select', { id: 'user-dept' }, h('option', { value: '' }, t('none')), cat.depts.map((d) => h('option', { value: d.code }, `${d.code} ${nameOf(d)}`)));
  const area = h('select', { id: 'user-area' }, h('option', { value: '' }, t('none')), cat.areas.map((a) => h('option', { value: a.code }, nameOf(a))));
  const form = h('form', {
    class: 'user-form',
    onsubmit: async (e) => {
      e.preventDefault();
      try {
        const r = await api('users', {}, { method: 'POST', body: { name: name.value.trim(), role: role.value, department: dept.value, area: area.value } });
        say(`${t('userAdded', { n: r.user.name })} ${t('newPassword', { n: r.user.name, p: r.password })}`);
        name.value = '';
        await fill();
      } catch (err) { say(t('error', { m: err.message }), 'error'); }
    },
  },
  h('div', { class: 'form-row' }, h('label', { for: 'user-name' }, t('userName')), name),
  h('div', { class: 'form-row' }, h('label', { for: 'user-role' }, t('role')), role),
  h('div', { class: 'form-row' }, h('label', { for: 'user-dept' }, t('department')), dept),
  h('div', { class: 'form-row' }, h('label', { for: 'user-area' }, t('userArea')), area),
  h('div', { class: 'form-row' }, h('button', { type: 'submit', class: 'button primary' }, t('addUser'))));
  const list = h('div');
  await fill();
  append(panel, [h('h2', { id: 'users-h' }, t('usersTitle')), msg, list, form]);
  return panel;
}

async function adminPage() {
  if (state.user?.role !== 'admin') return needRole('adminNeedsRole');
  const [catalog, users] = await Promise.all([catalogPanel(), usersPanel()]);
  return h('div', { class: 'page admin' },
    h('div', { class: 'page-head' }, h('h1', null, t('adminTitle'))),
    importPanel(), users, catalog);
}

// ---- 指标 one indicator ------------------------------------------------------------------------

async function indicatorPage(r) {
  const cat = await catalogue();
  const code = r.parts[1];
  const ind = cat.ind.get(code);
  if (!ind) throw new ApiError(404, 'not_found', `${code}?`);
  const c = await controls(r);
  const y = c.year;
  const q = { period: c.period, indicator: code };
  const hasChildren = cat.areas.some((a) => a.parent === c.area);
  const [progress, series, benchmarks, compare, children, rank, brief] = await Promise.all([
    api('progress', { ...q, area: c.area }),
    api('series', { indicator: code, area: c.area, from: `${y - 1}-01`, to: c.month }),
    optional(all({ path: 'benchmarks', query: { indicator: code } })),
    optional(api('compare', { ...q, area: c.area })),
    hasChildren ? api('progress', { ...q, children: c.area }) : [],
    hasChildren ? optional(api('rank', { ...q, children: c.area })) : [],
    optional(api('brief', { period: c.period, area: c.area })),
  ]);
  const row = progress[0] || {};
  const samples = briefSamples(brief?.[0]?.brief);
  const sample = series.some((s) => s.sample === '1' || s.sample === true) || samples.has(row.indicator_name)
    || (benchmarks || []).some((b) => b.sample) || ind.source === 'sample';
  const prov = (compare || []).find((x) => x.group === '全省平均');
  const coast = (compare || []).find((x) => x.group === '沿海6市平均');
  const yoy = yoyText(row, null, ind);
  const gapP = gapText(prov, ind);
  const gapC = gapText(coast, ind, '沿海6市平均');
  const dept = cat.dept.get(ind.department);

  const kpi = (label, value, cls, sub) => h('div', { class: 'kpi' }, h('span', { class: 'label' }, label),
    h('span', { class: `v ${cls || ''}` }, value), sub ? h('span', { class: 'muted sub' }, sub) : null);
  const [num, unit] = figureParts(row.ytd_value, ind);

  // A canvas says nothing to a screen reader: each chart is an image named
  // by its title now and by its latest figures once drawn.
  const [titleA, titleB] = chartTitles(ind);
  const chartA = h('div', { class: 'chart', id: 'chart-series', 'data-testid': 'chart-series', role: 'img', 'aria-label': `${nameOf(ind)}${t('colon')}${titleA}` });
  const chartB = h('div', { class: 'chart', id: 'chart-yoy', 'data-testid': 'chart-yoy', role: 'img', 'aria-label': `${nameOf(ind)}${t('colon')}${titleB}` });

  const rankOf = new Map((rank || []).map((x) => [x.area, x]));
  const rows = (children || []).slice().sort((a, b) => (rankOf.get(a.area)?.rank ?? 1e9) - (rankOf.get(b.area)?.rank ?? 1e9));
  // 数据修改记录: a figure's history, for department users and up.
  const hist = mayHistory(state.user) ? historyDialog(ind, figurePeriod(ind, c.month)) : null;
  const histButton = (area, name, testid = 'history') => h('button', {
    type: 'button', class: 'button small', 'data-testid': testid,
    'aria-label': t('historyOf', { a: name, p: periodName(hist.period) }), onclick: () => hist.open(area, name),
  }, t('history'));
  const areaTable = hasChildren
    ? table([{ text: t('rank'), cls: 'num' }, t('area'), { text: valueLabel(ind), cls: 'num' }, { text: t('target'), cls: 'num' },
      { text: t('completion'), cls: 'num' }, { text: t('timeProgress'), cls: 'num' }, { text: t('yoy'), cls: 'num' }, { text: t('score'), cls: 'num' }, t('status'),
      hist ? t('historyCol') : null].filter(Boolean),
    rows.map((x) => {
      const rk = rankOf.get(x.area);
      const name = areaName(x.area, x.area_name);
      return h('tr', {
        'data-area': x.area,
        class: hist ? 'has-history' : null,
        // A click anywhere on the row but its link and button opens the history.
        onclick: hist ? (e) => { if (!e.target.closest('a, button')) hist.open(x.area, name); } : null,
      },
        h('td', { class: 'num rank' }, rk?.rank ?? '—'),
        h('td', null, h('a', { href: hrefOf(`/indicator/${encodeURIComponent(code)}`, { period: c.period, area: x.area }) }, areaName(x.area, x.area_name))),
        h('td', { class: 'num' }, figure(x.ytd_value, ind)),
        h('td', { class: 'num' }, figure(x.target, ind)),
        h('td', { class: 'num' }, pct(x.completion_pct)),
        h('td', { class: 'num' }, pct(x.time_progress_pct)),
        h('td', { class: `num ${goodness(x.yoy_pct, ind)}` }, signed(x.yoy_pct, '%')),
        h('td', { class: 'num' }, isNum(rk?.score) ? nf(rk.score, 1) : '—'),
        h('td', null, light(x.status)),
        hist ? h('td', { class: 'history-cell' }, histButton(x.area, name)) : null);
    }), { 'data-testid': 'areas-table' })
    : h('p', { class: 'muted' }, t('noChildren'));

  const el = h('div', { class: 'page indicator' },
    h('p', { class: 'crumbs' }, h('a', { href: hrefOf('/', { period: c.period, area: c.area }) }, `← ${t('backHome')}`)),
    h('div', { class: 'page-head' },
      h('div', null,
        h('h1', null, pillarMark(ind.pillar, 'small'), ' ', nameOf(ind),
          h('span', { class: 'code muted' }, ` ${ind.code}`)),
        h('p', { class: 'meta' },
          `${nameOf(cat.area.get(c.area))} · ${periodName(row.period || c.month)} · ${t('unit')}${t('colon')}${unitText(ind.unit) || '—'} · `,
          `${t(`freq_${ind.frequency}`)} · ${t('aggregation')}${t('colon')}${t(`agg_${ind.time_agg}`)} · ${t(`dir_${ind.direction}`)}`,
          dept ? ` · ${t('department')}${t('colon')}${nameOf(dept)}` : '')),
      h('div', { class: 'head-tools' }, sampleBadge(sample), exportLinks())),
    c.el,
    h('div', { class: 'kpis' },
      kpi(valueLabel(ind), h('span', null, h('span', { class: 'num' }, num), h('span', { class: 'unit' }, unit))),
      kpi(t('completion'), pct(row.completion_pct), '', `${t('timeProgress')} ${pct(row.time_progress_pct)}`),
      kpi(t('yoy'), yoy.text, yoy.good),
      gapP ? kpi(gapP.label, gapP.text, gapP.good) : null,
      gapC ? kpi(gapC.label, gapC.text, gapC.good) : null,
      h('div', { class: 'kpi' }, h('span', { class: 'label' }, t('status')), light(row.status))),
    h('div', { class: 'chart-grid' },
      h('section', { class: 'panel' }, h('h2', null, titleA), chartA),
      h('section', { class: 'panel' }, h('h2', null, titleB), chartB)),
    h('section', { class: 'panel' },
      h('div', { class: 'panel-head' },
        h('h2', null, t('areasTable'), h('span', { class: 'muted' }, ` · ${nameOf(cat.area.get(c.area))}`)),
        hist ? histButton(c.area, nameOf(cat.area.get(c.area)), 'history-area') : null),
      areaTable),
    hist?.el);

  el.addEventListener('mounted', () => drawIndicator(ind, row, series, benchmarks || [], y, c, chartA, chartB));
  return el;
}

// The titles of the indicator page's two charts.
const chartTitles = (ind) => [ind.time_agg === 'sum' ? t('chartCumulative') : t('chartLevel'),
  ind.unit === '%' ? t('chartYoyPp') : t('chartYoy')];

// 导出: the figures as CSV or as an Excel workbook, for leaders and admins.
// A plain link: the browser downloads it with the session cookie.
function exportLinks() {
  if (!mayExport(state.user)) return null;
  const link = (format, file, key) => h('a', {
    class: 'button small', href: `/api/v1/exports/values?format=${format}`, download: file,
    'data-testid': `export-${format}`, title: t('exportHint'),
  }, t(key));
  return h('div', { class: 'export', role: 'group', 'aria-label': t('export') },
    link('csv', 'civstat-values.csv', 'exportCsv'), link('xlsx', 'civstat-values.xlsx', 'exportExcel'));
}

// The period of an indicator that holds the month's figure: the month, or
// the quarter or year it closes, else the last one closed before it.
function figurePeriod(ind, month) {
  const p = ym(month);
  if (!p) return month;
  if (ind.frequency === 'quarter') {
    const q = Math.floor(p.m / 3);
    return q ? `${p.y}-Q${q}` : `${p.y - 1}-Q4`;
  }
  if (ind.frequency === 'year') return String(p.m === 12 ? p.y : p.y - 1);
  return month;
}

// An ISO time of the server (UTC) in the reader's local time: 2025-10-03 14:05:09.
function localTime(at) {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at || '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

// What a change did, said from its record: an import, or the step of the workflow.
function changeAction(x) {
  if (/^import\b/.test(x.what || '')) return t('act_import');
  // A figure's first entry has no state before it (the record's state_before is then meaningless).
  if (x.state_before !== x.state_after && isNum(x.before)) {
    if (x.state_after === 'submitted') return t('act_submit');
    if (x.state_after === 'approved') return t('act_approve');
    if (x.state_after === 'returned') return t('act_return');
    if (x.state_before === 'approved') return t('act_reopen');
  }
  return t('act_enter');
}

// The history dialog of an indicator's figures for one period: open(area, name).
function historyDialog(ind, period) {
  const title = h('h2', { id: 'history-h' }, t('historyTitle'));
  const what = h('p', { class: 'muted', 'data-testid': 'history-what' });
  const body = h('div', { class: 'history-body', 'data-testid': 'history-body', 'aria-live': 'polite' });
  const dialog = h('dialog', { class: 'dialog history-dialog', 'aria-labelledby': 'history-h', 'data-testid': 'history-dialog' },
    title, what, body,
    h('div', { class: 'dialog-buttons' },
      h('button', { type: 'button', class: 'button', 'data-testid': 'history-close', onclick: () => dialog.close() }, t('closeDialog'))));
  // A click on the backdrop closes it too.
  dialog.addEventListener('click', (e) => { if (e.target === dialog) dialog.close(); });
  let asked = 0;
  const unit = unitSuffix(ind);
  // A state without a figure (before the first entry, or cleared) reads 未填.
  const state1 = (s, v) => stateBadge(s && v !== null && v !== undefined ? s : 'none');
  const open = async (area, name) => {
    const n = ++asked;
    what.textContent = `${nameOf(ind)} · ${name} · ${periodName(period)}`;
    body.replaceChildren(h('p', { class: 'muted' }, t('historyLoading')));
    delete dialog.dataset.ready;
    if (!dialog.open) dialog.showModal();
    let items;
    try {
      items = (await api('values/history', { indicator: ind.code, area, period }))?.items || [];
    } catch (e) {
      if (n !== asked) return;
      body.replaceChildren(h('p', { class: 'form-msg error', role: 'alert' }, t('error', { m: e.message })));
      dialog.dataset.ready = '1';
      return;
    }
    if (n !== asked) return;
    body.replaceChildren(items.length
      ? table([t('histAt'), t('histActor'), t('histWhat'), { text: t('histValue'), cls: 'num' }, t('histState'), t('histComment')],
        items.map((x) => h('tr', { 'data-testid': 'history-row', 'data-change': x.change },
          h('td', { class: 'at' }, h('time', { datetime: x.at }, localTime(x.at))),
          h('td', { 'data-testid': 'actor' }, x.actor),
          h('td', { title: x.what }, changeAction(x), h('span', { class: 'muted code' }, ` ${x.what}`)),
          h('td', { class: 'num', 'data-testid': 'change' },
            h('span', { 'data-testid': 'before' }, plain(x.before, ind)), ' → ',
            h('b', { 'data-testid': 'after' }, plain(x.after, ind)), h('span', { class: 'unit muted' }, unit)),
          h('td', { class: 'states' }, state1(x.state_before, x.before), ' → ', state1(x.state_after, x.after)),
          h('td', { class: 'note', 'data-testid': 'comment' }, x.comment || '—'))),
        { class: 'history', 'data-testid': 'history-table' })
      : h('p', { class: 'muted', 'data-testid': 'history-empty' }, t('historyEmpty')));
    dialog.dataset.ready = '1';
  };
  return { el: dialog, open, period };
}

// The year's slots (months or quarters) with this and last year's figures.
function slotsOf(ind, series, y) {
  const quarterly = ind.frequency === 'quarter';
  const n = quarterly ? 4 : 12;
  const cur = new Array(n).fill(null);
  const prev = new Array(n).fill(null);
  for (const s of series) {
    let m;
    let k = -1;
    let yr = 0;
    if ((m = /^(\d{4})-(\d{2})$/.exec(s.period)) && !quarterly) { yr = +m[1]; k = +m[2] - 1; }
    if ((m = /^(\d{4})-Q([1-4])$/.exec(s.period)) && quarterly) { yr = +m[1]; k = +m[2] - 1; }
    if (k < 0 || !isNum(s.value)) continue;
    if (yr === y) cur[k] = s.value;
    else if (yr === y - 1) prev[k] = s.value;
  }
  // The year to date: a flow adds up, a rate is averaged or taken as is.
  const ytd = (a) => a.map((v, k) => {
    if (ind.time_agg === 'last') return v;
    const part = a.slice(0, k + 1);
    if (v === null || part.some((x) => x === null)) return null;
    const sum = part.reduce((s, x) => s + x, 0);
    return ind.time_agg === 'avg' ? sum / part.length : sum;
  });
  const labels = Array.from({ length: n }, (_, k) => (quarterly
    ? t('quarterN', { q: state.lang === 'zh' ? QUARTERS_ZH[k] : k + 1 })
    : state.lang === 'zh' ? t('monthN', { m: k + 1 }) : MONTHS_EN[k]));
  return { n, quarterly, cur, prev, ycur: ytd(cur), yprev: ytd(prev), labels, endMonth: (k) => (quarterly ? 3 * (k + 1) : k + 1) };
}

// ECharts' common build: line and bar charts with the grid, legend, tooltip
// and graphic the pages use, 0.66 MB where the full build is 1.03 MB.
const ECHARTS = 'vendor/echarts.common.min.js';
let echartsLoading = null;
function loadECharts() {
  if (window.echarts) return Promise.resolve(window.echarts);
  echartsLoading ??= new Promise((ok, fail) => {
    const s = document.createElement('script');
    s.src = ECHARTS;
    s.onload = () => ok(window.echarts);
    s.onerror = () => { echartsLoading = null; fail(new Error(ECHARTS)); };
    document.head.append(s);
  });
  return echartsLoading;
}

const FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif';
const COLORS = { cur: '#1f5fae', prev: '#9aa7b8', target: '#c0392b', bars: '#3a8dde', neg: '#d9822b', bench: ['#2e8b57', '#8e44ad', '#b9770e', '#16a085', '#7f8c8d'] };

async function drawIndicator(ind, row, series, benchmarks, y, c, elA, elB) {
  const gen = state.gen;
  const echarts = await loadECharts();
  if (gen !== state.gen) return;
  const s = slotsOf(ind, series, y);
  const lastSlot = (() => { const p = ym(c.month); return p ? (s.quarterly ? Math.floor(p.m / 3) : p.m) : s.n; })();
  const isFlow = ind.time_agg === 'sum';
  const dec = ind.unit === '%' ? 1 : Number.isInteger(ind.decimals) ? ind.decimals : 2;
  const fmt = (v) => (isNum(v) ? nf(v, dec) : '—');
  const base = {
    textStyle: { fontFamily: FONT },
    animationDuration: 300,
    grid: { left: 8, right: 16, top: 56, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', valueFormatter: fmt },
    legend: { top: 0, type: 'scroll', textStyle: { fontSize: 12 } },
    xAxis: { type: 'category', data: s.labels, axisTick: { alignWithLabel: true } },
  };
  // The target path: a flow is held to target × month / 12, a rate to its target.
  const target = isNum(row.target) ? row.target : null;
  const targetData = target === null ? [] : s.labels.map((_, k) => (isFlow ? (target * s.endMonth(k)) / 12 : target));
  const benchValue = new Map();
  const benchGrowth = new Map();
  for (const b of benchmarks) {
    const end = ym(lastMonthOf(b.period));
    if (!end || end.y !== y) continue;
    const k = s.quarterly ? Math.ceil(end.m / 3) - 1 : end.m - 1;
    const map = b.measure === 'growth' ? benchGrowth : benchValue;
    if (!map.has(b.group)) map.set(b.group, new Array(s.n).fill(null));
    map.get(b.group)[k] = b.value;
  }
  const selected = {};
  for (const g of [...benchValue.keys(), ...benchGrowth.keys()]) if (!['全省平均', '沿海6市平均'].includes(g)) selected[groupName(g)] = false;
  const cutoff = (a) => a.map((v, k) => (k < lastSlot ? v : null));
  const curName = isFlow ? t('thisYear', { y }) : t('thisYearLevel', { y });
  const chartA = echarts.init(elA, null, { renderer: 'canvas', locale: state.lang === 'zh' ? 'ZH' : 'EN' });
  chartA.setOption({
    ...base,
    legend: { ...base.legend, selected },
    yAxis: { type: 'value', name: unitText(ind.unit), scale: !isFlow, nameTextStyle: { align: 'left' } },
    series: [
      isFlow && s.n === 12 ? { name: t('monthValue'), type: 'bar', data: cutoff(s.cur), itemStyle: { color: '#c9d8ec' }, barMaxWidth: 18 } : null,
      { name: curName, type: 'line', data: cutoff(s.ycur), symbolSize: 6, lineStyle: { width: 3, color: COLORS.cur }, itemStyle: { color: COLORS.cur } },
      { name: t('lastYear', { y: y - 1 }), type: 'line', data: s.yprev, symbol: 'none', lineStyle: { type: 'dashed', color: COLORS.prev }, itemStyle: { color: COLORS.prev } },
      targetData.length ? { name: isFlow ? t('targetPath') : t('targetLine'), type: 'line', data: targetData, symbol: 'none', lineStyle: { type: 'dashed', width: 2, color: COLORS.target }, itemStyle: { color: COLORS.target } } : null,
      ...[...benchValue].map(([g, data], i) => ({ name: groupName(g), type: 'line', data, connectNulls: true, symbolSize: 4, lineStyle: { width: 1.5, color: COLORS.bench[i % 5] }, itemStyle: { color: COLORS.bench[i % 5] } })),
    ].filter(Boolean),
  });
  // 同比: growth of the year to date in %, or the change in points for a rate.
  const points = ind.unit === '%';
  const yoy = s.ycur.map((v, k) => {
    const p = s.yprev[k];
    if (k >= lastSlot || !isNum(v) || !isNum(p)) return null;
    if (points) return v - p;
    return p === 0 ? null : ((v - p) / Math.abs(p)) * 100;
  });
  const chartB = echarts.init(elB, null, { renderer: 'canvas', locale: state.lang === 'zh' ? 'ZH' : 'EN' });
  chartB.setOption({
    ...base,
    tooltip: { trigger: 'axis', valueFormatter: (v) => (isNum(v) ? `${nf(v, 1)}${points ? ` ${t('pp')}` : '%'}` : '—') },
    legend: { ...base.legend, selected },
    yAxis: { type: 'value', axisLabel: { formatter: (v) => `${v}${points ? '' : '%'}` } },
    series: [
      { name: points ? t('yoyBarsPp') : t('yoyBars'), type: 'bar', barMaxWidth: 22, itemStyle: { color: COLORS.bars }, data: yoy.map((v) => (v === null ? null : { value: +v.toFixed(2), itemStyle: { color: goodness(v, ind) === 'bad' ? COLORS.neg : COLORS.bars } })) },
      ...(points ? [] : [...benchGrowth].map(([g, data], i) => ({ name: groupName(g), type: 'line', data: cutoff(data), connectNulls: true, symbolSize: 5, lineStyle: { width: 2, color: COLORS.bench[i % 5] }, itemStyle: { color: COLORS.bench[i % 5] } }))),
    ],
  });
  // Without the area's own figures, the charts say so over their axes.
  const noData = { type: 'text', left: 'center', top: 'middle', style: { text: t('noData'), fill: '#5f6b7a', fontSize: 15, fontFamily: FONT } };
  if (!s.ycur.some(isNum) && !s.yprev.some(isNum)) chartA.setOption({ graphic: [noData] });
  if (!yoy.some(isNum)) chartB.setOption({ graphic: [noData] });
  for (const [chart, elx] of [[chartA, elA], [chartB, elB]]) {
    chart.on('finished', () => { elx.dataset.drawn = '1'; });
    state.charts.push(chart);
  }
  const last = (a) => { for (let k = a.length - 1; k >= 0; k--) if (isNum(a[k])) return { k, v: a[k] }; return null; };
  const cur = last(cutoff(s.ycur));
  const g = last(yoy);
  const sep = state.lang === 'zh' ? '，' : ', ';
  const [titleA, titleB] = chartTitles(ind);
  elA.setAttribute('aria-label', [`${nameOf(ind)}${t('colon')}${titleA}`,
    cur ? `${curName} ${s.labels[cur.k]} ${fmt(cur.v)}${unitSuffix(ind)}` : t('noData'),
    cur && targetData.length ? `${isFlow ? t('targetPath') : t('targetLine')} ${fmt(targetData[cur.k])}${unitSuffix(ind)}` : null,
    cur && isNum(s.yprev[cur.k]) ? `${t('lastYear', { y: y - 1 })} ${fmt(s.yprev[cur.k])}${unitSuffix(ind)}` : null].filter(Boolean).join(sep));
  elB.setAttribute('aria-label', [`${nameOf(ind)}${t('colon')}${titleB}`,
    g ? `${s.labels[g.k]} ${signed(g.v, points ? (state.lang === 'zh' ? t('pp') : ` ${t('pp')}`) : '%')}` : t('noData')].join(sep));
}

window.addEventListener('resize', () => { for (const c of state.charts) c.resize(); });

// ---- 对标 the city against its benchmarks ---------------------------------------------------

const groupName = (g) => (state.lang === 'zh' ? g : GROUPS_EN[g] || g);

async function comparePage(r) {
  const cat = await catalogue();
  const c = await controls(r, { withArea: false });
  const city = cat.root;
  // The indicators with benchmarks: those the city's comparison names.
  const cmpAll = await api('compare', { period: c.period, area: city.code });
  const codes = [...new Set(cmpAll.map((x) => x.indicator))];
  const code = codes.includes(r.query.indicator) ? r.query.indicator
    : codes.includes('FAI') ? 'FAI' : codes[0] || r.query.indicator || 'FAI';
  const ind = cat.ind.get(code) || { code, name: code, unit: '' };
  const q = { period: c.period, indicator: code, children: city.code };
  const [rank, progress, benchmarks, brief] = await Promise.all([
    optional(api('rank', q)),
    optional(api('progress', q)),
    optional(all({ path: 'benchmarks', query: { indicator: code } })),
    optional(api('brief', { period: c.period, area: city.code })),
  ]);
  const rows = cmpAll.filter((x) => x.indicator === code);
  const growth = rows[0]?.measure === 'growth';
  const sample = (benchmarks || []).some((b) => b.sample) || ind.source === 'sample'
    || briefSamples(brief?.[0]?.brief).has(ind.name);
  const cityName = nameOf(city);
  const num = (v) => (!isNum(v) ? '—' : growth ? `${nf(v, 1)}%` : figure(v, ind));
  const ppUnit = state.lang === 'zh' ? t('pp') : ` ${t('pp')}`;

  const indSel = h('select', { id: 'indicator', name: 'indicator', onchange: (e) => setQuery({ indicator: e.target.value }) },
    codes.map((k) => h('option', { value: k, selected: k === code }, indName(k))));
  c.el.prepend(h('label', { for: 'indicator' }, t('indicator')), indSel);

  const chart = h('div', { class: 'chart', id: 'chart-compare', 'data-testid': 'chart-compare', role: 'img',
    'aria-label': t(growth ? 'cmpChart' : 'cmpChartValue', { c: cityName }) });
  const gapTable = rows.length
    ? table([t('cmpGroup'), { text: cityName, cls: 'num' },
      { text: t('cmpBenchmark'), cls: 'num' }, { text: t('cmpGap'), cls: 'num' }],
    rows.map((x) => {
      const good = goodness(x.gap_pp, ind);
      return h('tr', { 'data-group': x.group, 'data-testid': 'gap-row' },
        h('th', { scope: 'row', class: 'area-name' }, groupName(x.group)),
        h('td', { class: 'num' }, num(x.area_figure)),
        h('td', { class: 'num' }, num(x.benchmark)),
        h('td', {
          class: `num gap-cell ${good}`, 'data-testid': 'gap',
          title: good === 'good' ? t('cmpBetter') : good === 'bad' ? t('cmpWorse') : null,
        }, signed(x.gap_pp, ppUnit)));
    }), { 'data-testid': 'gap-table' })
    : h('p', { class: 'muted' }, t('cmpNone'));

  const lightOf = new Map((progress || []).map((x) => [x.area, x.status]));
  const rankTable = (rank || []).length
    ? table([{ text: t('rank'), cls: 'num' }, t('area'), { text: t('score'), cls: 'num' }, t('status')],
      rank.map((x) => h('tr', { 'data-area': x.area },
        h('td', { class: 'num rank' }, x.rank ?? '—'),
        h('td', { class: 'area-name' }, h('a', { href: hrefOf(`/indicator/${encodeURIComponent(code)}`, { period: c.period, area: x.area }) }, areaName(x.area, x.area_name))),
        h('td', { class: 'num' }, isNum(x.score) ? nf(x.score, 1) : '—'),
        h('td', null, light(lightOf.get(x.area))))), { 'data-testid': 'rank-table' })
    : h('p', { class: 'muted' }, t('noChildren'));

  const el = h('div', { class: 'page compare' },
    h('div', { class: 'page-head' },
      h('div', null,
        h('h1', null, t('compareTitle'), h('span', { class: 'muted' }, ` · ${cityName} · ${periodName(rows[0]?.period || c.month)}`)),
        h('p', { class: 'meta' }, pillarMark(ind.pillar, 'small'), ' ', nameOf(ind), h('span', { class: 'code muted' }, ` ${code}`),
          ` · ${t(`dir_${ind.direction || 'up'}`)}`)),
      sampleBadge(sample)),
    c.el,
    sample ? h('p', { class: 'sample-note' }, t('sampleNote')) : null,
    h('div', { class: 'chart-grid' },
      h('section', { class: 'panel' }, h('h2', null, t(growth ? 'cmpChart' : 'cmpChartValue', { c: cityName })), rows.length ? chart : h('p', { class: 'muted' }, t('cmpNone'))),
      h('section', { class: 'panel' }, h('h2', null, t('cmpTable')), gapTable)),
    h('section', { class: 'panel' }, h('h2', null, t('cmpRank', { c: cityName, i: nameOf(ind) })), rankTable));

  if (rows.length) el.addEventListener('mounted', () => drawCompare(ind, rows, growth, cityName, chart));
  return el;
}

async function drawCompare(ind, rows, growth, cityName, el) {
  const gen = state.gen;
  const echarts = await loadECharts();
  if (gen !== state.gen) return;
  const dec = growth || ind.unit === '%' ? 1 : Number.isInteger(ind.decimals) ? ind.decimals : 2;
  const fmt = (v) => (isNum(v) ? `${nf(v, dec)}${growth ? '%' : ''}` : '—');
  const cats = [cityName, ...rows.map((x) => groupName(x.group))];
  const vals = [rows[0].area_figure, ...rows.map((x) => x.benchmark)];
  const chart = echarts.init(el, null, { renderer: 'canvas', locale: state.lang === 'zh' ? 'ZH' : 'EN' });
  chart.setOption({
    textStyle: { fontFamily: FONT },
    animationDuration: 300,
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', valueFormatter: fmt },
    xAxis: { type: 'category', data: cats, axisTick: { alignWithLabel: true }, axisLabel: { interval: 0, width: 64, overflow: 'break' } },
    yAxis: { type: 'value', name: growth ? '' : unitText(ind.unit), axisLabel: { formatter: (v) => `${v}${growth ? '%' : ''}` } },
    series: [{
      name: growth ? t('cmpGrowth') : t('cmpValue'), type: 'bar', barMaxWidth: 48,
      label: { show: true, position: 'top', formatter: (p) => fmt(p.value) },
      data: vals.map((v, k) => ({ value: isNum(v) ? +v.toFixed(2) : null, itemStyle: { color: k ? COLORS.bench[(k - 1) % 5] : COLORS.cur } })),
    }],
  });
  chart.on('finished', () => { el.dataset.drawn = '1'; });
  state.charts.push(chart);
  el.setAttribute('aria-label', `${nameOf(ind)}: ${cats.map((n, k) => `${n} ${fmt(vals[k])}`).join('，')}`);
}

// ---- 简报 the brief ----------------------------------------------------------------------------

async function briefPage(r) {
  const c = await controls(r);
  const res = await api('brief', { period: c.period, area: c.area });
  const text = res?.[0]?.brief || '';
  const lines = text.split('\n');
  const body = [];
  let list = null;
  const flush = () => { if (list) body.push(list); list = null; };
  lines.forEach((line, k) => {
    const s = line.trim();
    if (k === 0) { body.push(h('h1', { class: 'brief-title' }, s)); return; }
    if (k === 1) { body.push(h('p', { class: 'brief-sub' }, s)); return; }
    if (!s) { flush(); return; }
    const marker = /^([▲●▼])\s*/.exec(s);
    if (marker) {
      list ??= h('ul', { class: 'brief-list' });
      const cls = { '▲': 'ahead', '●': 'close', '▼': 'behind' }[marker[1]];
      const sample = s.includes('（样例数据）');
      list.append(h('li', { class: cls }, h('span', { class: `light ${cls}` }, h('span', { class: 'dot', 'aria-hidden': 'true' })),
        h('span', null, s.slice(marker[0].length).replace('（样例数据）', '')),
        sample ? h('span', { class: 'badge sample small' }, '样例数据') : null));
      return;
    }
    flush();
    if (/^[一二三四五六七八九十]+、/.test(s)) body.push(h('h2', null, s));
    else if (/^（[^）]+）/.test(s)) body.push(h('h3', null, s));
    else if (/^注：/.test(s)) body.push(h('p', { class: 'brief-note' }, s));
    else body.push(h('p', null, s));
  });
  flush();
  const sample = text.includes('样例数据');
  return h('div', { class: 'page brief-page' },
    h('div', { class: 'page-head no-print' },
      h('h1', null, t('brief'), ' ', sampleBadge(sample)),
      h('button', { type: 'button', class: 'button', onclick: () => { stampPrint(); window.print(); } }, t('print'))),
    h('div', { class: 'no-print' }, c.el),
    state.lang === 'en' ? h('p', { class: 'muted no-print' }, t('briefLang')) : null,
    h('article', { class: 'brief', lang: 'zh-CN', 'data-testid': 'brief' },
      sample ? h('p', { class: 'brief-sample' }, h('span', { class: 'badge sample' }, '样例数据'), ' 本简报含演示用样例数据，不是真实统计数据。') : null,
      body));
}

function stampPrint() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  $('#printed').textContent = t('printedAt', { t: `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}` });
}
window.addEventListener('beforeprint', stampPrint);

// ---- 填报 data entry and 审核 the review queue --------------------------------------------------

// Runs the tasks n at a time; their answers in order.
async function pool(tasks, n = 6) {
  const out = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, tasks.length) }, async () => {
    while (next < tasks.length) {
      const k = next++;
      out[k] = await tasks[k]();
    }
  }));
  return out;
}

// The period of an indicator that a month closes: 2025-09, 2025-Q3, 2025; null when none.
function periodOf(ind, month) {
  const p = ym(month);
  if (!p) return null;
  if (ind.frequency === 'quarter') return p.m % 3 ? null : `${p.y}-Q${p.m / 3}`;
  if (ind.frequency === 'year') return p.m === 12 ? String(p.y) : null;
  return month;
}

// The period before and the same period a year earlier.
function neighbours(period) {
  let m;
  if ((m = /^(\d{4})-(\d{2})$/.exec(period))) {
    const [y, mo] = [+m[1], +m[2]];
    return { prev: mo === 1 ? monthKey(y - 1, 12) : monthKey(y, mo - 1), year: monthKey(y - 1, mo) };
  }
  if ((m = /^(\d{4})-Q([1-4])$/.exec(period))) {
    const [y, q] = [+m[1], +m[2]];
    return { prev: q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`, year: `${y - 1}-Q${q}` };
  }
  return { prev: String(+period - 1), year: String(+period - 1) };
}

// The change against a reference in %, null when it cannot be said.
const changePct = (v, ref) => (isNum(v) && isNum(ref) && ref !== 0 ? ((v - ref) / Math.abs(ref)) * 100 : null);
const JUMP = 50;

// A figure as typed: the indicator's decimals, no 万/亿 scaling.
const plain = (v, ind) => (isNum(v) ? nf(v, Number.isInteger(ind?.decimals) ? ind.decimals : 2) : '—');
const unitSuffix = (ind) => { const u = unitText(ind?.unit); return u ? (state.lang === 'zh' || u === '%' ? u : ` ${u}`) : ''; };

// 'figures[3]: FAI 210781 2025-09 is submitted … (3 done before it)' -> {k: 3, text}
function figureError(e) {
  const m = /^figures\[(\d+)\]:\s*(.*?)(?:\s*\(\d+ done before it\))?$/.exec(e?.message || '');
  return m ? { k: +m[1], text: m[2] } : { k: -1, text: e?.message || String(e) };
}

function needRole(key) {
  return h('div', { class: 'page' },
    h('section', { class: 'panel notice', role: 'status' },
      h('p', null, t(key)),
      state.user ? null : h('a', { class: 'button', href: '#/login' }, t('signIn'))));
}

// The state of a figure as a small badge.
const stateBadge = (s) => h('span', { class: `state state-${s}`, 'data-testid': 'state', 'data-state': s }, t(`state_${s}`));

// The last comment of a figure's history that moved it to one of the states.
async function lastComment(ind, area, period, states) {
  const res = await optional(api('values/history', { indicator: ind, area, period }));
  const items = (res?.items || []).filter((c) => c.comment && states.includes(c.state_after));
  return items.length ? items[items.length - 1].comment : '';
}

async function entryPage(r) {
  const cat = await catalogue();
  const u = state.user;
  if (!mayEnter(u)) return needRole('entryNeedsRole');
  // A clerk enters its own department's figures; an administrator picks one.
  const own = cat.depts.find((d) => d.id === u.department_id);
  const withInds = cat.depts.filter((d) => cat.inds.some((i) => i.department === d.code));
  const dept = u.role === 'admin' ? cat.dept.get(r.query.dept) || own || withInds[0] : own;
  if (!dept) return needRole('entryNoDept');
  const bound = cat.areas.find((a) => a.id === u.area_id && u.area_id);
  const areas = bound ? [bound] : cat.areas.filter((a) => a.parent === cat.root?.code);

  const latest = await latestMonth();
  const l = ym(latest);
  const months = [];
  if (l) for (let k = -1; k < 24; k++) {
    const d = new Date(l.y, l.m - 1 - k, 1);
    months.push(monthKey(d.getFullYear(), d.getMonth() + 1));
  }
  const month = months.includes(r.query.period) ? r.query.period : latest;
  const inds = cat.inds.filter((i) => i.department === dept.code && periodOf(i, month));

  // Every cell's figure and its neighbours: one request per indicator and area.
  const cells = [];
  for (const ind of inds) for (const area of areas) cells.push({ ind, area, period: periodOf(ind, month) });
  const answers = await pool(cells.map((c) => () => all({ path: 'values', query: { indicator: c.ind.code, area: c.area.code } })));
  cells.forEach((c, k) => {
    const by = new Map(answers[k].map((x) => [x.period, x]));
    const nb = neighbours(c.period);
    const cur = by.get(c.period);
    c.value = cur ? cur.value : null;       // as stored
    c.state = cur ? cur.state : 'none';
    c.prev = by.get(nb.prev)?.value ?? null;
    c.year = by.get(nb.year)?.value ?? null;
    c.comment = '';
    c.reason = '';
  });
  // Drafts keep their explanation, returned figures show the reason.
  await pool(cells.filter((c) => c.state === 'draft' || c.state === 'returned').map((c) => async () => {
    c.comment = await lastComment(c.ind.code, c.area.code, c.period, ['draft']);
    if (c.state === 'returned') c.reason = await lastComment(c.ind.code, c.area.code, c.period, ['returned']);
  }));

  const msg = h('p', { class: 'form-msg', role: 'status', 'aria-live': 'polite', 'data-testid': 'entry-msg' });
  const counts = h('p', { class: 'meta', 'data-testid': 'entry-counts' });
  const say = (text, bad = false) => { msg.textContent = text; msg.className = `form-msg${bad ? ' error' : ''}`; };
  const recount = () => {
    const n = { none: 0, draft: 0, submitted: 0, approved: 0, returned: 0 };
    for (const c of cells) n[c.state] = (n[c.state] || 0) + 1;
    counts.textContent = t('stateCounts', n);
  };
  const editable = (c) => ['none', 'draft', 'returned'].includes(c.state);

  // What a cell holds now: {value, bad, dirty, jump, note}.
  const read = (c) => {
    if (!editable(c)) return { value: c.value, dirty: false };
    const raw = c.input.value.trim().replace(/[,，\s]/g, '');
    const value = raw === '' ? null : Number(raw);
    const bad = raw !== '' && !Number.isFinite(value);
    const note = c.explain.value.trim();
    const jp = bad ? null : changePct(value, c.prev);
    const jy = bad ? null : changePct(value, c.year);
    const jump = Math.abs(jp ?? 0) > JUMP ? { w: t('lastPeriod'), d: jp } : Math.abs(jy ?? 0) > JUMP ? { w: t('lastYearShort'), d: jy } : null;
    const dirty = !bad && (value !== c.value || (value !== null && note !== c.comment));
    return { value, bad, dirty, jump, note };
  };
  const showError = (c, text) => {
    c.error.textContent = text || '';
    c.td.classList.toggle('has-error', !!text);
    if (c.input) c.input.setAttribute('aria-invalid', text ? 'true' : 'false');
  };
  const check = (c) => {
    if (!editable(c)) return;
    const s = read(c);
    showError(c, s.bad ? t('needNumber') : '');
    c.td.classList.toggle('dirty', s.dirty);
    c.td.classList.toggle('jump', !!s.jump);
    c.warn.textContent = s.jump ? t('jumpWarn', { w: s.jump.w, d: signed(s.jump.d, '%') }) : '';
    c.explainBox.hidden = !s.jump && !c.comment;
  };

  const cellEl = (c) => {
    const label = t('cellLabel', { i: nameOf(c.ind), a: nameOf(c.area), p: periodName(c.period) });
    const id = `cell-${c.ind.code}-${c.area.code}`.replace(/[^\w-]/g, '_');
    c.warn = h('p', { class: 'cell-warn', id: `${id}-warn` });
    c.error = h('p', { class: 'cell-error', role: 'alert', id: `${id}-err`, 'data-testid': 'cell-error' });
    c.input = null;
    let body;
    if (editable(c)) {
      c.input = h('input', {
        id, class: 'cell-input num', inputmode: 'decimal', autocomplete: 'off', 'aria-label': label,
        'aria-describedby': `${id}-warn ${id}-err`, value: c.value === null ? '' : String(c.value),
        oninput: () => check(c),
      });
      c.explain = h('input', {
        class: 'cell-explain', id: `${id}-x`, 'data-testid': 'explain', value: c.comment,
        placeholder: t('explainPlaceholder'), oninput: () => check(c),
      });
      c.explainBox = h('div', { class: 'explain-box', hidden: true },
        h('label', { for: `${id}-x` }, t('explanation')), c.explain);
      body = [h('div', { class: 'cell-top' }, c.input, h('span', { class: 'unit muted' }, unitText(c.ind.unit)), stateBadge(c.state)),
        c.reason ? h('p', { class: 'cell-reason', 'data-testid': 'reason' }, t('returnReason', { r: c.reason })) : null,
        c.warn, c.explainBox];
    } else {
      body = [h('div', { class: 'cell-top' },
        // The row's and the column's headers name the figure: no aria-label to hide it.
        h('span', { class: 'cell-value num', 'data-testid': 'locked' }, plain(c.value, c.ind)),
        h('span', { class: 'unit muted' }, unitText(c.ind.unit)), stateBadge(c.state))];
    }
    const td = h('td', { class: `cell cell-${c.state}`, 'data-indicator': c.ind.code, 'data-area': c.area.code, 'data-state': c.state },
      body,
      h('p', { class: 'ref muted' },
        h('span', null, `${t('lastPeriod')} `, h('b', { class: 'num', 'data-testid': 'prev' }, plain(c.prev, c.ind))),
        h('span', null, `${t('lastYearShort')} `, h('b', { class: 'num', 'data-testid': 'year' }, plain(c.year, c.ind)))),
      c.error);
    c.td?.replaceWith(td);
    c.td = td;
    if (c.input) check(c);
    return td;
  };

  const busy = (on) => { for (const b of buttons) b.disabled = on; };
  // Posts one batch; the figures before a failing one are done, the failing one says why at its cell.
  const post = async (path, batch, body) => {
    try {
      await api(path, {}, { method: 'POST', body: { figures: batch.map(body) } });
      return batch.length;
    } catch (e) {
      const fe = figureError(e);
      if (fe.k >= 0 && batch[fe.k]) {
        showError(batch[fe.k], fe.text);
        batch[fe.k].td.scrollIntoView({ block: 'nearest' });
      }
      say(e.status === 403 && !state.csrf ? t('needToken') : t('failedAt', { m: fe.text }), true);
      return fe.k >= 0 ? fe.k : 0;
    }
  };
  const key = (c) => ({ indicator: c.ind.code, area: c.area.code, period: c.period });

  // Saves the changed cells as drafts; true when all were saved.
  const save = async () => {
    const now = cells.filter(editable).map((c) => [c, read(c)]);
    if (now.some(([, s]) => s.bad)) { for (const [c] of now) check(c); say(t('fixErrors'), true); return false; }
    const batch = now.filter(([, s]) => s.dirty);
    if (!batch.length) return true;
    const done = await post('values', batch.map(([c]) => c), (c) => {
      const s = read(c);
      return { ...key(c), value: s.value, ...(s.note ? { comment: s.note } : {}) };
    });
    for (const [c, s] of batch.slice(0, done)) {
      c.value = s.value;
      c.comment = s.value === null ? '' : s.note;
      c.state = s.value === null ? 'none' : 'draft';
      c.reason = '';
      cellEl(c);
    }
    recount();
    if (done < batch.length) return false;
    say(t('savedN', { n: done }));
    return true;
  };

  const onSave = async () => {
    busy(true);
    say('');
    const dirty = cells.filter((c) => editable(c) && read(c).dirty).length;
    if (await save()) say(dirty ? t('savedN', { n: dirty }) : t('nothingToSave'));
    busy(false);
  };

  const onSubmit = async () => {
    busy(true);
    say('');
    try {
      const ready = cells.filter((c) => editable(c) && read(c).value !== null);
      let ok = true;
      for (const c of ready) {
        const s = read(c);
        check(c);
        if (s.bad) ok = false;
        else if (s.jump && !s.note) {
          showError(c, t('needExplanation'));
          c.explainBox.hidden = false;
          ok = false;
        }
      }
      if (!ok) { say(t('fixErrors'), true); ready.find((c) => c.td.classList.contains('has-error'))?.input?.focus(); return; }
      if (!ready.length) { say(t('nothingToSubmit')); return; }
      if (!(await save())) return;
      const done = await post('values/submit', ready, key);
      for (const c of ready.slice(0, done)) { c.state = 'submitted'; cellEl(c); }
      recount();
      if (done === ready.length) say(t('submittedN', { n: done }));
    } finally {
      busy(false);
    }
  };

  const buttons = [
    h('button', { type: 'button', class: 'button', 'data-testid': 'save', onclick: onSave }, t('saveDraft')),
    h('button', { type: 'button', class: 'button solid', 'data-testid': 'submit', onclick: onSubmit }, t('submitReview')),
  ];
  const periodSel = h('select', { id: 'entry-period', name: 'period', onchange: (e) => setQuery({ period: e.target.value }) },
    months.map((m) => h('option', { value: m, selected: m === month }, periodName(m))));
  const deptSel = u.role === 'admin'
    ? [h('label', { for: 'entry-dept' }, t('department')),
      h('select', { id: 'entry-dept', onchange: (e) => setQuery({ dept: e.target.value }) },
        withInds.map((d) => h('option', { value: d.code, selected: d.code === dept.code }, nameOf(d))))]
    : h('span', { class: 'dept', 'data-testid': 'dept' }, `${t('department')}${t('colon')}${nameOf(dept)}`);

  const grid = inds.length
    ? table([{ text: t('entryArea'), cls: 'area-col' }, ...inds.map((i) => ({
      text: h('span', null, h('span', { class: 'ind-name' }, nameOf(i)), h('span', { class: 'muted code' }, ` ${i.code}`),
        h('span', { class: 'muted ind-sub' }, [periodName(periodOf(i, month)), unitText(i.unit)].filter(Boolean).join(' · '))),
    }))],
    areas.map((a) => h('tr', { 'data-area': a.code },
      h('th', { scope: 'row', class: 'area-col' }, nameOf(a)),
      inds.map((i) => cellEl(cells.find((c) => c.ind === i && c.area === a))))),
    { class: 'entry-grid', 'data-testid': 'entry-grid' })
    : h('p', { class: 'muted' }, t('noEntryInds'));
  recount();

  return h('div', { class: 'page entry' },
    h('div', { class: 'page-head' },
      h('div', null,
        h('h1', null, t('entryTitle'), h('span', { class: 'muted' }, ` · ${nameOf(dept)} · ${periodName(month)}`)),
        counts)),
    h('div', { class: 'controls' }, h('label', { for: 'entry-period' }, t('entryPeriod')), periodSel, deptSel),
    h('p', { class: 'hint' }, t('entryHint')),
    h('section', { class: 'panel' }, grid,
      inds.length ? h('div', { class: 'actions' }, buttons, msg) : null));
}

async function reviewPage() {
  const cat = await catalogue();
  const u = state.user;
  if (!mayReview(u)) return needRole('reviewNeedsRole');
  // A reviewer bound to a department or an area reviews within it.
  const dept = cat.depts.find((d) => d.id === u.department_id && u.department_id);
  const bound = cat.areas.find((a) => a.id === u.area_id && u.area_id);
  const within = (a) => { for (let x = a; x; x = cat.area.get(x.parent)) if (x === bound) return true; return false; };
  const areas = bound ? cat.areas.filter(within) : cat.areas;
  const inds = dept ? cat.inds.filter((i) => i.department === dept.code) : cat.inds;

  const pairs = [];
  for (const ind of inds) for (const area of areas) pairs.push({ ind, area });
  const found = await pool(pairs.map((p) => () => optional(api('values', { indicator: p.ind.code, area: p.area.code, state: 'submitted', limit: 1000 }))), 8);
  const items = [];
  pairs.forEach((p, k) => { for (const x of found[k]?.items || []) items.push({ ...p, period: x.period, value: x.value }); });
  // Beside each figure: last period, last year and the clerk's note.
  const series = new Map();
  await pool([...new Set(items.map((x) => `${x.ind.code}|${x.area.code}`))].map((k) => async () => {
    const [indicator, area] = k.split('|');
    const rows = await all({ path: 'values', query: { indicator, area } });
    series.set(k, new Map(rows.map((x) => [x.period, x.value])));
  }));
  await pool(items.map((x) => async () => {
    const by = series.get(`${x.ind.code}|${x.area.code}`);
    const nb = neighbours(x.period);
    x.prev = by?.get(nb.prev) ?? null;
    x.year = by?.get(nb.year) ?? null;
    x.note = await lastComment(x.ind.code, x.area.code, x.period, ['draft', 'submitted']);
  }));
  // Newest first by the month a period ends in: 2025-10, then 2025-09 and 2025-Q3.
  const end = (p) => { const m = /^(\d{4})(?:-(\d{2})|-Q([1-4]))?$/.exec(p); return m ? +m[1] * 12 + (m[2] ? +m[2] : m[3] ? 3 * m[3] : 12) : 0; };
  items.sort((a, b) => end(b.period) - end(a.period) || a.ind.id - b.ind.id || a.area.id - b.area.id);

  const msg = h('p', { class: 'form-msg', role: 'status', 'aria-live': 'polite', 'data-testid': 'review-msg' });
  const say = (text, bad = false) => { msg.textContent = text; msg.className = `form-msg${bad ? ' error' : ''}`; };
  const count = h('p', { class: 'meta', 'data-testid': 'queue-count' });
  let open = items.length;
  const recount = () => { count.textContent = open ? t('queueCount', { n: open }) : t('queueEmpty'); };
  recount();
  const label = (x) => `${nameOf(x.ind)} · ${nameOf(x.area)} · ${periodName(x.period)}`;
  const key = (x) => ({ indicator: x.ind.code, area: x.area.code, period: x.period });
  const done = (x, s) => {
    x.action.replaceChildren(stateBadge(s));
    x.tr.classList.add('done');
    open--;
    recount();
  };

  // The return dialog: a reason is required.
  const reason = h('textarea', { id: 'return-reason', rows: 3, 'aria-required': 'true', 'aria-describedby': 'return-err' });
  const what = h('p', { class: 'muted', 'data-testid': 'return-what' });
  const err = h('p', { class: 'form-msg error', id: 'return-err', role: 'alert' });
  let current = null;
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'return-h', 'data-testid': 'return-dialog' },
    h('form', {
      method: 'dialog',
      onsubmit: async (e) => {
        e.preventDefault();
        const text = reason.value.trim();
        if (!text) { err.textContent = t('reasonRequired'); reason.focus(); return; }
        err.textContent = '';
        try {
          await api('values/return', {}, { method: 'POST', body: { figures: [key(current)], reason: text } });
          done(current, 'returned');
          say(t('returnedOne', { f: label(current) }));
          dialog.close();
        } catch (e2) {
          err.textContent = figureError(e2).text;
        }
      },
    },
    h('h2', { id: 'return-h' }, t('returnTitle')), what,
    h('label', { for: 'return-reason' }, t('reason')), reason, err,
    h('div', { class: 'dialog-buttons' },
      h('button', { type: 'button', class: 'button', onclick: () => dialog.close() }, t('cancel')),
      h('button', { type: 'submit', class: 'button solid', 'data-testid': 'confirm-return' }, t('confirmReturn')))));

  const approve = async (x, b) => {
    b.disabled = true;
    try {
      await api('values/approve', {}, { method: 'POST', body: { figures: [key(x)] } });
      done(x, 'approved');
      say(t('approvedOne', { f: label(x) }));
    } catch (e) {
      b.disabled = false;
      say(figureError(e).text, true);
    }
  };
  const change = (v, ref, ind) => {
    const d = changePct(v, ref);
    return h('td', { class: `num ${d !== null && Math.abs(d) > JUMP ? 'jump-text' : goodness(d, ind)}` }, signed(d, '%'));
  };
  const rows = items.map((x) => {
    const ab = h('button', { type: 'button', class: 'button small solid', 'data-testid': 'approve' }, t('approve'));
    ab.addEventListener('click', () => approve(x, ab));
    x.action = h('td', { class: 'action' }, ab, ' ',
      h('button', {
        type: 'button', class: 'button small', 'data-testid': 'return',
        onclick: () => { current = x; reason.value = ''; err.textContent = ''; what.textContent = `${label(x)} · ${plain(x.value, x.ind)}${unitSuffix(x.ind)}`; dialog.showModal(); reason.focus(); },
      }, t('returnIt')));
    x.tr = h('tr', { 'data-indicator': x.ind.code, 'data-area': x.area.code, 'data-period': x.period },
      h('td', null, h('a', { href: hrefOf(`/indicator/${encodeURIComponent(x.ind.code)}`, { area: x.area.code }) }, nameOf(x.ind)),
        h('span', { class: 'muted code' }, ` ${x.ind.code}`)),
      h('td', null, nameOf(x.area)),
      h('td', null, periodName(x.period)),
      h('td', { class: 'num strong', 'data-testid': 'value' }, plain(x.value, x.ind), h('span', { class: 'unit muted' }, unitSuffix(x.ind))),
      h('td', { class: 'num', 'data-testid': 'prev' }, plain(x.prev, x.ind)),
      h('td', { class: 'num', 'data-testid': 'year' }, plain(x.year, x.ind)),
      change(x.value, x.prev, x.ind), change(x.value, x.year, x.ind),
      h('td', { class: 'note', 'data-testid': 'note' }, x.note || '—'),
      x.action);
    return x.tr;
  });

  return h('div', { class: 'page review' },
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, t('reviewTitle')), count,
        h('p', { class: 'meta' }, t('scope', { s: [dept && nameOf(dept), bound && nameOf(bound)].filter(Boolean).join(' · ') || t('scopeAll') })))),
    h('section', { class: 'panel' },
      items.length
        ? table([t('indicators'), t('area'), t('period'), { text: t('value'), cls: 'num' }, { text: t('lastPeriod'), cls: 'num' },
          { text: t('lastYearShort'), cls: 'num' }, { text: t('vsLastPeriod'), cls: 'num' }, { text: t('vsLastYear'), cls: 'num' },
          t('explanationCol'), t('action')], rows, { class: 'queue', 'data-testid': 'queue' })
        : h('p', { class: 'muted' }, t('queueEmpty')),
      msg),
    dialog);
}

// ---- 登录 sign in ---------------------------------------------------------------------------------

async function loginPage() {
  const flash = state.flash;
  state.flash = null;
  const msg = h('p', { class: 'form-msg', role: 'status', 'aria-live': 'polite', 'data-testid': 'login-msg' },
    flash || (state.user ? t('signedIn') : ''));
  const name = h('input', { id: 'login-name', name: 'name', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const button = h('button', { type: 'submit', class: 'button primary' }, t('signIn'));
  const form = h('form', {
    class: 'login-form',
    onsubmit: async (e) => {
      e.preventDefault();
      button.disabled = true;
      msg.className = 'form-msg';
      msg.textContent = '';
      try {
        const res = await api('login', {}, { method: 'POST', body: { name: name.value.trim(), password: password.value } });
        state.user = res.user;
        state.csrf = res.csrf;
        forgetView();
        password.value = '';
        renderWho();
        location.hash = state.back || '#/';
        state.back = null;
      } catch (err) {
        msg.className = 'form-msg error';
        msg.setAttribute('role', 'alert');
        msg.textContent = t('loginFailed', { m: err.message });
        button.disabled = false;
      }
    },
  },
  h('label', { for: 'login-name' }, t('account')), name,
  h('label', { for: 'login-password' }, t('password')), password,
  button, msg);
  return h('div', { class: 'page login' },
    h('section', { class: 'panel login-panel' },
      h('h1', null, t('loginTitle')),
      h('p', { class: 'muted' }, t('loginHint')),
      state.user ? h('p', { class: 'signed' }, t('signedInAs', { n: state.user.name, r: roleName(state.user.role) })) : null,
      form));
}

// ---- start ------------------------------------------------------------------------------------------

async function start() {
  for (const b of document.querySelectorAll('[data-lang]')) {
    b.addEventListener('click', () => {
      state.lang = b.dataset.lang;
      try { localStorage.setItem(LANG_KEY, state.lang); } catch { /* private mode */ }
      applyLang();
      render();
    });
  }
  // The skip link moves the focus to the page; followed as a link, its
  // #main would be taken for a route and open the home page.
  $('.skip')?.addEventListener('click', (e) => {
    e.preventDefault();
    $('#main').focus();
  });
  applyLang();
  // Every page needs the catalogue and the latest month, whoever is signed
  // in: ask for them while asking who that is (a round trip saved).
  latestMonth().catch(() => {});
  try {
    const me = await api('me');
    if (me?.user && (me.user.role !== 'public' || me.user.name !== 'public')) {
      state.user = me.user;
      if (me.csrf) state.csrf = me.csrf; // the server hands a cookie session its token again
    }
  } catch { /* the public */ }
  renderWho();
  window.addEventListener('hashchange', render);
  await render();
}

// What the page modules use.
export {
  TEXT, ROLE_RANK, state, t, h, append, $, nf, isNum, unitText, figure, pct, signed, periodName, ytdName, ym,
  monthKey, api, expired, optional, catalogue, latestMonth, nameOf, indName, areaName, roleName, hrefOf, route,
  setQuery, render, controls, sampleBadge, light, progressBar, table, localTime, loadECharts, FONT, COLORS,
  needRole, figureError, mayEnter, mayReview, mayHistory, mayExport, mayTodo, markReady, exportLinks, all, pool, MONTHS_EN,
};

start();
