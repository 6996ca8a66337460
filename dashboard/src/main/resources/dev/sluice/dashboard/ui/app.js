// Sluice dashboard: a Kiali-like traffic graph (Cytoscape.js) over /api/graph, plus the Config tab.
'use strict';
const COLORS = { HEALTHY: '#3e8635', DEGRADED: '#f0ab00', FAILURE: '#c9190b', NO_TRAFFIC: '#8a8d90' };
const $ = id => document.getElementById(id);
let cy = null;
let selected = null; // {kind: 'edge'|'node', id}
let timer = null;

function params() {
  return new URLSearchParams({ namespace: $('namespace').value, view: $('view').value, window: $('window').value });
}
async function getJson(url) {
  const r = await fetch(url);
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}
const fmt = {
  rps: v => (v >= 10 ? v.toFixed(1) : v.toFixed(2)) + ' rps',
  pct: v => { const r = Math.round(v * 10) / 10; return (Number.isInteger(r) ? r.toFixed(0) : r.toFixed(1)) + '%'; },
  ms: v => v == null ? 'n/a' : (v >= 100 ? v.toFixed(0) : v.toFixed(1)) + 'ms',
};
function nodeLabel(n) {
  if (n.kind === 'unknown') return 'unknown';
  return n.name + (n.version ? '\n' + n.version : '') + '\n' + n.namespace;
}
function edgeLabel(e) {
  let s = fmt.rps(e.rps) + '  ' + fmt.pct(e.sharePercent);
  // The split among the versions of one service (what a VirtualService's weights set), when it differs.
  if (e.serviceSharePercent < 99.95 && Math.abs(e.serviceSharePercent - e.sharePercent) >= 0.05) s += '\n' + fmt.pct(e.serviceSharePercent) + ' of ' + e.service.split('/')[1];
  if (e.errorPercent > 0) s += '\nerr ' + fmt.pct(e.errorPercent);
  s += '\np95 ' + fmt.ms(e.p95Millis);
  return s;
}

function elements(g) {
  const els = [];
  for (const n of g.nodes) {
    els.push({ group: 'nodes', data: { id: n.id, label: nodeLabel(n), color: COLORS[n.health], kind: n.kind, raw: n } });
  }
  for (const e of g.edges) {
    els.push({ group: 'edges', data: { id: e.id, source: e.source, target: e.target, label: edgeLabel(e),
      color: e.health === 'HEALTHY' ? '#4a90d9' : COLORS[e.health], width: 1.5 + Math.min(6, Math.log10(1 + e.rps) * 3), raw: e } });
  }
  return els;
}

function renderGraph(g) {
  const els = elements(g);
  const same = cy && cy.nodes().length === g.nodes.length && g.nodes.every(n => cy.getElementById(n.id).nonempty())
    && cy.edges().length === g.edges.length && g.edges.every(e => cy.getElementById(e.id).nonempty());
  if (same) {
    for (const el of els) cy.getElementById(el.data.id).data(el.data); // keep positions on refresh
  } else {
    if (cy) cy.destroy();
    cy = cytoscape({
      container: $('cy'), elements: els, wheelSensitivity: 0.3,
      style: [
        { selector: 'node', style: { 'background-color': 'data(color)', label: 'data(label)', 'text-wrap': 'wrap',
          'text-valign': 'bottom', 'text-margin-y': 4, 'font-size': 11, 'text-background-color': '#fff', 'text-background-opacity': 0.7, width: 28, height: 28,
          'border-width': 2, 'border-color': '#fff' } },
        { selector: 'node[kind = "service"]', style: { shape: 'triangle' } },
        { selector: 'node[kind = "workload"]', style: { shape: 'round-rectangle' } },
        { selector: 'node[kind = "unknown"]', style: { shape: 'diamond' } },
        { selector: 'edge', style: { width: 'data(width)', 'line-color': 'data(color)', 'target-arrow-color': 'data(color)',
          'target-arrow-shape': 'triangle', 'curve-style': 'bezier', label: 'data(label)', 'text-wrap': 'wrap',
          'font-size': 10, 'text-background-color': '#fff', 'text-background-opacity': 0.85, 'text-background-padding': 2 } },
        { selector: ':selected', style: { 'border-color': '#0066cc', 'line-color': '#0066cc', 'target-arrow-color': '#0066cc', 'border-width': 3 } },
      ],
      layout: { name: 'breadthfirst', directed: true, spacingFactor: 1.75, padding: 30 },
    });
    cy.on('tap', 'node', ev => select('node', ev.target.id()));
    cy.on('tap', 'edge', ev => select('edge', ev.target.id()));
    window.sluiceGraph = cy; // for tests and the console
  }
  renderTable(g);
}

