// Residents' requests (急难愁盼, issue 7): their pages, over /api/v1/requests
// (docs/requests.md).  Texts in TEXT (中文 first, keys rq_), pages in PAGES
// by route: #/report (the public report form, phone-first), #/follow and
// #/follow/{token} (a resident follows a request by its token),
// #/requests (the staff queue, filtered in the hash), #/requests/{id}
// (one request, its timeline and the steps the reader may take) and
// #/requests/stats (the rates and the open count over time, 动态清零).
//
// The API decides who may see and do what; the pages only leave out what
// it would refuse, and show its refusal at the field it names.  Times are
// shown as a resident in Jinzhou reads them, in Asia/Shanghai.
import {
  state, t, h, api, optional, nf, isNum, table, sampleBadge, hrefOf, render, setQuery, catalogue, nameOf,
  ROLE_RANK, MONTHS_EN, loadECharts, FONT, COLORS, periodName, monthKey, needRole,
} from './app.js';

export const TEXT = {
  zh: {
    rq_reportTitle: '我要反映', rq_reportLead: '遇到急难愁盼的问题，请告诉我们。我们会在规定时限内派给责任单位办理，并回访您是否满意。',
    rq_service: '问题类别', rq_servicePick: '请选择类别', rq_description: '问题描述',
    rq_descHint: '请写清楚时间、地点和具体情况。', rq_descCount: '已输入 {n} 字，还可输入约 {m} 字',
    rq_descOver: '已超出长度上限，请删减约 {m} 字',
    rq_address: '详细地址', rq_addressHint: '例如：凌河区解放路二段12号楼3单元', rq_area: '所在县（市、区）',
    rq_areaPick: '请选择', rq_community: '社区（村）', rq_locate: '使用我的位置', rq_locating: '正在定位…',
    rq_located: '已定位：{lat}, {lon}', rq_locateClear: '不使用位置', rq_locateFailed: '无法定位：{m}',
    rq_photos: '照片链接（可选）', rq_photosHint: '每行一个以 http:// 或 https:// 开头的链接，最多 5 个。',
    rq_contact: '联系方式', rq_contactHint: '仅用于承办单位联系您和回访，任何时候都不会公开显示。',
    rq_name: '姓名', rq_phone: '手机号码', rq_email: '电子邮箱（可选）', rq_channel: '来源渠道',
    rq_submit: '提交', rq_submitting: '正在提交…', rq_fixField: '请修改“{f}”后再提交。', rq_failed: '提交失败：{m}',
    rq_doneTitle: '已受理您的反映', rq_doneToken: '您的查询码', rq_doneKeep: '请保存好查询码，凭它查询办理进度和答复。',
    rq_copy: '复制查询码', rq_copied: '已复制', rq_copyFailed: '请长按查询码手动复制',
    rq_follow: '查看办理进度', rq_another: '再反映一个问题', rq_doneDue: '受理时间 {r}，应于 {d} 前派给责任单位。',
    rq_doneHeld: '您的反映需要人工审核，审核通过后即进入办理。',
    rq_followTitle: '进度查询', rq_followLead: '输入提交时得到的查询码，查看办理进度和答复。', rq_token: '查询码',
    rq_followGo: '查询', rq_followNone: '没有找到这个查询码对应的诉求，请核对后再试。',
    rq_followReport: '还没有反映过？', rq_received: '受理时间', rq_state: '办理状态', rq_answer: '答复',
    rq_answerNone: '还没有答复。', rq_timeline: '办理过程', rq_timelineNone: '还没有办理记录。',
    rq_deadlines: '办理时限', rq_dueDispatch: '派单', rq_dueResponse: '联系群众', rq_dueAnswer: '办结答复',
    rq_dueBy: '应于 {d} 前', rq_doneAt: '{d} 完成', rq_doneLate: '{d} 完成（超时）', rq_overdue: '已超时',
    rq_dueNone: '派单后确定',
    rq_state_held: '待审核', rq_state_received: '已受理', rq_state_dispatched: '已派单', rq_state_in_progress: '承办中',
    rq_state_answered: '已办结', rq_state_closed: '已关闭', rq_state_rejected: '未通过审核', rq_state_duplicate: '已合并',
    rq_actor_resident: '群众', rq_act_submit: '提交反映', rq_act_approve: '审核通过', rq_act_reject: '驳回', rq_act_dispatch: '派单',
    rq_act_return: '退单', rq_act_accept: '承办', rq_act_answer: '办结', rq_act_followup: '回访',
    rq_act_reopen: '重办', rq_act_duplicate: '合并', rq_act_supervise: '督办', rq_act_note: '备注',
    rq_sat_satisfied: '满意', rq_sat_basic: '基本满意', rq_sat_dissatisfied: '不满意',
    rq_resolved_yes: '已解决', rq_resolved_no: '未解决',
    rq_ch_web: '网站', rq_ch_hotline: '12345热线', rq_ch_app: '手机应用', rq_ch_open311: 'Open311接口',
    rq_queueTitle: '工单', rq_myQueue: '我的工单', rq_queueCount: '共 {n} 件', rq_queueNone: '没有符合条件的工单。',
    rq_allStates: '全部状态', rq_allDepts: '全部承办单位', rq_allAreas: '全部地区', rq_allServices: '全部类别',
    rq_overdueOnly: '只看超时', rq_sort: '排序', rq_sort_due: '超时和临期优先', rq_sort_received: '最新受理优先', rq_from: '受理日期从', rq_to: '至', rq_clear: '清除筛选',
    rq_colId: '编号 / 状态', rq_colWhat: '诉求', rq_colWhere: '地点', rq_colDept: '承办单位', rq_colReceived: '受理时间',
    rq_colDue: '时限', rq_pick: '选择', rq_pickAll: '全选本页', rq_noDept: '未派单',
    rq_bulkTo: '派给', rq_bulkGo: '批量派单', rq_bulkPick: '请先勾选要派出的工单。', rq_bulkDone: '已派单 {n} 件。',
    rq_bulkDept: '请选择承办单位。', rq_pickDept: '选择承办单位', rq_prev: '上一页', rq_next: '下一页', rq_pageOf: '第 {a}–{b} 件，共 {n} 件',
    rq_overdueBy: '超时 {d}', rq_dueIn: '剩 {d}', rq_days: '{n} 天', rq_hours: '{n} 小时', rq_minutes: '{n} 分钟',
    rq_needStaff: '工单需要以工作人员身份登录后查看。',
    rq_back: '返回工单', rq_facts: '基本情况', rq_ref: '热线编号', rq_where: '地点', rq_coords: '坐标', rq_place: '位置（可选）',
    rq_media: '照片', rq_dept: '承办单位', rq_dupOf: '重复于', rq_reopened: '重办次数', rq_supervised: '督办次数',
    rq_followed: '回访结果', rq_contactOf: '反映人', rq_contactHidden: '联系方式仅对派单中心和承办单位可见。',
    rq_steps: '办理', rq_stepsNone: '当前状态下您没有可办理的操作。',
    rq_stepText_return: '退单理由', rq_stepText_reject: '驳回理由', rq_stepText_reopen: '重办理由',
    rq_stepText_answer: '答复内容（将告知群众）', rq_stepText_supervise: '督办意见', rq_stepText_note: '备注内容',
    rq_stepResolved: '问题是否解决', rq_stepSatisfaction: '群众评价', rq_stepDupOf: '原工单编号',
    rq_stepDept: '承办单位', rq_stepDone: '已{a}。', rq_stepNoFields: '确认后工单进入下一环节。',
    rq_statsTitle: '诉求统计', rq_statsLead: '响应率、按时办结率、解决率、满意率、重办率（分子/分母），以及月末未办结数（动态清零）。',
    rq_by_department: '按单位', rq_by_area: '按地区', rq_by_service: '按类别', rq_by_month: '按月份', rq_byLabel: '分组',
    rq_monthFrom: '从', rq_monthTo: '至', rq_total: '合计', rq_key_department: '承办单位', rq_key_area: '地区', rq_key_service: '问题类别', rq_key_month: '受理月份', rq_colReceivedN: '受理',
    rq_rate_response: '响应率', rq_rate_on_time: '按时办结率', rq_rate_resolution: '解决率',
    rq_rate_satisfaction: '满意率', rq_rate_reopen: '重办率', rq_open: '未办结',
    rq_chartOpen: '月末未办结诉求（动态清零）', rq_chartRates: '各项比率（按月）', rq_statsNone: '所选期间没有诉求。',
    rq_rateHint: '响应率 = 按时联系群众 ÷ 已派单；按时办结率 = 按时办结 ÷ 已办结；解决率、满意率 = 已解决、满意与基本满意 ÷ 已回访；重办率 = 重办过 ÷ 已关闭。诉求按受理月份归集；未办结为期末（按月份时为各月末）仍未办结的件数。',
    rq_unknown: '未知',
    rq_errAt: '{w}（{m}）', rq_err_service: '请选择问题类别。', rq_err_description: '请填写问题描述，不超过长度上限。',
    rq_err_address: '请填写详细地址，或使用我的位置。', rq_err_lat: '位置不正确，请重新定位或只填写地址。',
    rq_err_area: '请选择所在县（市、区）。', rq_err_media_urls: '照片链接须以 http:// 或 https:// 开头，最多 5 个。',
    rq_err_contact_phone: '手机号码只能包含数字、+、- 和空格。', rq_err_contact_email: '电子邮箱格式不正确。',
    rq_err_text: '请填写内容。', rq_err_department: '请选择承办单位。', rq_err_duplicate_of: '请填写一件存在的、本身不是重复件的原工单编号。',
    rq_err_resolved: '请选择问题是否解决。', rq_err_satisfaction: '请选择群众评价。',
    rq_grp_住房保障: '住房保障', rq_grp_城市管理: '城市管理', rq_grp_民生保障: '民生保障', rq_grp_生态环境: '生态环境',
    rq_grp_交通出行: '交通出行', rq_grp_其他: '其他', rq_grp_内部: '内部',
  },
  en: {
    rq_reportTitle: 'Report a problem', rq_reportLead: 'Tell us about an urgent problem. It goes to the responsible department within the time limit, and we call you back to ask whether it was solved.',
    rq_service: 'Category', rq_servicePick: 'Choose a category', rq_description: 'Description',
    rq_descHint: 'Say when, where and what happened.', rq_descCount: '{n} characters, about {m} more possible',
    rq_descOver: 'Too long: remove about {m} characters',
    rq_address: 'Address', rq_addressHint: 'e.g. Block 12, Unit 3, Jiefang Rd Section 2, Linghe District', rq_area: 'County or district',
    rq_areaPick: 'Choose', rq_community: 'Community', rq_locate: 'Use my location', rq_locating: 'Locating…',
    rq_located: 'Located: {lat}, {lon}', rq_locateClear: 'Do not use the location', rq_locateFailed: 'Could not locate: {m}',
    rq_photos: 'Photo links (optional)', rq_photosHint: 'One http:// or https:// link a line, at most 5.',
    rq_contact: 'Contact', rq_contactHint: 'Only for the department to reach you and for the follow-up call; never shown publicly.',
    rq_name: 'Name', rq_phone: 'Mobile phone', rq_email: 'E-mail (optional)', rq_channel: 'Channel',
    rq_submit: 'Submit', rq_submitting: 'Submitting…', rq_fixField: 'Please correct “{f}” and submit again.', rq_failed: 'Not submitted: {m}',
    rq_doneTitle: 'Your report is received', rq_doneToken: 'Your tracking code', rq_doneKeep: 'Keep the code: it lets you follow the progress and read the answer.',
    rq_copy: 'Copy the code', rq_copied: 'Copied', rq_copyFailed: 'Press and hold the code to copy it',
    rq_follow: 'Follow its progress', rq_another: 'Report another problem', rq_doneDue: 'Received {r}; to be dispatched to a department by {d}.',
    rq_doneHeld: 'Your report is checked by a person first; then it is handled.',
    rq_followTitle: 'Follow a request', rq_followLead: 'Enter the tracking code you were given to see the progress and the answer.', rq_token: 'Tracking code',
    rq_followGo: 'Look up', rq_followNone: 'No request has this tracking code; please check it.',
    rq_followReport: 'Not reported yet?', rq_received: 'Received', rq_state: 'Status', rq_answer: 'Answer',
    rq_answerNone: 'No answer yet.', rq_timeline: 'Timeline', rq_timelineNone: 'Nothing done yet.',
    rq_deadlines: 'Time limits', rq_dueDispatch: 'Dispatch', rq_dueResponse: 'Contact the resident', rq_dueAnswer: 'Answer',
    rq_dueBy: 'by {d}', rq_doneAt: 'done {d}', rq_doneLate: 'done {d} (late)', rq_overdue: 'overdue',
    rq_dueNone: 'set at dispatch',
    rq_state_held: 'Held for review', rq_state_received: 'Received', rq_state_dispatched: 'Dispatched', rq_state_in_progress: 'In progress',
    rq_state_answered: 'Answered', rq_state_closed: 'Closed', rq_state_rejected: 'Rejected', rq_state_duplicate: 'Merged',
    rq_actor_resident: 'the resident', rq_act_submit: 'Reported', rq_act_approve: 'Approved', rq_act_reject: 'Reject', rq_act_dispatch: 'Dispatch',
    rq_act_return: 'Return', rq_act_accept: 'Accept', rq_act_answer: 'Answer', rq_act_followup: 'Follow-up',
    rq_act_reopen: 'Reopen', rq_act_duplicate: 'Merge as duplicate', rq_act_supervise: 'Supervise', rq_act_note: 'Note',
    rq_sat_satisfied: 'Satisfied', rq_sat_basic: 'Basically satisfied', rq_sat_dissatisfied: 'Dissatisfied',
    rq_resolved_yes: 'Resolved', rq_resolved_no: 'Not resolved',
    rq_ch_web: 'Website', rq_ch_hotline: '12345 hotline', rq_ch_app: 'App', rq_ch_open311: 'Open311 client',
    rq_queueTitle: 'Requests', rq_myQueue: 'My requests', rq_queueCount: '{n} requests', rq_queueNone: 'No request matches.',
    rq_allStates: 'Any status', rq_allDepts: 'All departments', rq_allAreas: 'All areas', rq_allServices: 'All categories',
    rq_overdueOnly: 'Overdue only', rq_sort: 'Sort', rq_sort_due: 'Overdue and due first', rq_sort_received: 'Newest first', rq_from: 'Received from', rq_to: 'to', rq_clear: 'Clear filters',
    rq_colId: 'No. / status', rq_colWhat: 'Request', rq_colWhere: 'Where', rq_colDept: 'Department', rq_colReceived: 'Received',
    rq_colDue: 'Time limit', rq_pick: 'Select', rq_pickAll: 'Select the page', rq_noDept: 'not dispatched',
    rq_bulkTo: 'Dispatch to', rq_bulkGo: 'Dispatch selected', rq_bulkPick: 'Select the requests to dispatch first.', rq_bulkDone: '{n} requests dispatched.',
    rq_bulkDept: 'Choose a department.', rq_pickDept: 'Choose a department', rq_prev: 'Previous', rq_next: 'Next', rq_pageOf: '{a}–{b} of {n}',
    rq_overdueBy: '{d} overdue', rq_dueIn: '{d} left', rq_days: '{n} d', rq_hours: '{n} h', rq_minutes: '{n} min',
    rq_needStaff: 'The requests are shown to staff: please sign in.',
    rq_back: 'Back to the requests', rq_facts: 'Facts', rq_ref: 'Hotline no.', rq_where: 'Where', rq_coords: 'Coordinates', rq_place: 'Location (optional)',
    rq_media: 'Photos', rq_dept: 'Department', rq_dupOf: 'Duplicate of', rq_reopened: 'Reopened', rq_supervised: 'Supervised',
    rq_followed: 'Follow-up', rq_contactOf: 'Resident', rq_contactHidden: 'The contact is shown to the dispatch centre and the department only.',
    rq_steps: 'Handle', rq_stepsNone: 'Nothing for you to do in this state.',
    rq_stepText_return: 'Why it is returned', rq_stepText_reject: 'Why it is rejected', rq_stepText_reopen: 'Why it is reopened',
    rq_stepText_answer: 'Answer (told to the resident)', rq_stepText_supervise: 'Supervision note', rq_stepText_note: 'Note',
    rq_stepResolved: 'Solved?', rq_stepSatisfaction: 'The resident is', rq_stepDupOf: 'Original request no.',
    rq_stepDept: 'Department', rq_stepDone: '{a}: done.', rq_stepNoFields: 'Moves the request on.',
    rq_statsTitle: 'Request statistics', rq_statsLead: 'Response, on-time, resolution, satisfaction and reopen rates (numerator/denominator) and the requests open at month end (to be cleared).',
    rq_by_department: 'By department', rq_by_area: 'By area', rq_by_service: 'By category', rq_by_month: 'By month', rq_byLabel: 'Group',
    rq_monthFrom: 'From', rq_monthTo: 'to', rq_total: 'Total', rq_key_department: 'Department', rq_key_area: 'Area', rq_key_service: 'Category', rq_key_month: 'Month received', rq_colReceivedN: 'Received',
    rq_rate_response: 'Response', rq_rate_on_time: 'On time', rq_rate_resolution: 'Resolution',
    rq_rate_satisfaction: 'Satisfaction', rq_rate_reopen: 'Reopen', rq_open: 'Open',
    rq_chartOpen: 'Requests open at month end', rq_chartRates: 'Rates by month', rq_statsNone: 'No request in the period.',
    rq_rateHint: 'Response = contacted in time ÷ dispatched; on time = answered in time ÷ answered; resolution, satisfaction = resolved, (basically) satisfied ÷ followed up; reopen = reopened ÷ closed. Requests count in the month they were received; open is the number still open at the end of the period (of each month, by month).',
    rq_unknown: 'unknown',
    rq_errAt: '{w} ({m})', rq_err_service: 'Choose a category.', rq_err_description: 'Describe the problem, within the length limit.',
    rq_err_address: 'Give the address, or use your location.', rq_err_lat: 'The location is not right: locate again or give the address only.',
    rq_err_area: 'Choose the county or district.', rq_err_media_urls: 'Photo links start with http:// or https://, at most 5.',
    rq_err_contact_phone: 'A phone number has digits, +, - and blanks only.', rq_err_contact_email: 'The e-mail address is not right.',
    rq_err_text: 'Please write the text.', rq_err_department: 'Choose a department.', rq_err_duplicate_of: 'Give the number of an existing request that is no duplicate itself.',
    rq_err_resolved: 'Say whether it was solved.', rq_err_satisfaction: 'Give the resident\'s judgement.',
    rq_grp_住房保障: 'Housing', rq_grp_城市管理: 'City services', rq_grp_民生保障: 'Public services', rq_grp_生态环境: 'Environment',
    rq_grp_交通出行: 'Transport', rq_grp_其他: 'Other', rq_grp_内部: 'Internal',
  },
};

