// The console's page: plain DOM and EventSource, no build step. Everything the fleet wrote is set
// as text (never as HTML), and the Content-Security-Policy allows no other script.
'use strict';

const MAX_ROWS = 500;
const jobs = new Map(); // "tenant/job" -> summary, as the server last told
let selected = null; // {tenant, job}
let fleetTimer = null;
let renderPending = false;
let detailPending = false;
let actions = { enabled: false, dead_letter_topic: '', recent: [] };
let actionsTimer = null;
let confirmed = null; // what the dialog's confirm button does

const $ = (id) => document.getElementById(id);
const keyOf = (j) => j.tenant + '/' + j.job_id;

// ---- formatting for people ----
const usd = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 });
const count = new Intl.NumberFormat();
const rate = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const share = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
function money(v) { return v == null ? '' : usd.format(Number(v)); }
// "12 % of $50.00" and a bar, or "no limit".
function spent(held, limit) {
  if (limit == null) return 'no limit';
  const used = Number(limit) > 0 ? Number(held) / Number(limit) : 1;
  const box = el('span', null, 'spent');
  const bar = el('meter');
  bar.min = 0; bar.max = 1; bar.low = 0.8; bar.high = 0.95; bar.optimum = 0; bar.value = Math.min(used, 1);
  box.append(bar, el('span', ' ' + share.format(used) + ' of ' + money(limit)));
  return box;
}
function ago(iso) {
  if (!iso) return '';
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return s + ' s ago';
  if (s < 3600) return Math.floor(s / 60) + ' min ago';
  if (s < 86400) return Math.floor(s / 3600) + ' h ago';
  return new Date(iso).toLocaleString();
}
function clock(iso) { return iso ? new Date(iso).toLocaleTimeString() : ''; }
function bytes(n) {
  if (n == null) return '';
  if (n < 1024) return count.format(n) + ' B';
  if (n < 1048576) return rate.format(n / 1024) + ' KB';
  return rate.format(n / 1048576) + ' MB';
}
function since(first, iso) {
  const ms = Date.parse(iso) - Date.parse(first);
  return ms < 1000 ? '+' + ms + ' ms' : '+' + rate.format(ms / 1000) + ' s';
}

// ---- DOM helpers: text only ----
function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text != null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}
function row(cells) {
  const tr = document.createElement('tr');
  for (const c of cells) {
    if (c instanceof Node) { const td = el('td'); td.append(c); tr.append(td); }
    else if (c && c.cut) { const td = el('td'); const span = el('span', c.text, 'cut'); span.title = c.text; td.append(span); tr.append(td); }
    else if (c && typeof c === 'object') tr.append(el('td', c.text, c.cls));
    else tr.append(el('td', c));
  }
  return tr;
}
function badge(status) { return el('span', status, 'badge s-' + status); }
function fill(tbody, rows) { tbody.replaceChildren(...rows); }

async function getJson(url) {
  const r = await fetch(url, { credentials: 'same-origin' });
  if (!r.ok) throw new Error(url + ': ' + r.status);
  return r.json();
}