function renderTable(g) {
  const name = id => { const n = g.nodes.find(x => x.id === id); return n ? nodeLabel(n).replace(/\n/g, ' ') : id; };
  $('edge-table').querySelector('tbody').innerHTML = g.edges.map(e =>
    `<tr data-edge="${esc(e.id)}"><td>${esc(name(e.source))}</td><td>${esc(name(e.target))}</td><td>${fmt.rps(e.rps)}</td>` +
    `<td class="share">${fmt.pct(e.sharePercent)} (${fmt.pct(e.serviceSharePercent)} of ${esc(e.service)})</td><td>${fmt.pct(e.errorPercent)}</td><td>${fmt.ms(e.p95Millis)}</td></tr>`).join('');
}

async function select(kind, id) {
  selected = { kind, id };
  await renderDetails();
}

async function renderDetails() {
  if (!selected) return;
  const p = params(); p.set('id', selected.id);
  const h = await getJson('/api/' + selected.kind + '?' + p);
  const el = cy && cy.getElementById(selected.id);
  const raw = el && el.nonempty() ? el.data('raw') : null;
  const codes = {};
  for (const pt of h.points) for (const [c, v] of Object.entries(pt.codes)) codes[c] = true;
  let html = `<h3 id="details-title">${selected.kind === 'edge' ? 'Edge' : 'Node'} ${esc(selected.id)}</h3>`;
  if (raw) {
    const rows = Object.entries(raw.codes).sort().map(([c, v]) => `<tr><td>${esc(c)}</td><td>${fmt.rps(v)}</td></tr>`).join('');
    html += `<table id="details-now"><tr><th>now</th><td>${fmt.rps(raw.rps ?? raw.inRps)}` +
      (raw.sharePercent != null ? ` (${fmt.pct(raw.sharePercent)} of source, ${fmt.pct(raw.serviceSharePercent)} of ${esc(raw.service)})` : '') + `</td></tr>` +
      `<tr><th>errors</th><td>${fmt.pct(raw.errorPercent)}</td></tr><tr><th>p95</th><td>${fmt.ms(raw.p95Millis)}</td></tr>` +
      `<tr><th colspan="2">response codes</th></tr>${rows}</table>`;
  }
  html += chart('Requests/s by response code', h.points, Object.keys(codes).sort().map(c => ({ name: c, f: pt => pt.codes[c] || 0 })));
  html += chart('Error %', h.points, [{ name: 'errors', f: pt => pt.errorPercent }]);
  html += chart('p95 latency (ms)', h.points, [{ name: 'p95', f: pt => pt.p95Millis }]);
  $('details').innerHTML = html;
}