const STATES = ['held', 'received', 'dispatched', 'in_progress', 'answered', 'closed'];
const OPEN = ['received', 'dispatched', 'in_progress', 'answered'];
const RATES = ['response', 'on_time', 'resolution', 'satisfaction', 'reopen'];
const BYS = ['department', 'area', 'service', 'month'];
const PAGE_ROWS = 50;
const MAX_DESC = 4000; // bytes, REQUEST_MAX_DESC
const POLL_MS = 3000;

// A message for the next drawing of a page: what the last write did.
let flash = null;

const rank = () => ROLE_RANK[state.user?.role] ?? 0;
const isStaff = () => rank() >= ROLE_RANK.department;
const isReviewer = () => rank() >= ROLE_RANK.reviewer;
const known = (key, fallback) => (TEXT.zh[key] ? t(key) : fallback);

// ---- times, as read in Jinzhou ---------------------------------------------------

const SHANGHAI = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});
const toDate = (v) => (typeof v === 'number' ? new Date(v * 1000) : new Date(v));

// An ISO time (or Unix seconds) -> 2026年3月2日 09:15 / 2 Mar 2026 09:15.
function when(v) {
  if (!v) return '—';
  const d = toDate(v);
  if (Number.isNaN(d.getTime())) return String(v);
  const p = Object.fromEntries(SHANGHAI.formatToParts(d).map((x) => [x.type, x.value]));
  return state.lang === 'zh' ? `${p.year}年${+p.month}月${+p.day}日 ${p.hour}:${p.minute}`
    : `${+p.day} ${MONTHS_EN[+p.month - 1]} ${p.year} ${p.hour}:${p.minute}`;
}