// ---- jobs ----
function filters() {
  const within = Number($('since-filter').value);
  return {
    tenant: $('tenant-filter').value, status: $('status-filter').value, route: $('route-filter').value,
    since: within ? new Date(Date.now() - within * 1000).toISOString() : '',
  };
}
function passes(j) {
  const f = filters();
  return (!f.tenant || j.tenant === f.tenant) && (!f.status || j.status === f.status)
    && (!f.route || j.route === f.route) && (!f.since || Date.parse(j.updated_at) >= Date.parse(f.since));
}
async function loadJobs() {
  const f = filters();
  const q = new URLSearchParams({ limit: String(MAX_ROWS) });
  for (const k of ['tenant', 'status', 'route', 'since']) if (f[k]) q.set(k, f[k]);
  const list = await getJson('/api/jobs?' + q);
  jobs.clear();
  for (const j of list.reverse()) jobs.set(keyOf(j), j);
  scheduleRender();
}
function upsert(j) {
  jobs.delete(keyOf(j)); // re-inserted last: the map's order is newest last
  if (passes(j)) jobs.set(keyOf(j), j);
  while (jobs.size > MAX_ROWS) jobs.delete(jobs.keys().next().value);
  noteOption('tenant-filter', j.tenant);
  noteOption('route-filter', j.route);
  scheduleRender();
  if (selected && selected.tenant === j.tenant && selected.job === j.job_id) scheduleDetail();
}
function noteOption(selectId, value) {
  const sel = $(selectId);
  if (value == null || [...sel.options].some((o) => o.value === value)) return;
  sel.append(new Option(value, value));
}
function scheduleRender() {
  if (renderPending) return;
  renderPending = true;
  requestAnimationFrame(() => { renderPending = false; renderJobs(); });
}
function renderJobs() {
  const rows = [];
  for (const j of [...jobs.values()].reverse()) {
    const tr = row([
      { text: j.job_id, cut: true }, { text: j.tenant, cut: true }, badge(j.status),
      j.progress == null ? '' : j.progress + ' %',
      j.route || '',
      { text: money(j.cost_usd != null ? j.cost_usd : j.estimated_cost_usd), cls: 'num' },
      { text: j.worker_id || '', cut: true }, ago(j.updated_at),
    ]);
    tr.dataset.job = j.job_id;
    tr.dataset.tenant = j.tenant;
    tr.dataset.status = j.status;
    if (selected && selected.tenant === j.tenant && selected.job === j.job_id) tr.classList.add('selected');
    tr.addEventListener('click', () => select(j.tenant, j.job_id));
    rows.push(tr);
  }
  fill($('jobs').tBodies[0], rows);
  $('jobs-empty').hidden = rows.length > 0;
  $('counts').textContent = count.format(jobs.size) + (jobs.size === 1 ? ' job shown' : ' jobs shown');
}

// ---- one job ----
function select(tenant, job) {
  selected = { tenant, job };
  delete $('cancel-job').dataset.status;
  scheduleRender();
  loadDetail();
}
function scheduleDetail() {
  if (detailPending) return;
  detailPending = true;
  setTimeout(() => { detailPending = false; loadDetail(); }, 300);
}
async function loadDetail() {
  if (!selected) return;
  const q = new URLSearchParams({ tenant: selected.tenant, job: selected.job });
  let d;
  try { d = await getJson('/api/job?' + q); } catch (e) { return; }
  const j = d.job;
  $('detail').hidden = false;
  $('detail-title').textContent = j.job_id;
  $('cancel-job').dataset.status = j.status;
  showCancel();
  const facts = [
    ['tenant', j.tenant], ['status', j.status], ['attempt', j.attempt], ['route', j.route],
    ['worker', j.worker_id], ['cost', money(j.cost_usd)], ['estimated', money(j.estimated_cost_usd)],
    ['error', j.error_code], ['first seen', j.first_seen_at && new Date(j.first_seen_at).toLocaleString()],
  ];
  const dl = $('detail-facts');
  dl.replaceChildren();
  for (const [k, v] of facts) if (v != null && v !== '') dl.append(el('dt', k), el('dd', v));
  const thumbs = [];
  for (const img of j.images || []) {
    const fig = el('figure');
    const im = el('img', null, 'thumb');
    const iq = new URLSearchParams({ tenant: j.tenant, job: j.job_id, index: String(img.index) });
    // A thumbnail scaled by the console; a click opens the whole image.
    im.src = '/api/image?' + iq + '&size=thumb';
    im.alt = 'image ' + img.index + ' of ' + j.job_id;
    im.dataset.index = String(img.index);
    const full = el('a');
    full.href = '/api/image?' + iq;
    full.target = '_blank';
    full.rel = 'noopener';
    full.append(im);
    fig.append(full, el('figcaption', img.width + '×' + img.height + ' · ' + bytes(img.bytes)));
    thumbs.push(fig);
  }
  $('thumbs').replaceChildren(...thumbs);
  const first = d.timeline.length ? d.timeline[0].occurred_at : null;
  $('timeline').replaceChildren(...d.timeline.map((t) => {
    const li = el('li');
    li.dataset.status = t.status;
    li.append(el('span', clock(t.occurred_at) + ' (' + since(first, t.occurred_at) + ')', 'at'), badge(t.status));
    const parts = [];
    if (t.attempt > 1) parts.push('attempt ' + t.attempt);
    if (t.route) parts.push('route ' + t.route + (t.route_reason ? ' (' + t.route_reason + ')' : ''));
    if (t.upstream_task_id) parts.push('task ' + t.upstream_task_id);
    if (t.progress != null) parts.push(t.progress + ' %');
    if (t.estimated_cost_usd != null && t.status === 'ACCEPTED') parts.push('estimated ' + money(t.estimated_cost_usd));
    if (t.cost_usd != null) parts.push('cost ' + money(t.cost_usd));
    if (t.images) parts.push(t.images + (t.images === 1 ? ' image' : ' images'));
    if (t.upstream_calls != null) parts.push(t.upstream_calls + ' upstream calls');
    if (t.error_code) parts.push(t.error_code + (t.error_message ? ': ' + t.error_message : ''));
    if (t.worker_id) parts.push('on ' + t.worker_id);
    li.append(el('span', ' ' + parts.join(' · ')));
    return li;
  }));
  $('timeline-note').textContent = d.events_left_out
    ? count.format(d.events_left_out) + ' progress events left out between the first and the latest' : '';
}