const PALETTE = ['#3e8635', '#c9190b', '#f0ab00', '#0066cc', '#8481dd', '#009596'];
function chart(title, points, series) {
  const W = 300, H = 90, P = 4;
  const vals = series.flatMap(s => points.map(s.f)).filter(v => v != null);
  const max = Math.max(1e-9, ...vals);
  const x = i => P + i * (W - 2 * P) / Math.max(1, points.length - 1);
  const y = v => H - P - (v / max) * (H - 2 * P);
  const lines = series.map((s, k) => {
    const pts = points.map((pt, i) => [i, s.f(pt)]).filter(([, v]) => v != null).map(([i, v]) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`);
    return `<polyline fill="none" stroke="${s.name.startsWith('5') || s.name === 'errors' ? '#c9190b' : PALETTE[k % PALETTE.length]}" stroke-width="1.5" points="${pts.join(' ')}"/>`;
  }).join('');
  const legend = series.map((s, k) => `<span style="color:${PALETTE[k % PALETTE.length]}">${esc(s.name)}</span>`).join(' ');
  return `<div class="chart"><div class="title">${esc(title)} <small>max ${max.toFixed(2)}</small></div>` +
    `<svg width="${W}" height="${H}" style="background:#fff;border:1px solid #eee">${lines}</svg><div>${legend}</div></div>`;
}

function esc(s) {
  return String(s).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

async function refresh() {
  try {
    const [g, status] = await Promise.all([getJson('/api/graph?' + params()), getJson('/api/status')]);
    renderGraph(g);
    $('status').textContent = status.metrics + ' · ' + g.nodes.length + ' nodes, ' + g.edges.length + ' edges · ' + new Date(status.now).toLocaleTimeString();
    if (selected) await renderDetails();
  } catch (e) {
    $('status').textContent = 'error: ' + e.message;
  }
}

async function loadNamespaces() {
  try {
    const list = await getJson('/api/namespaces');
    const sel = $('namespace'), current = sel.value;
    sel.innerHTML = '<option value="">all</option>' + list.map(n => `<option>${esc(n)}</option>`).join('');
    sel.value = list.includes(current) ? current : '';
  } catch (e) { /* the graph call reports errors */ }
}

async function loadConfig() {
  const c = await getJson('/api/config');
  const badge = fs => fs.length === 0 ? '<span class="badge ok">ok</span>'
    : fs.map(f => `<span class="badge ${esc(f.level)}">${esc(f.code)}</span>`).join('');
  const finding = f => `<div class="finding ${esc(f.level)}">${esc(f.level)} [<a href="${esc(f.documentationUrl)}">${esc(f.code)}</a>] ${esc(f.message)}</div>`;
  let html = c.resources.map(r => `<details class="res"><summary>${esc(r.kind)} <b>${esc(r.namespace ? r.namespace + '/' : '')}${esc(r.name)}</b>${badge(r.findings)}</summary>` +
    r.findings.map(finding).join('') + `<pre>${esc(r.yaml)}</pre></details>`).join('');
  if (c.otherFindings.length) html += '<h4>Other findings</h4>' + c.otherFindings.map(f => finding(f).replace('</div>', ' (' + esc(f.resource) + ')</div>')).join('');
  $('config-list').innerHTML = html || '<p class="hint">No Istio resources.</p>';
}

function schedule() {
  if (timer) clearInterval(timer);
  const s = Number($('refresh').value);
  if (s > 0) timer = setInterval(refresh, s * 1000);
}

for (const b of document.querySelectorAll('.tab')) {
  b.addEventListener('click', () => {
    for (const t of document.querySelectorAll('.tab')) t.classList.toggle('active', t === b);
    $('graph-page').classList.toggle('hidden', b.dataset.tab !== 'graph');
    $('config-page').classList.toggle('hidden', b.dataset.tab !== 'config');
    if (b.dataset.tab === 'config') loadConfig().catch(e => $('config-list').textContent = 'error: ' + e.message);
  });
}
for (const id of ['namespace', 'view', 'window']) $(id).addEventListener('change', () => { selected = null; if (cy) { cy.destroy(); cy = null; } refresh(); });
$('refresh').addEventListener('change', schedule);
const initial = new URLSearchParams(location.search);
for (const id of ['view', 'window']) if (initial.get(id)) $(id).value = initial.get(id);
loadNamespaces().then(() => { if (initial.get('namespace')) $('namespace').value = initial.get('namespace'); refresh(); });
schedule();