// The month in Shanghai now: '2026-11'.
function thisMonth() {
  const p = Object.fromEntries(SHANGHAI.formatToParts(new Date()).map((x) => [x.type, x.value]));
  return monthKey(+p.year, +p.month);
}

// 3 天 / 5 小时 / 20 分钟: how long, roughly.
function span(ms) {
  const min = Math.round(Math.abs(ms) / 60e3);
  if (min >= 2 * 1440) return t('rq_days', { n: Math.floor(min / 1440) });
  if (min >= 60) return t('rq_hours', { n: Math.floor(min / 60) });
  return t('rq_minutes', { n: min });
}

// ---- a request as the pages use it ------------------------------------------------

// The department and area of a request by code, whether the API gives codes
// or ids; contact and media in one shape.
function norm(x, cat) {
  const dept = x.department || cat.depts.find((d) => d.id === x.department_id)?.code || '';
  const area = x.area || cat.areas.find((a) => a.id === x.area_id)?.code || '';
  const media = Array.isArray(x.media_urls) ? x.media_urls : (x.media_url || '').split('\n').filter(Boolean);
  const contact = x.contact || (x.contact_name || x.contact_phone
    ? { name: x.contact_name, phone: x.contact_phone, email: x.contact_email } : null);
  return { ...x, department: dept, area, media, contact, events: x.events || x.timeline || [] };
}

// The state a closed request is shown in: rejected and merged ones apart.
function shownState(x) {
  if (x.state === 'closed' && x.outcome === 'rejected') return 'rejected';
  if (x.state === 'closed' && (x.outcome === 'duplicate' || x.duplicate_of)) return 'duplicate';
  return x.state;
}
const stateBadge = (x) => {
  const s = shownState(x);
  return h('span', { class: `rqstate rqstate-${s}`, 'data-testid': 'rq-state', 'data-state': x.state }, known(`rq_state_${s}`, s));
};

// The deadline that matters now: dispatch until dispatched, then the answer.
const nextDue = (x) => (x.dispatched || !x.dispatch_due ? x.answer_due : x.dispatch_due);
function overdue(x) {
  if (typeof x.overdue === 'boolean') return x.overdue;
  const due = nextDue(x);
  return OPEN.includes(x.state) && x.state !== 'answered' && !!due && toDate(due) < new Date();
}

const deptName = (cat, code) => (code ? nameOf(cat.dept.get(code)) || code : t('rq_noDept'));
const areaName = (cat, code) => (code ? nameOf(cat.area.get(code)) || code : '');
const groupName = (g) => known(`rq_grp_${g}`, g || '');
const serviceName = (svc, code) => {
  const s = svc.get(code);
  return s ? (state.lang === 'en' && s.name_en ? s.name_en : s.name) : code || '—';
};
const requestHref = (id) => `#/requests/${encodeURIComponent(id)}`;

// The catalogue of services, from the API's own route or Open311's.
let servicesOf = null;
async function services() {
  if (servicesOf && servicesOf.user === state.user?.name) return servicesOf.map;
  let list = await optional(api('services'));
  list = list?.items || list;
  if (!Array.isArray(list)) {
    const res = await fetch('/open311/v2/services.json', { headers: { Accept: 'application/json' } });
    list = (await res.json()).map((s) => ({
      code: s.service_code, name: s.service_name, group: s.group, description: s.description,
    }));
  }
  const map = new Map(list.filter((s) => isStaff() || (s.public !== false && s.public !== 0)).map((s) => [s.code, s]));
  servicesOf = { user: state.user?.name, map };
  return map;
}

// ---- forms that say what the API refused, at its field --------------------------

// A form's fields and message line; fail(err) puts the API's refusal at the
// field it names ('contact.phone', 'media_urls[1]' are the fields
// 'contact.phone' and 'media_urls'), else beside the button.
function formParts(prefix) {
  const fields = {};
  const msg = h('p', { class: 'form-msg', role: 'status', 'aria-live': 'polite', 'data-testid': `${prefix}-msg` });
  const field = (name, label, el, { hint, after } = {}) => {
    const id = `${prefix}-${name.replace(/\W/g, '_')}`;
    const err = h('p', { class: 'field-error', id: `${id}-err`, role: 'alert', 'data-testid': `${prefix}-${name}-error` });
    el.id = el.id || id;
    el.setAttribute('aria-describedby', `${id}-err`);
    fields[name] = { el, err, label };
    return h('div', { class: 'field' }, h('label', { for: el.id }, label), hint || null, el, after || null, err);
  };
  const clear = () => {
    for (const f of Object.values(fields)) { f.err.textContent = ''; f.el.removeAttribute('aria-invalid'); }
    msg.textContent = '';
    msg.className = 'form-msg';
  };
  const fail = (e) => {
    const raw = e?.field || /^([\w.[\]]+):/.exec(e?.message || '')?.[1] || '';
    const name = [raw, raw.replace(/\[\d+\]$/, ''), raw.split('.').pop(), `contact.${raw}`].find((n) => fields[n]);
    const f = fields[name];
    if (f) {
      const key = `rq_err_${(name === 'lon' ? 'lat' : name).replace(/\W/g, '_')}`;
      f.err.textContent = TEXT.zh[key] ? t('rq_errAt', { w: t(key), m: e.message }) : e.message;
      f.el.setAttribute('aria-invalid', 'true');
      f.el.focus();
      msg.textContent = t('rq_fixField', { f: f.label });
    } else {
      msg.textContent = t('rq_failed', { m: e.message });
    }
    msg.className = 'form-msg error';
  };
  return { fields, msg, field, clear, fail };
}