// ---- fleet ----
function scheduleFleet() {
  if (fleetTimer) return;
  fleetTimer = setTimeout(() => { fleetTimer = null; loadFleet(); }, 1000);
}
async function loadFleet() {
  let f;
  try { f = await getJson('/api/fleet'); } catch (e) { return; }
  const stale = new Set(f.stale_workers || []);
  // Share of the live workers' capacity (their in-flight caps), as fair share divides it.
  const capacity = f.workers.filter((w) => !stale.has(w.worker_id)).reduce((n, w) => n + w.max_in_flight, 0);
  fill($('tenants').tBodies[0], f.tenants.map((t) => row([t.tenant,
    { text: count.format(t.in_flight), cls: 'num' },
    { text: capacity ? share.format(t.in_flight / capacity) : '', cls: 'num' },
    { text: count.format(t.waiting), cls: 'num' }])));
  fill($('budgets').tBodies[0], (f.budgets || []).map((b) => row([b.tenant,
    { text: money(b.held_today_usd), cls: 'num' }, spent(b.held_today_usd, b.daily_limit_usd),
    { text: money(b.held_this_month_usd), cls: 'num' }, spent(b.held_this_month_usd, b.monthly_limit_usd)])));
  fill($('lanes').tBodies[0], f.lanes.map((l) => row([l.lane,
    { text: rate.format(l.fleet_rate) + '/s', cls: 'num' }, { text: rate.format(l.local_rate) + '/s', cls: 'num' },
    { text: count.format(l.throttled), cls: 'num' }, clock(l.cooling_until), clock(l.down_until),
    { text: count.format(l.waiting), cls: 'num' }])));
  const moves = f.fallbacks || [];
  fill($('routes').tBodies[0], f.routes.map((r) => row([r.route,
    Object.entries(r.states).map(([s, n]) => s + ' on ' + n + (n === 1 ? ' worker' : ' workers')).join(', '),
    moves.filter((m) => m.from === r.route).map((m) => count.format(m.jobs) + ' to ' + m.to).join(', ')])));
  const members = new Map(((f.group && f.group.members) || []).map((m) => [m.worker_id, m]));
  $('group').textContent = f.group ? 'group ' + f.group.name + ': ' + f.group.state + ', ' + members.size + ' member(s)' : '';
  const workerRows = f.workers.map((w) => {
    const tr = row([w.worker_id,
      stale.has(w.worker_id) ? 'stale: not heard from' : w.ready ? 'yes' : 'no: ' + (w.not_ready_reasons || []).join('; '),
      { text: count.format(w.in_flight) + ' / ' + count.format(w.max_in_flight), cls: 'num' },
      owned(members.get(w.worker_id), w.assigned_partitions), ago(w.started_at), ago(w.updated_at)]);
    if (stale.has(w.worker_id)) tr.classList.add('stale');
    return tr;
  });
  const beating = new Set(f.workers.map((w) => w.worker_id));
  for (const [id, m] of members) {
    if (!beating.has(id)) workerRows.push(row([id, '?', '', owned(m), '', 'no heartbeat']));
  }
  fill($('workers').tBodies[0], workerRows);
  const cb = f.callbacks || { states: {}, latest: [] };
  $('callback-states').textContent = Object.entries(cb.states).map(([s, n]) => count.format(n) + ' ' + s.toLowerCase()).join(', ');
  fill($('callbacks').tBodies[0], cb.latest.map((c) => row([ago(c.updated_at), { text: c.job_id, cut: true },
    { text: c.tenant, cut: true }, c.host || '?', badge(c.state), { text: count.format(c.attempts), cls: 'num' },
    [c.http_status, c.error].filter((v) => v != null).join(' '), c.state === 'OWED' ? clock(c.next_attempt_at) : ''])));
  fill($('dead-letters').tBodies[0], f.dead_letters.map((d) => {
    const tr = row([ago(d.recorded_at), d.reason || '',
      d.error_class || '', (d.original_topic || '?') + '-' + (d.original_partition || '?') + '@' + (d.original_offset || '?'),
      d.worker || '', d.key || '', redriveButton(d)]);
    tr.dataset.partition = String(d.partition);
    tr.dataset.offset = String(d.offset);
    return tr;
  }));
  for (const t of f.tenants) noteOption('tenant-filter', t.tenant);
  for (const r of f.routes) noteOption('route-filter', r.route);
}