const select = (attrs, options, value) => h('select', attrs,
  options.map(([v, text]) => h('option', { value: v, selected: String(v) === String(value ?? '') }, text)));

// The services as options, by group.
function serviceOptions(svc, value) {
  const groups = new Map();
  for (const s of svc.values()) {
    if (!groups.has(s.group)) groups.set(s.group, []);
    groups.get(s.group).push(s);
  }
  return [...groups].map(([g, list]) => h('optgroup', { label: groupName(g) },
    list.map((s) => h('option', { value: s.code, selected: s.code === value }, serviceName(svc, s.code)))));
}

// The counties and districts (and zones) a request can be in: not the city.
const areaOptions = (cat) => cat.areas.filter((a) => a.parent).map((a) => [a.code,
  `${'\u3000'.repeat(Math.max(0, (a.level || 2) - 2))}${nameOf(a)}`]);

// A filter kept in the hash: its label and select (a new filter starts
// the list from its first page).
const filterSelect = (q, id, label, key, options) => [h('label', { for: id }, label),
  select({ id, onchange: (e) => setQuery({ [key]: e.target.value, offset: '' }) }, options, q[key])];

// The department (unless the reader has only its own), area and service
// filters of the queue and of the statistics.
const whereFilters = (q, prefix, cat, svc, withDept) => [
  withDept ? filterSelect(q, `${prefix}-dept`, t('rq_colDept'), 'department', [['', t('rq_allDepts')], ...cat.depts.map((d) => [d.code, nameOf(d)])]) : null,
  filterSelect(q, `${prefix}-area`, t('rq_area'), 'area', [['', t('rq_allAreas')], ...areaOptions(cat)]),
  filterSelect(q, `${prefix}-service`, t('rq_service'), 'service', [['', t('rq_allServices')], ...[...svc.values()].map((x) => [x.code, serviceName(svc, x.code)])]),
];

// ---- #/report: the public report form --------------------------------------------

const bytes = (s) => new TextEncoder().encode(s).length;

async function reportPage() {
  const cat = await catalogue();
  const svc = await services();
  const p = formParts('rq');
  const service = h('select', { name: 'service', required: true },
    h('option', { value: '' }, t('rq_servicePick')), serviceOptions(svc, ''));
  const about = h('p', { class: 'hint muted', 'data-testid': 'rq-service-about' });
  service.addEventListener('change', () => { about.textContent = svc.get(service.value)?.description || ''; });
  const desc = h('textarea', { name: 'description', rows: 6, required: true, placeholder: t('rq_descHint') });
  const count = h('p', { class: 'hint rq-count', 'aria-live': 'polite', 'data-testid': 'rq-count' });
  const counted = () => {
    const b = bytes(desc.value);
    const left = Math.floor((MAX_DESC - b) / (state.lang === 'zh' ? 3 : 1));
    count.textContent = b > MAX_DESC ? t('rq_descOver', { m: -left }) : t('rq_descCount', { n: [...desc.value].length, m: left });
    count.classList.toggle('bad', b > MAX_DESC);
  };
  desc.addEventListener('input', counted);
  counted();
  const address = h('input', { name: 'address', autocomplete: 'street-address', placeholder: t('rq_addressHint') });
  const area = select({ name: 'area' }, [['', t('rq_areaPick')], ...areaOptions(cat)], '');
  const community = h('input', { name: 'community' });
  const photos = h('textarea', { name: 'media_urls', rows: 2, inputmode: 'url', spellcheck: 'false' });
  const name = h('input', { name: 'name', autocomplete: 'name' });
  const phone = h('input', { name: 'phone', type: 'tel', autocomplete: 'tel', inputmode: 'tel' });
  const email = h('input', { name: 'email', type: 'email', autocomplete: 'email' });
  // Staff enter what the hotline took, with the hotline's own number.
  const channel = isStaff() ? select({ name: 'channel' }, ['web', 'hotline', 'app'].map((c) => [c, t(`rq_ch_${c}`)]), 'hotline') : null;
  const ref = isStaff() ? h('input', { name: 'ref', autocomplete: 'off' }) : null;

  // The location is only asked for when the resident says so.
  let where = null;
  const located = h('span', { class: 'muted', 'data-testid': 'rq-located', 'aria-live': 'polite' });
  const unlocate = h('button', { type: 'button', class: 'link-button rq-unlocate', hidden: true, onclick: () => {
    where = null;
    located.textContent = '';
    unlocate.hidden = true;
  } }, t('rq_locateClear'));
  const locate = h('button', { type: 'button', class: 'button small', 'data-testid': 'rq-locate', onclick: () => {
    if (!navigator.geolocation) { located.textContent = t('rq_locateFailed', { m: '—' }); return; }
    located.textContent = t('rq_locating');
    navigator.geolocation.getCurrentPosition((pos) => {
      where = { lat: +pos.coords.latitude.toFixed(6), lon: +pos.coords.longitude.toFixed(6) };
      located.textContent = t('rq_located', { lat: where.lat, lon: where.lon });
      unlocate.hidden = false;
    }, (e) => { located.textContent = t('rq_locateFailed', { m: e.message }); }, { timeout: 10000 });
  } }, t('rq_locate'));

  const submit = h('button', { type: 'submit', class: 'button solid rq-submit', 'data-testid': 'rq-submit' }, t('rq_submit'));
  const box = h('div', { class: 'rq-report-box' });
  const form = h('form', {
    class: 'tform rq-form', novalidate: true, 'data-testid': 'rq-form',
    onsubmit: async (e) => {
      e.preventDefault();
      p.clear();
      const body = {
        service: service.value, description: desc.value.trim(), address: address.value.trim(), area: area.value,
        community: community.value.trim(), media_urls: photos.value.split(/\s+/).filter(Boolean),
        contact: { name: name.value.trim(), phone: phone.value.trim(), email: email.value.trim() },
        channel: channel ? channel.value : 'web',
      };
      if (ref?.value.trim()) body.ref = ref.value.trim();
      if (where) Object.assign(body, where);
      submit.disabled = true;
      submit.textContent = t('rq_submitting');
      try {
        const res = await api('requests', {}, { method: 'POST', body });
        box.replaceChildren(reported(res));
        box.querySelector('[data-testid="rq-token"]')?.focus();
        window.scrollTo(0, 0);
      } catch (err) {
        p.fail(err);
        submit.disabled = false;
        submit.textContent = t('rq_submit');
      }
    },
  },
  p.field('service', t('rq_service'), service), about,
  p.field('description', t('rq_description'), desc), count,
  p.field('address', t('rq_address'), address),
  h('div', { class: 'rq-two' }, p.field('area', t('rq_area'), area), p.field('community', t('rq_community'), community)),
  p.field('lat', t('rq_place'), locate, { after: h('div', { class: 'rq-locate' }, located, ' ', unlocate) }),
  p.field('media_urls', t('rq_photos'), photos, { hint: h('p', { class: 'hint muted' }, t('rq_photosHint')) }),
  h('fieldset', { class: 'rq-contact' }, h('legend', null, t('rq_contact')),
    h('p', { class: 'hint', 'data-testid': 'rq-contact-hint' }, t('rq_contactHint')),
    p.field('contact.name', t('rq_name'), name), p.field('contact.phone', t('rq_phone'), phone),
    p.field('contact.email', t('rq_email'), email)),
  channel ? h('div', { class: 'rq-two' }, p.field('channel', t('rq_channel'), channel), p.field('ref', t('rq_ref'), ref)) : null,
  h('div', { class: 'actions' }, submit, p.msg));
  // The location has no box of its own: its errors (lat's and lon's) show
  // under the button that sets it.
  p.fields.lon = p.fields.lat;
  box.append(form);
  return h('div', { class: 'page rq-report' },
    h('div', { class: 'page-head' }, h('div', null, h('h1', null, t('rq_reportTitle')),
      h('p', { class: 'meta' }, t('rq_reportLead')))),
    h('section', { class: 'panel' }, box),
    h('p', { class: 'muted rq-aside' }, h('a', { href: '#/follow' }, t('rq_followTitle'))));
}

// What the resident is given after submitting: the token, big and copyable.
function reported(res) {
  const token = res.token;
  const copied = h('span', { class: 'muted', 'aria-live': 'polite', 'data-testid': 'rq-copied' });
  const code = h('output', { class: 'rq-token', tabindex: -1, 'data-testid': 'rq-token' }, token);
  const copy = h('button', { type: 'button', class: 'button solid', onclick: async () => {
    try {
      await navigator.clipboard.writeText(token);
      copied.textContent = t('rq_copied');
    } catch {
      getSelection().selectAllChildren(code);
      copied.textContent = t('rq_copyFailed');
    }
  } }, t('rq_copy'));
  return h('div', { class: 'rq-done', 'data-testid': 'rq-done', role: 'status' },
    h('h2', null, t('rq_doneTitle')),
    h('p', null, t('rq_doneToken')), code,
    h('p', { class: 'rq-done-tools' }, copy, ' ', copied),
    h('p', { class: 'hint' }, t('rq_doneKeep')),
    res.state === 'held' ? h('p', { class: 'hint' }, t('rq_doneHeld'))
      : h('p', { class: 'hint muted' }, t('rq_doneDue', { r: when(res.received), d: when(res.dispatch_due) })),
    h('p', { class: 'rq-done-links' },
      h('a', { class: 'button solid', href: `#/follow/${encodeURIComponent(token)}`, 'data-testid': 'rq-follow' }, t('rq_follow')), ' ',
      h('a', { class: 'button', href: '#/report', onclick: () => setTimeout(render) }, t('rq_another'))));
}

// ---- #/follow: by token -----------------------------------------------------------

// The deadlines of a request: when due, when met, overdue in red.
function deadlines(x) {
  const now = new Date();
  const row = (label, due, done, key) => {
    const late = due && (done ? toDate(done) > toDate(due) : OPEN.includes(x.state) && toDate(due) < now);
    return h('tr', { class: late ? 'late' : null, 'data-testid': 'rq-deadline', 'data-due': key, 'data-late': late ? '1' : '0' },
      h('th', { scope: 'row' }, label),
      h('td', null, due ? t('rq_dueBy', { d: when(due) }) : t('rq_dueNone')),
      h('td', { class: late ? 'bad' : null }, done ? t(late ? 'rq_doneLate' : 'rq_doneAt', { d: when(done) })
        : late ? h('b', null, `${t('rq_overdue')} ${span(now - toDate(due))}`) : '—'));
  };
  return h('section', { class: 'panel rq-deadlines', 'data-testid': 'rq-deadlines' }, h('h2', null, t('rq_deadlines')),
    h('div', { class: 'table-wrap' }, h('table', null, h('tbody', null,
      row(t('rq_dueDispatch'), x.dispatch_due, x.dispatched, 'dispatch'),
      row(t('rq_dueResponse'), x.response_due, x.accepted || x.answered, 'response'),
      row(t('rq_dueAnswer'), x.answer_due, x.answered, 'answer')))));
}

// The timeline, oldest first; staff see who did each step.
function timeline(x, cat, staff) {
  const ev = x.events;
  return h('section', { class: 'panel rq-timeline', 'data-testid': 'rq-timeline' }, h('h2', null, t('rq_timeline')),
    ev.length ? h('ol', { class: 'rq-events' }, ev.map((e) => h('li', {
      class: `rq-event rq-event-${e.action}`, 'data-testid': 'rq-event', 'data-action': e.action,
    },
    h('p', { class: 'rq-event-head' }, h('b', null, known(`rq_act_${e.action}`, e.action)),
      e.department ? ` → ${deptName(cat, e.department)}` : null,
      h('span', { class: 'muted' }, ` · ${when(e.at)}`), staff && e.actor ? h('span', { class: 'muted' }, ` · ${known(`rq_actor_${e.actor}`, e.actor)}`) : null),
    e.text ? h('p', { class: 'rq-event-text' }, e.text) : null)))
      : h('p', { class: 'muted' }, t('rq_timelineNone')));
}

function answerPanel(x) {
  const sat = x.satisfaction && x.satisfaction !== 'none' ? known(`rq_sat_${x.satisfaction}`, x.satisfaction) : null;
  const res = x.resolved === true || x.resolved === 1 ? t('rq_resolved_yes') : x.resolved === false || x.resolved === 0 ? t('rq_resolved_no') : null;
  return h('section', { class: 'panel rq-answer', 'data-testid': 'rq-answer' }, h('h2', null, t('rq_answer')),
    x.answer ? [h('p', { class: 'rq-answer-text' }, x.answer), x.answered ? h('p', { class: 'muted' }, when(x.answered)) : null]
      : h('p', { class: 'muted' }, t('rq_answerNone')),
    res || sat ? h('p', { 'data-testid': 'rq-followed' }, h('b', null, `${t('rq_followed')}：`), [res, sat].filter(Boolean).join(' · ')) : null);
}

async function followPage(r) {
  const cat = await catalogue();
  const svc = await services();
  const token = r.parts[1] || '';
  const input = h('input', { id: 'rq-token-in', name: 'token', value: token, autocomplete: 'off', spellcheck: 'false', autocapitalize: 'none' });
  const form = h('form', { class: 'rq-follow-form', onsubmit: (e) => {
    e.preventDefault();
    const v = input.value.trim();
    if (v) location.hash = `#/follow/${encodeURIComponent(v)}`;
  } }, h('label', { for: 'rq-token-in' }, t('rq_token')), input,
  h('button', { type: 'submit', class: 'button solid' }, t('rq_followGo')));
  const head = h('div', { class: 'page-head' }, h('div', null, h('h1', null, t('rq_followTitle')),
    h('p', { class: 'meta' }, t('rq_followLead'))));
  const page = (...body) => h('div', { class: 'page rq-follow' }, head, h('section', { class: 'panel' }, form), body,
    h('p', { class: 'muted rq-aside' }, t('rq_followReport'), ' ', h('a', { href: '#/report' }, t('rq_reportTitle'))));
  if (!token) return page();
  let x;
  try {
    x = norm(await api(`requests/track/${encodeURIComponent(token)}`), cat);
  } catch (e) {
    if (e.status !== 404 && e.status !== 400) throw e;
    return page(h('p', { class: 'panel notice bad', role: 'alert', 'data-testid': 'rq-follow-none' }, t('rq_followNone')));
  }
  return page(
    h('section', { class: 'panel rq-summary', 'data-testid': 'rq-summary', 'data-id': x.id },
      h('p', { class: 'rq-big-state' }, stateBadge(x), ' ', sampleBadge(!!x.sample)),
      h('h2', null, serviceName(svc, x.service)),
      h('p', { class: 'rq-desc' }, x.description),
      h('dl', { class: 'tfacts' },
        h('dt', null, t('rq_received')), h('dd', null, when(x.received)),
        h('dt', null, t('rq_where')), h('dd', null, [areaName(cat, x.area), x.community, x.address].filter(Boolean).join(' ') || '—'),
        x.department ? [h('dt', null, t('rq_dept')), h('dd', null, deptName(cat, x.department))] : null)),
    answerPanel(x), deadlines(x), timeline(x, cat, false));
}

// ---- #/requests: the staff queue -----------------------------------------------------