// ---- actions: each behind a confirmation, each recorded on the audit topic ----
function letterTarget(d) { return actions.dead_letter_topic + '-' + d.partition + '@' + d.offset; }
function redriven(target) {
  return actions.recent.some((a) => a.action === 'redrive_dead_letter' && a.target === target
    && (a.result === 'done' || a.result === 'already_done'));
}
function redriveButton(d) {
  if (!actions.enabled) return '';
  // Dealt with by the redrive group (a console or the CLI), or redriven from this page just now.
  const done = d.redriven || redriven(letterTarget(d));
  const b = el('button', done ? 'redriven' : 'redrive', 'act redrive');
  b.type = 'button';
  b.disabled = done;
  b.addEventListener('click', () => ask('Redrive this dead letter?',
    'Republishes the original record of ' + letterTarget(d) + ' (key ' + (d.key || 'none') + ') to '
      + (d.original_topic || 'its original topic') + ', where a worker runs it again. A letter is redriven once:'
      + ' if it was redriven before, from a console or by imagefleet dlq redrive, nothing is republished.',
    () => act('redrive', { partition: d.partition, offset: d.offset })));
  return b;
}
function ask(title, text, then) {
  $('confirm-title').textContent = title;
  $('confirm-text').textContent = text;
  confirmed = then;
  $('confirm').showModal();
}
async function act(what, body) {
  const out = $('action-result');
  out.textContent = what + '…';
  out.className = '';
  let status = 0;
  let text = '';
  try {
    const r = await fetch('/api/actions/' + what, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-Imagefleet-Action': '1' },
      body: JSON.stringify(body),
    });
    status = r.status;
    text = await r.text();
  } catch (e) { text = String(e); }
  let rec;
  try { rec = JSON.parse(text); } catch (e) { rec = { result: 'refused', message: text.trim() }; }
  out.textContent = rec.result + ': ' + rec.message;
  out.dataset.result = rec.result;
  out.className = status === 200 ? 'done' : 'other';
  loadActions();
}
function scheduleActions() {
  if (actionsTimer) return;
  actionsTimer = setTimeout(() => { actionsTimer = null; loadActions(); }, 300);
}
async function loadActions() {
  try { actions = await getJson('/api/actions'); } catch (e) { return; }
  $('actions-note').textContent = actions.enabled ? '' : actions.why_not || '';
  fill($('actions').tBodies[0], actions.recent.map((a) => {
    const tr = row([ago(a.at), a.by || '', a.action, { text: a.target, cut: true }, a.result, a.message || '']);
    tr.dataset.target = a.target;
    tr.dataset.result = a.result;
    return tr;
  }));
  $('actions-empty').hidden = actions.recent.length > 0;
  loadFleet();
  showCancel();
}
function showCancel() {
  const b = $('cancel-job');
  const j = selected && jobs.get(selected.tenant + '/' + selected.job);
  const status = b.dataset.status || (j && j.status);
  b.hidden = !actions.enabled || !selected || ['SUCCEEDED', 'FAILED', 'DUPLICATE'].includes(status);
}
function askCancel() {
  if (!selected) return;
  const { tenant, job } = selected;
  ask('Cancel this job?',
    'Publishes a cancel request for job ' + job + ' of tenant ' + tenant + '. If no worker has submitted it upstream'
      + ' yet, it ends FAILED with code cancelled and costs nothing; if its task was already created, it finishes'
      + ' (it is paid for).',
    () => act('cancel', { tenant, job_id: job, reason: 'cancelled from the console' }));
}