async function queuePage(r) {
  if (!isStaff()) return needRole('rq_needStaff');
  const cat = await catalogue();
  const svc = await services();
  const q = r.query;
  const u = state.user;
  const mine = u.role === 'department' ? cat.depts.find((d) => d.id === u.department_id) : null;
  const offset = Math.max(0, Number(q.offset) || 0);
  const res = await api('requests', {
    state: q.state, department: q.department, area: q.area, service: q.service, overdue: q.overdue,
    from: q.from, to: q.to, sort: q.sort === 'received' ? 'received' : 'due', limit: PAGE_ROWS, offset,
  });
  // Overdue first: the API's order is by the next deadline, where an
  // answered request (past its answer deadline, waiting for the call back)
  // can stand among the overdue; on the page the overdue come first.
  const items = (res.items || []).map((x) => norm(x, cat));
  if (q.sort !== 'received') items.sort((a, b) => overdue(b) - overdue(a));
  const message = flash;
  flash = null;

  const controls = h('div', { class: 'controls rq-filters' },
    filterSelect(q, 'rq-f-state', t('rq_state'), 'state', [['', t('rq_allStates')], ...STATES.map((s) => [s, t(`rq_state_${s}`)])]),
    whereFilters(q, 'rq-f', cat, svc, !mine),
    filterSelect(q, 'rq-f-sort', t('rq_sort'), 'sort', [['', t('rq_sort_due')], ['received', t('rq_sort_received')]]),
    h('label', { class: 'rq-check' }, h('input', {
      type: 'checkbox', id: 'rq-f-overdue', checked: q.overdue === '1', onchange: (e) => setQuery({ overdue: e.target.checked ? '1' : '', offset: '' }),
    }), ` ${t('rq_overdueOnly')}`),
    h('span', { class: 'rq-range' },
      h('label', { for: 'rq-f-from' }, t('rq_from')),
      h('input', { type: 'date', id: 'rq-f-from', value: q.from || '', onchange: (e) => setQuery({ from: e.target.value, offset: '' }) }),
      h('label', { for: 'rq-f-to' }, t('rq_to')),
      h('input', { type: 'date', id: 'rq-f-to', value: q.to || '', onchange: (e) => setQuery({ to: e.target.value, offset: '' }) })),
    Object.values(q).some(Boolean) ? h('a', { href: '#/requests', class: 'rq-clear' }, t('rq_clear')) : null);

  const counts = h('ul', { class: 'tcounts rq-counts', 'data-testid': 'rq-counts' },
    STATES.filter((s) => s !== 'held' || res.counts?.held).map((s) => h('li', { class: `rqstate-${s}`, 'data-state': s },
      h('a', { href: hrefOf('/requests', { ...q, state: s, offset: '' }) },
        h('b', { class: 'num', 'data-testid': 'count' }, String(res.counts?.[s] ?? 0)), ` ${t(`rq_state_${s}`)}`))));

  // Bulk dispatch (reviewers): the rows that may go to a department.
  const bulk = isReviewer();
  const picks = [];
  const pickable = (x) => bulk && ['received', 'dispatched'].includes(x.state);
  const row = (x) => {
    const late = overdue(x);
    const due = nextDue(x);
    const pick = pickable(x) ? h('input', { type: 'checkbox', value: x.id, 'aria-label': `${t('rq_pick')} ${x.id}`, 'data-testid': 'rq-pick' }) : null;
    if (pick) picks.push(pick);
    return h('tr', { class: late ? 'late' : null, 'data-testid': 'rq-row', 'data-id': x.id, 'data-state': x.state, 'data-overdue': late ? '1' : '0' },
      bulk ? h('td', { class: 'pick' }, pick) : null,
      h('td', { class: 'code' }, h('a', { href: requestHref(x.id) }, `#${x.id}`), x.ref ? h('span', { class: 'muted' }, ` ${x.ref}`) : null,
        h('br'), stateBadge(x)),
      h('td', { class: 'title rq-what' }, h('a', { href: requestHref(x.id) }, serviceName(svc, x.service)), ' ', sampleBadge(!!x.sample),
        h('br'), h('span', { class: 'muted rq-snip' }, x.description)),
      h('td', { class: 'rq-where' }, [areaName(cat, x.area), x.community].filter(Boolean).join(' ') || '—',
        x.address ? [h('br'), h('span', { class: 'muted rq-snip' }, x.address)] : null),
      h('td', null, deptName(cat, x.department)),
      h('td', null, when(x.received)),
      ['answered', 'closed'].includes(x.state)
        ? h('td', { class: 'muted' }, x.answered ? t('rq_doneAt', { d: when(x.answered) }) : '—')
        : h('td', { class: late ? 'bad' : null }, due ? [when(due), h('br'),
        late ? h('b', null, t('rq_overdueBy', { d: span(new Date() - toDate(due)) }))
          : OPEN.includes(x.state) ? h('span', { class: 'muted' }, t('rq_dueIn', { d: span(toDate(due) - new Date()) })) : null] : '—'));
  };
  const rows = items.map(row);
  const all = bulk ? h('input', { type: 'checkbox', 'aria-label': t('rq_pickAll'), 'data-testid': 'rq-pick-all', onchange: (e) => {
    for (const p of picks) p.checked = e.target.checked;
  } }) : null;
  const head = [bulk ? { text: all, cls: 'pick' } : null, t('rq_colId'), t('rq_colWhat'), t('rq_colWhere'), t('rq_colDept'),
    t('rq_colReceived'), t('rq_colDue')].filter(Boolean);

  let bar = null;
  if (bulk) {
    const to = select({ id: 'rq-bulk-dept', 'data-testid': 'rq-bulk-dept' }, [['', t('rq_pickDept')], ...cat.depts.map((d) => [d.code, nameOf(d)])], '');
    const msg = h('p', { class: `form-msg${message ? ' ok' : ''}`, role: 'status', 'aria-live': 'polite', 'data-testid': 'rq-bulk-msg' }, message || '');
    const go = h('button', { type: 'submit', class: 'button solid', 'data-testid': 'rq-bulk-go' }, t('rq_bulkGo'));
    bar = h('form', { class: 'rq-bulk', 'data-testid': 'rq-bulk', onsubmit: async (e) => {
      e.preventDefault();
      const ids = picks.filter((p) => p.checked).map((p) => Number(p.value));
      msg.className = 'form-msg error';
      if (!ids.length) { msg.textContent = t('rq_bulkPick'); return; }
      if (!to.value) { msg.textContent = t('rq_bulkDept'); to.focus(); return; }
      go.disabled = true;
      try {
        await api('requests/dispatch', {}, { method: 'POST', body: { ids, department: to.value } });
        flash = t('rq_bulkDone', { n: ids.length });
        await render();
      } catch (err) {
        msg.textContent = t('rq_failed', { m: err.message });
        go.disabled = false;
      }
    } }, h('label', { for: 'rq-bulk-dept' }, t('rq_bulkTo')), to, go, msg);
  }

  const total = res.total ?? items.length;
  const pager = total > PAGE_ROWS ? h('p', { class: 'rq-pager' },
    offset > 0 ? h('a', { href: hrefOf('/requests', { ...q, offset: String(Math.max(0, offset - PAGE_ROWS)) }) }, `← ${t('rq_prev')}`) : null, ' ',
    h('span', { class: 'muted' }, t('rq_pageOf', { a: offset + 1, b: offset + items.length, n: total })), ' ',
    offset + PAGE_ROWS < total ? h('a', { href: hrefOf('/requests', { ...q, offset: String(offset + PAGE_ROWS) }) }, `${t('rq_next')} →`) : null) : null;

  return h('div', { class: 'page rq-queue' },
    h('div', { class: 'page-head' }, h('div', null,
      h('h1', null, mine ? t('rq_myQueue') : t('rq_queueTitle'), mine ? h('span', { class: 'muted' }, ` · ${nameOf(mine)}`) : null),
      h('p', { class: 'meta', 'data-testid': 'rq-total' }, t('rq_queueCount', { n: total }), ' · ',
        h('a', { href: '#/requests/stats' }, t('rq_statsTitle'))))),
    controls,
    h('section', { class: 'panel' }, counts, bar,
      rows.length ? table(head, rows, { class: 'tasks rq-table', 'data-testid': 'rq-table' }) : h('p', { class: 'muted' }, t('rq_queueNone')),
      pager));
}

// ---- #/requests/{id}: one request ---------------------------------------------------------

// The steps the reader may take on x now, as docs/requests.md has them;
// the API checks again.
function stepsFor(x, cat) {
  const u = state.user;
  if (!u || !isStaff()) return [];
  const own = u.role === 'department' && !!x.department && cat.dept.get(x.department)?.id === u.department_id;
  const rev = isReviewer();
  const lead = ['leader', 'admin'].includes(u.role);
  const s = x.state;
  const followed = s === 'closed' && (x.outcome === 'followed' || (!x.outcome && !x.duplicate_of && x.followed));
  return [
    ['approve', rev && s === 'held'], ['reject', rev && s === 'held'],
    ['dispatch', rev && ['received', 'dispatched'].includes(s)],
    ['accept', (own || rev) && s === 'dispatched'],
    ['answer', (own || rev) && ['dispatched', 'in_progress'].includes(s)],
    ['return', (own || rev) && s === 'dispatched'],
    ['followup', rev && s === 'answered'],
    ['reopen', rev && (s === 'answered' || followed)],
    ['duplicate', rev && ['held', 'received', 'dispatched'].includes(s)],
    ['supervise', lead && OPEN.includes(s)],
    ['note', own || rev],
  ].filter(([, may]) => may).map(([a]) => a);
}