// "0-3, 7" per topic, from the group; the heartbeat's count when the group did not say.
function ranges(list) {
  const out = [];
  for (let i = 0; i < list.length; i++) {
    let j = i;
    while (j + 1 < list.length && list[j + 1] === list[j] + 1) j++;
    out.push(i === j ? String(list[i]) : list[i] + '-' + list[j]);
    i = j;
  }
  return out.join(',');
}
function owned(member, countOnly) {
  if (!member) return countOnly == null ? '' : count.format(countOnly) + ' partition(s)';
  return Object.entries(member.partitions).map(([t, ps]) => t + ' ' + ranges(ps)).join('; ') || 'none';
}

// ---- live ----
function connect() {
  const es = new EventSource('/api/events');
  es.addEventListener('hello', () => { $('connection').textContent = 'live'; $('connection').className = 'badge live'; loadJobs(); loadActions(); loadDetail(); });
  es.addEventListener('job', (e) => upsert(JSON.parse(e.data)));
  es.addEventListener('fleet', scheduleFleet);
  es.addEventListener('action', scheduleActions);
  es.addEventListener('resync', () => { loadJobs(); loadActions(); loadDetail(); });
  es.onerror = () => { $('connection').textContent = 'reconnecting'; $('connection').className = 'badge down'; };
}

document.addEventListener('DOMContentLoaded', () => {
  $('tenant-filter').addEventListener('change', loadJobs);
  $('status-filter').addEventListener('change', loadJobs);
  $('route-filter').addEventListener('change', loadJobs);
  $('since-filter').addEventListener('change', loadJobs);
  $('detail-close').addEventListener('click', () => { selected = null; $('detail').hidden = true; scheduleRender(); });
  $('cancel-job').addEventListener('click', askCancel);
  $('confirm-no').addEventListener('click', () => { confirmed = null; $('confirm').close(); });
  $('confirm-yes').addEventListener('click', () => { const go = confirmed; confirmed = null; $('confirm').close(); if (go) go(); });
  setInterval(scheduleRender, 10000); // keeps "… ago" true
  connect();
});