// One step's form: its fields by the names the API's errors use.
function stepForm(x, action, cat, svc) {
  const p = formParts(`rq-${action}`);
  const fields = [];
  const body = {};
  if (action === 'dispatch') {
    const suggested = x.department || svc.get(x.service)?.department || '';
    const el = select({ name: 'department' }, [['', t('rq_pickDept')], ...cat.depts.map((d) => [d.code, nameOf(d)])], suggested);
    fields.push(p.field('department', t('rq_stepDept'), el));
    body.department = () => el.value;
  }
  if (['return', 'reject', 'reopen', 'answer', 'supervise', 'note'].includes(action)) {
    const el = h('textarea', { name: 'text', rows: action === 'answer' ? 5 : 3 });
    fields.push(p.field('text', t(`rq_stepText_${action}`), el));
    body.text = () => el.value.trim();
  }
  if (action === 'followup') {
    const res = select({ name: 'resolved' }, [['1', t('rq_resolved_yes')], ['0', t('rq_resolved_no')]], '1');
    const sat = select({ name: 'satisfaction' }, ['satisfied', 'basic', 'dissatisfied'].map((v) => [v, t(`rq_sat_${v}`)]), 'satisfied');
    fields.push(p.field('resolved', t('rq_stepResolved'), res), p.field('satisfaction', t('rq_stepSatisfaction'), sat));
    body.resolved = () => res.value === '1';
    body.satisfaction = () => sat.value;
  }
  if (action === 'duplicate') {
    const el = h('input', { name: 'duplicate_of', type: 'number', min: 1, inputmode: 'numeric' });
    fields.push(p.field('duplicate_of', t('rq_stepDupOf'), el));
    body.duplicate_of = () => (el.value === '' ? null : Number(el.value));
  }
  const submit = h('button', { type: 'submit', class: 'button solid', 'data-testid': `rq-${action}-submit` }, t(`rq_act_${action}`));
  const form = h('form', {
    class: 'tform', novalidate: true, 'data-testid': `rq-${action}-form`,
    onsubmit: async (e) => {
      e.preventDefault();
      p.clear();
      submit.disabled = true;
      try {
        await api(`requests/${encodeURIComponent(x.id)}/${action}`, {}, {
          method: 'POST', body: Object.fromEntries(Object.entries(body).map(([k, f]) => [k, f()])),
        });
        flash = t('rq_stepDone', { a: t(`rq_act_${action}`) });
        await render();
      } catch (err) {
        p.fail(err);
        submit.disabled = false;
      }
    },
  }, fields.length ? fields : h('p', { class: 'hint muted' }, t('rq_stepNoFields')), h('div', { class: 'actions' }, submit, p.msg));
  return h('details', { class: 'rq-step', 'data-testid': `rq-step-${action}`, 'data-action': action },
    h('summary', null, t(`rq_act_${action}`)), form);
}

async function requestPage(r) {
  if (!isStaff()) return needRole('rq_needStaff');
  const cat = await catalogue();
  const svc = await services();
  const x = norm(await api(`requests/${encodeURIComponent(r.parts[1])}`), cat);
  const message = flash;
  flash = null;
  const coords = isNum(x.lat) && isNum(x.lon) ? `${nf(x.lat, 5)}, ${nf(x.lon, 5)}` : null;
  const facts = [
    [t('rq_service'), serviceName(svc, x.service)],
    [t('rq_received'), `${when(x.received)} · ${known(`rq_ch_${x.channel}`, x.channel || '—')}`],
    x.ref ? [t('rq_ref'), x.ref] : null,
    [t('rq_where'), [areaName(cat, x.area), x.community, x.address].filter(Boolean).join(' ') || '—'],
    coords ? [t('rq_coords'), coords] : null,
    x.media.length ? [t('rq_media'), x.media.map((m, k) => [k ? ' · ' : '', h('a', { href: m, rel: 'noopener noreferrer', target: '_blank' }, `${k + 1}`)])] : null,
    [t('rq_dept'), deptName(cat, x.department)],
    x.duplicate_of ? [t('rq_dupOf'), h('a', { href: requestHref(x.duplicate_of) }, `#${x.duplicate_of}`)] : null,
    x.reopened ? [t('rq_reopened'), String(x.reopened)] : null,
    x.supervised ? [t('rq_supervised'), String(x.supervised)] : null,
  ].filter(Boolean);
  const contact = x.contact
    ? h('dl', { class: 'tfacts', 'data-testid': 'rq-contact' },
      [[t('rq_name'), x.contact.name], [t('rq_phone'), x.contact.phone], [t('rq_email'), x.contact.email]]
        .filter(([, v]) => v).map(([k, v]) => [h('dt', null, k), h('dd', null, v)]))
    : h('p', { class: 'muted' }, t('rq_contactHidden'));
  const steps = stepsFor(x, cat);
  const shown = message ? h('p', { class: 'form-msg ok flash', role: 'status', tabindex: -1, 'data-testid': 'flash' }, message) : null;
  const el = h('div', { class: 'page rq-page', 'data-id': x.id, 'data-state': x.state },
    h('p', { class: 'crumbs' }, h('a', { href: '#/requests' }, `← ${t('rq_back')}`)),
    h('div', { class: 'page-head' }, h('div', null,
      h('h1', null, `#${x.id} ${serviceName(svc, x.service)}`),
      h('p', { class: 'meta' }, stateBadge(x), ' ', overdue(x) ? h('span', { class: 'late-by' }, t('rq_overdue')) : null, ' ',
        sampleBadge(!!x.sample)),
      // On a phone the steps come last: a way to them from the top.
      steps.length ? h('button', {
        type: 'button', class: 'button small rq-to-steps',
        onclick: () => document.querySelector('[data-testid="rq-steps"] summary')?.focus({ preventScroll: false }),
      }, `${t('rq_steps')} ↓`) : null)),
    shown,
    h('div', { class: 'task-grid' },
      h('div', { class: 'task-main' },
        h('section', { class: 'panel' }, h('h2', null, t('rq_facts')),
          h('p', { class: 'rq-desc', 'data-testid': 'rq-desc' }, x.description),
          h('dl', { class: 'tfacts' }, facts.map(([k, v]) => [h('dt', null, k), h('dd', null, v)]))),
        h('section', { class: 'panel' }, h('h2', null, t('rq_contactOf')), contact),
        deadlines(x), answerPanel(x), timeline(x, cat, true)),
      h('div', { class: 'task-side' },
        h('section', { class: 'panel rq-steps', 'data-testid': 'rq-steps' }, h('h2', null, t('rq_steps')),
          steps.length ? steps.map((a, k) => {
            const d = stepForm(x, a, cat, svc);
            if (k === 0) d.open = true;
            return d;
          }) : h('p', { class: 'muted' }, t('rq_stepsNone'))))));
  el.addEventListener('mounted', () => shown?.focus());
  return el;
}

// ---- #/requests/stats: the rates --------------------------------------------------------

const monthOf = (k) => {
  const s = String(k ?? '');
  return /^\d{6}$/.test(s) ? `${s.slice(0, 4)}-${s.slice(4)}` : s;
};
const keyOf = (row, by) => row.key ?? row[by] ?? row.month;
const rateOf = (row, name) => {
  const c = row.rates?.[name] || {};
  const num = c.num ?? 0;
  const den = c.den ?? 0;
  return { num, den, pct: den ? (num / den) * 100 : null };
};

// The name of a row's key by what the table is grouped by.
function keyName(cat, svc, by, key) {
  if (by === 'department') return key ? deptName(cat, key) : t('rq_noDept');
  if (by === 'area') return key ? areaName(cat, key) : t('rq_unknown');
  if (by === 'service') return serviceName(svc, key);
  if (by === 'month') return periodName(monthOf(key));
  return key;
}

// A rate as the cell shows it: 87.5% over 7/8.
const rateCell = (row, name) => {
  const { num, den, pct } = rateOf(row, name);
  return h('td', { class: 'num rq-rate', 'data-testid': 'rq-rate', 'data-rate': name, 'data-num': num, 'data-den': den },
    h('b', null, pct === null ? '—' : `${nf(pct, 1)}%`), h('br'), h('span', { class: 'muted' }, `${num}/${den}`));
};

// The sum of rows (numerators and denominators add; open adds across
// departments, areas and services, but not across months: the last one).
function totalOf(rows, by) {
  const sum = { rates: {}, open: 0, received: 0 };
  for (const n of RATES) sum.rates[n] = { num: 0, den: 0 };
  for (const row of rows) {
    for (const n of RATES) {
      const c = rateOf(row, n);
      sum.rates[n].num += c.num;
      sum.rates[n].den += c.den;
    }
    sum.received += row.received ?? row.counts?.received ?? 0;
  }
  sum.open = by === 'month' ? rows[rows.length - 1]?.open ?? 0 : rows.reduce((a, row) => a + (row.open ?? 0), 0);
  return sum;
}

async function statsPage(r) {
  if (!isStaff()) return needRole('rq_needStaff');
  const cat = await catalogue();
  const svc = await services();
  const q = r.query;
  const to = /^\d{4}-\d{2}$/.test(q.to || '') ? q.to : thisMonth();
  const from = /^\d{4}-\d{2}$/.test(q.from || '') ? q.from : `${to.slice(0, 4)}-01`;
  const by = BYS.includes(q.by) ? q.by : 'department';
  const filter = { from, to, department: q.department, area: q.area, service: q.service };
  // The rows do not say whether sample requests (the demo's year) are
  // counted in them; the queue does, request by request.  The first of the
  // filtered queue, overdue first, stands for them: the demo's are the
  // oldest.
  const [grouped, monthly, first] = await Promise.all([
    api('requests/stats', { ...filter, by }),
    by === 'month' ? null : api('requests/stats', { ...filter, by: 'month' }),
    optional(api('requests', { department: q.department, area: q.area, service: q.service, limit: 1, counts: 0 })),
  ]);
  const rowsOf = (res) => res?.items || res?.rows || [];
  const rows = rowsOf(grouped);
  const months = everyMonth(rowsOf(monthly || grouped), from, to);
  const total = totalOf(rows, by);

  // The months to choose from: three years back from this one.
  const months36 = [];
  const now = thisMonth();
  const end = +now.slice(0, 4) * 12 + +now.slice(5) - 1;
  for (let k = end; k > end - 36; k--) months36.push(monthKey(Math.floor(k / 12), (k % 12) + 1));
  for (const m of [to, from]) if (!months36.includes(m)) months36.unshift(m);
  const monthSel = (id, key, value) => select({ id, onchange: (e) => setQuery({ [key]: e.target.value }) },
    months36.map((m) => [m, periodName(m)]), value);
  const controls = h('div', { class: 'controls' },
    h('label', { for: 'rq-s-from' }, t('rq_monthFrom')), monthSel('rq-s-from', 'from', from),
    h('label', { for: 'rq-s-to' }, t('rq_monthTo')), monthSel('rq-s-to', 'to', to),
    whereFilters(q, 'rq-s', cat, svc, state.user.role !== 'department'),
    h('span', { class: 'rq-by', role: 'group', 'aria-label': t('rq_byLabel') },
      BYS.map((b) => h('a', {
        class: `button small${b === by ? ' solid' : ''}`, href: hrefOf('/requests/stats', { ...q, by: b }),
        'aria-current': b === by ? 'true' : null, 'data-by': b,
      }, t(`rq_by_${b}`)))));

  const head = [t(`rq_key_${by}`), { text: t('rq_colReceivedN'), cls: 'num' },
    ...RATES.map((n) => ({ text: t(`rq_rate_${n}`), cls: 'num' })), { text: t('rq_open'), cls: 'num' }];
  const line = (row, name, attrs) => h('tr', attrs, h('td', null, name),
    h('td', { class: 'num' }, String(row.received ?? row.counts?.received ?? 0)),
    RATES.map((n) => rateCell(row, n)),
    h('td', { class: 'num', 'data-testid': 'rq-open' }, String(row.open ?? 0)));
  const body = [...rows.map((row) => line(row, keyName(cat, svc, by, keyOf(row, by)), { 'data-testid': 'rq-stat-row', 'data-key': keyOf(row, by) ?? '' })),
    rows.length ? line(total, h('b', null, t('rq_total')), { class: 'total', 'data-testid': 'rq-stat-total' }) : null];

  const openChart = h('div', { class: 'chart', 'data-testid': 'rq-chart-open', role: 'img', 'aria-label': t('rq_chartOpen') });
  const ratesChart = h('div', { class: 'chart', 'data-testid': 'rq-chart-rates', role: 'img', 'aria-label': t('rq_chartRates') });
  const sample = !!first?.items?.[0]?.sample || rows.some((row) => row.sample || row.counts?.sample);
  const el = h('div', { class: 'page rq-stats', 'data-testid': 'rq-stats' },
    h('div', { class: 'page-head' }, h('div', null, h('h1', null, t('rq_statsTitle'), ' ', sampleBadge(!!sample)),
      h('p', { class: 'meta' }, `${periodName(`${from}/${to}`)} · ${t('rq_statsLead')}`))),
    controls,
    h('section', { class: 'panel' }, h('h2', null, `${t(`rq_by_${by}`)} · ${periodName(`${from}/${to}`)}`),
      h('p', { class: 'hint muted' }, t('rq_rateHint')),
      rows.length ? table(head, body, { class: 'rq-stats-table', 'data-testid': 'rq-stats-table' }) : h('p', { class: 'muted' }, t('rq_statsNone'))),
    h('div', { class: 'chart-grid' },
      h('section', { class: 'panel' }, h('h2', null, t('rq_chartOpen')), openChart),
      h('section', { class: 'panel' }, h('h2', null, t('rq_chartRates')), ratesChart)));
  const seen = JSON.stringify([grouped, monthly]);
  el.addEventListener('mounted', () => {
    drawStats(months, openChart, ratesChart);
    watch(el, seen, () => Promise.all([api('requests/stats', { ...filter, by }),
      by === 'month' ? null : api('requests/stats', { ...filter, by: 'month' })]));
  });
  return el;
}

// A row for every month from .. to: the API gives only the months where
// something happened.  A month without a row changed nothing, so the open
// count carries over (before the first row: what that row started from);
// its rates are unknown (null), not zero.
function everyMonth(rows, from, to) {
  const of = new Map(rows.map((row) => [monthOf(row.key ?? row.month), row]));
  const first = rows[0];
  let open = first ? (first.open ?? 0) - (first.counts?.open_delta ?? 0) : 0;
  const out = [];
  for (let k = +from.slice(0, 4) * 12 + +from.slice(5) - 1, end = +to.slice(0, 4) * 12 + +to.slice(5) - 1; k <= end; k++) {
    const m = monthKey(Math.floor(k / 12), (k % 12) + 1);
    const row = of.get(m);
    if (row) open = row.open ?? open;
    out.push(row || { key: m, open, rates: {} });
  }
  return out;
}

// Every few seconds while el is shown: read again, and draw the page anew
// (quietly: scroll and focus kept) when what it shows has changed.
function watch(el, seen, read) {
  const timer = setInterval(async () => {
    if (!el.isConnected) { clearInterval(timer); return; }
    const now = JSON.stringify(await optional(read()));
    if (el.isConnected && now !== 'null' && now !== seen) {
      clearInterval(timer);
      render({ quiet: true });
    }
  }, POLL_MS);
}

async function drawStats(months, openEl, ratesEl) {
  const gen = state.gen;
  const echarts = await loadECharts();
  if (gen !== state.gen || !openEl.isConnected) return;
  // 3月 while the months are of one year, 2025年12月 when they are not.
  const keys = months.map((row) => monthOf(row.key ?? row.month));
  const oneYear = new Set(keys.map((m) => m.slice(0, 4))).size <= 1;
  const labels = keys.map((m) => (!oneYear ? periodName(m)
    : state.lang === 'zh' ? `${+m.slice(5)}月` : MONTHS_EN[+m.slice(5) - 1] || m));
  const base = {
    textStyle: { fontFamily: FONT }, animationDuration: 300,
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: labels },
  };
  const open = echarts.init(openEl, null, { renderer: 'canvas', locale: state.lang === 'zh' ? 'ZH' : 'EN' });
  open.setOption({
    ...base,
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ name: t('rq_open'), type: 'bar', data: months.map((row) => row.open ?? 0), itemStyle: { color: COLORS.bars }, barMaxWidth: 24 }],
  });
  const rates = echarts.init(ratesEl, null, { renderer: 'canvas', locale: state.lang === 'zh' ? 'ZH' : 'EN' });
  const colors = [COLORS.cur, ...COLORS.bench];
  rates.setOption({
    ...base,
    legend: { top: 0, type: 'scroll', textStyle: { fontSize: 12 } },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (isNum(v) ? `${nf(v, 1)}%` : '—') },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    series: RATES.map((n, k) => ({
      name: t(`rq_rate_${n}`), type: 'line', connectNulls: true, symbolSize: 5,
      data: months.map((row) => { const p = rateOf(row, n).pct; return p === null ? null : +p.toFixed(1); }),
      showSymbol: true,
      lineStyle: { width: 2, color: colors[k] }, itemStyle: { color: colors[k] },
    })),
  });
  for (const [c, el] of [[open, openEl], [rates, ratesEl]]) {
    c.on('finished', () => { el.dataset.drawn = '1'; });
    state.charts.push(c);
  }
}

export const PAGES = {
  report: reportPage,
  follow: followPage,
  requests: (r) => (r.parts[1] === 'stats' ? statsPage(r) : r.parts[1] ? requestPage(r) : queuePage(r)),
};
