// codse report: draws the study embedded in #codse-data with plain DOM and SVG (no libraries).
// The numbers (fronts, hypervolume) come computed from codse; this script only shows them.
'use strict';
(function () {
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const state = { log: false, open: null, sortKey: null, sortUp: true };
  let data = null;
  let byNumber = new Map();

  // ---- small helpers -------------------------------------------------------------------------
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }
  function svg(tag, attrs, children) {
    const node = document.createElementNS(SVG_NS, tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }
  function setAttrs(node, attrs) {
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'text') node.textContent = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  function append(node, children) {
    if (children === undefined || children === null) return;
    for (const child of Array.isArray(children) ? children : [children]) {
      if (child === undefined || child === null || child === false) continue;
      node.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
    }
  }
  function isNum(v) { return typeof v === 'number' && isFinite(v); }
  function fmt(v) {
    if (v === null || v === undefined) return '–';
    if (typeof v === 'boolean') return v ? 'yes' : 'no';
    if (typeof v !== 'number') return String(v);
    if (!isFinite(v)) return String(v);
    const a = Math.abs(v);
    if (Number.isInteger(v) && a < 1e9) return v.toLocaleString('en-US');
    if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(3);
    return String(Number(v.toPrecision(4)));
  }
  function plain(v) {
    if (v === null || v === undefined) return '–';
    if (typeof v === 'object') return JSON.stringify(v);
    return fmt(v);
  }
  function metric(trial, name) {
    const v = trial.metrics ? trial.metrics[name] : undefined;
    return isNum(v) ? v : null;
  }
  function kvTable(pairs) {
    return el('table', { class: 'kv' }, pairs.map(([k, v]) => el('tr', {}, [el('td', { text: k }), el('td', {}, v instanceof Node ? v : plain(v))])));
  }
  function trialLink(number) {
    return el('a', { class: 'trial-link', text: '#' + number, onclick: () => openTrial(number, true) });
  }

  // ---- scales and axes -----------------------------------------------------------------------
  function makeScale(values, lo, hi, wantLog) {
    const finite = values.filter(isNum);
    let min = finite.length ? Math.min(...finite) : 0;
    let max = finite.length ? Math.max(...finite) : 1;
    const log = wantLog && min > 0;
    if (log) {
      if (max / min < 1.0001) { min /= 2; max *= 2; }
      const l0 = Math.log10(min), l1 = Math.log10(max), pad = (l1 - l0) * 0.05;
      const a = l0 - pad, b = l1 + pad;
      const f = (v) => lo + (Math.log10(v) - a) / (b - a) * (hi - lo);
      f.ticks = () => logTicks(Math.pow(10, a), Math.pow(10, b));
      f.log = true;
      return f;
    }
    if (max === min) { min -= Math.abs(min) * 0.5 || 1; max += Math.abs(max) * 0.5 || 1; }
    const pad = (max - min) * 0.05;
    const a = min - pad, b = max + pad;
    const f = (v) => lo + (v - a) / (b - a) * (hi - lo);
    f.ticks = () => linearTicks(a, b, 5);
    f.log = false;
    return f;
  }
  function linearTicks(a, b, count) {
    const raw = (b - a) / count;
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) || raw;
    const ticks = [];
    for (let t = Math.ceil(a / step) * step; t <= b + step * 1e-9; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
    return ticks;
  }
  function logTicks(a, b) {
    const ticks = [];
    const e0 = Math.floor(Math.log10(a)), e1 = Math.ceil(Math.log10(b));
    const mult = e1 - e0 <= 2 ? [1, 2, 5] : [1];
    for (let e = e0; e <= e1; e++) for (const m of mult) { const t = m * Math.pow(10, e); if (t >= a && t <= b) ticks.push(t); }
    return ticks.length >= 2 ? ticks : linearTicks(a, b, 4).filter((t) => t > 0);
  }
  function tickText(t) {
    const a = Math.abs(t);
    if (a >= 1e6 || (a > 0 && a < 1e-3)) return t.toExponential(0);
    if (a >= 1e4) return (t / 1000) + 'k';
    return String(Number(t.toPrecision(3)));
  }
  function axes(g, sx, sy, box, xLabel, yLabel) {
    const grid = svg('g', { class: 'grid' });
    const axis = svg('g', { class: 'axis' });
    for (const t of sx.ticks()) {
      const x = sx(t);
      grid.appendChild(svg('line', { x1: x, x2: x, y1: box.top, y2: box.bottom }));
      axis.appendChild(svg('line', { x1: x, x2: x, y1: box.bottom, y2: box.bottom + 4 }));
      axis.appendChild(svg('text', { x: x, y: box.bottom + 16, 'text-anchor': 'middle', text: tickText(t) }));
    }
    for (const t of sy.ticks()) {
      const y = sy(t);
      grid.appendChild(svg('line', { x1: box.left, x2: box.right, y1: y, y2: y }));
      axis.appendChild(svg('line', { x1: box.left - 4, x2: box.left, y1: y, y2: y }));
      axis.appendChild(svg('text', { x: box.left - 6, y: y + 4, 'text-anchor': 'end', text: tickText(t) }));
    }
    axis.appendChild(svg('path', { d: `M${box.left},${box.top}V${box.bottom}H${box.right}`, fill: 'none' }));
    g.appendChild(grid);
    g.appendChild(axis);
    g.appendChild(svg('text', { class: 'axis-label', x: (box.left + box.right) / 2, y: box.bottom + 34, 'text-anchor': 'middle', text: xLabel }));
    g.appendChild(svg('text', { class: 'axis-label', x: 14, y: (box.top + box.bottom) / 2, 'text-anchor': 'middle',
      transform: `rotate(-90 14 ${(box.top + box.bottom) / 2})`, text: yLabel }));
  }
  function objectiveLabel(o) { return `${o.name}${o.unit ? ' [' + o.unit + ']' : ''} (${o.sense === 'max' ? 'max ↑' : 'min ↓'})`; }

  // ---- hover ---------------------------------------------------------------------------------
  function designPairs(trial) {
    const pairs = [];
    const net = trial.artifacts && trial.artifacts.network;
    if (net && net.name) pairs.push(['network', net.name]);
    (trial.design || []).forEach((v, i) => { if (i < 16) pairs.push([data.knobs[i] || 'x' + i, v]); });
    if ((trial.design || []).length > 16) pairs.push(['…', `${trial.design.length - 16} more values`]);
    return pairs;
  }
  function showTooltip(event, trial) {
    const tip = document.getElementById('tooltip');
    tip.textContent = '';
    const head = `trial #${trial.number}` + (trial.front ? ' · on the front' : '') + ` · ${trial.fidelity}`;
    const pairs = data.objectives.map((o) => [o.name, metric(trial, o.name)]);
    const a = trial.artifacts || {};
    if (a.morphism !== undefined) pairs.push(['morphism', a.morphism]);
    if (a.parent !== undefined) pairs.push(['parent', '#' + a.parent]);
    append(tip, [el('b', { text: head }), kvTable(pairs.concat(designPairs(trial))),
      trial.front ? el('div', { class: 'note', text: 'click for the drill down' }) : null]);
    tip.hidden = false;
    const x = Math.min(event.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
    const y = Math.min(event.clientY + 14, window.innerHeight - tip.offsetHeight - 8);
    tip.style.left = Math.max(4, x) + 'px';
    tip.style.top = Math.max(4, y) + 'px';
  }
  function hideTooltip() { document.getElementById('tooltip').hidden = true; }
  function setHot(number, on) {
    for (const c of document.querySelectorAll(`circle.trial[data-trial="${number}"]`)) c.classList.toggle('hot', on);
  }

  // ---- Pareto plots --------------------------------------------------------------------------
  function usableTrials() {
    return data.trials.filter((t) => t.status === 'complete' && data.objectives.every((o) => metric(t, o.name) !== null));
  }
  function scatter(xName, yName, xLabel, yLabel, xOf, yOf, pairFront) {
    const W = 420, H = 320;
    const box = { left: 62, right: W - 14, top: 12, bottom: H - 46 };
    const trials = usableTrials();
    const sx = makeScale(trials.map(xOf), box.left, box.right, state.log);
    const sy = makeScale(trials.map(yOf), box.bottom, box.top, state.log);
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'pareto-plot', 'data-x': xName, 'data-y': yName, role: 'img',
      'aria-label': `${yName} against ${xName}` });
    axes(root, sx, sy, box, xLabel, yLabel);
    if (pairFront && pairFront.length > 1) {
      const pts = pairFront.map((n) => byNumber.get(n)).filter(Boolean);
      let d = '';
      pts.forEach((t, i) => {
        const x = sx(xOf(t)), y = sy(yOf(t));
        d += i === 0 ? `M${x},${y}` : `H${x}V${y}`;
      });
      root.appendChild(svg('path', { class: 'pair-front', d: d }));
    }
    const ordered = trials.filter((t) => !t.front).concat(trials.filter((t) => t.front));
    for (const t of ordered) {
      const c = svg('circle', { class: 'trial' + (t.front ? ' on-front' : ''), cx: sx(xOf(t)).toFixed(1), cy: sy(yOf(t)).toFixed(1),
        r: t.front ? 4.5 : 3, 'data-trial': t.number });
      c.addEventListener('mouseenter', (e) => { setHot(t.number, true); showTooltip(e, t); });
      c.addEventListener('mousemove', (e) => showTooltip(e, t));
      c.addEventListener('mouseleave', () => { setHot(t.number, false); hideTooltip(); });
      c.addEventListener('click', () => { if (t.front) openTrial(t.number, true); });
      root.appendChild(c);
    }
    return el('div', { class: 'plot' }, root);
  }
  function paretoPlots() {
    const objs = data.objectives;
    const single = objs.length <= 2;
    const container = el('div', { class: 'plots' + (single ? ' single' : ''), id: 'pareto-plots' });
    if (objs.length === 1) {
      const o = objs[0];
      container.appendChild(scatter('trial', o.name, 'trial', objectiveLabel(o), (t) => t.number, (t) => metric(t, o.name), null));
    }
    for (const pf of data.pair_fronts) {
      const ox = objs[pf.x], oy = objs[pf.y];
      container.appendChild(scatter(ox.name, oy.name, objectiveLabel(ox), objectiveLabel(oy),
        (t) => metric(t, ox.name), (t) => metric(t, oy.name), pf.trials));
    }
    return container;
  }
  function paretoSection() {
    const section = el('section', { id: 'pareto' });
    const n = usableTrials().length;
    const logBox = el('input', { type: 'checkbox', id: 'log-axes' });
    logBox.checked = state.log;
    logBox.addEventListener('change', () => {
      state.log = logBox.checked;
      section.replaceChild(paretoPlots(), document.getElementById('pareto-plots'));
    });
    append(section, [
      el('h2', { text: 'Pareto front' }),
      el('p', { class: 'note', text: `${n} complete trials with every objective measured; ${data.front.length} on the front of all ` +
        `${data.objectives.length} objectives, shown in each 2-D projection. The dashed line is the front of that pair alone.` }),
      el('div', { class: 'controls' }, [
        el('label', {}, [logBox, ' logarithmic axes (where every value is positive)']),
        el('span', { class: 'legend' }, [
          el('span', {}, [el('span', { class: 'swatch', style: 'background:var(--all)' }), 'trial']),
          el('span', {}, [el('span', { class: 'swatch', style: 'background:var(--front)' }), 'front of all objectives']),
          el('span', {}, [el('span', { class: 'swatch', style: 'background:var(--pair);border-radius:0;height:2px' }), 'front of the pair'])])]),
      paretoPlots()]);
    return section;
  }

  // ---- hypervolume ---------------------------------------------------------------------------
  function hypervolumeSection() {
    const hv = data.hypervolume;
    const section = el('section', { id: 'hypervolume' }, el('h2', { text: 'Hypervolume over trials' }));
    const pts = (hv.points || []).filter((p) => isNum(p.value) && isNum(p.trial));
    if (!pts.length) { section.appendChild(el('p', { class: 'note', text: 'No hypervolume: no trial has every objective measured.' })); return section; }
    const W = 860, H = 260, box = { left: 70, right: W - 16, top: 12, bottom: H - 46 };
    const sx = makeScale(pts.map((p) => p.trial), box.left, box.right, false);
    const sy = makeScale(pts.map((p) => p.value), box.bottom, box.top, false);
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, id: 'hypervolume-plot', role: 'img', 'aria-label': 'hypervolume against trial' });
    axes(root, sx, sy, box, 'trial', 'hypervolume');
    let d = '';
    pts.forEach((p, i) => { d += i === 0 ? `M${sx(p.trial)},${sy(p.value)}` : `H${sx(p.trial)}V${sy(p.value)}`; });
    root.appendChild(svg('path', { class: 'hv-area', d: d + `V${box.bottom}H${sx(pts[0].trial)}Z` }));
    root.appendChild(svg('path', { class: 'hv-line', d: d }));
    pts.forEach((p, i) => {
      if (i > 0 && p.value === pts[i - 1].value) return;
      const c = svg('circle', { class: 'hv-step', cx: sx(p.trial), cy: sy(p.value), r: 3 });
      c.appendChild(svg('title', { text: `after trial #${p.trial}: ${fmt(p.value)}` }));
      root.appendChild(c);
    });
    const last = pts[pts.length - 1];
    append(section, [
      el('p', { class: 'note', text: `Final ${fmt(last.value)} after trial #${last.trial}; ` + (hv.source === 'study'
        ? 'as the study recorded it.' : `computed by codse (${hv.normalisation}).`) + ' Dots mark the trials that raised it.' }),
      el('div', { class: 'plot wide' }, root)]);
    return section;
  }

  // ---- front table and drill down ------------------------------------------------------------
  function frontColumns() {
    const cols = [{ key: 'number', label: 'trial', value: (t) => t.number, cell: (t) => '#' + t.number }];
    if (data.trials.some((t) => t.artifacts && t.artifacts.network)) {
      cols.push({ key: 'network', label: 'network', text: true, value: (t) => (t.artifacts.network || {}).name || '' });
      cols.push({ key: 'morphism', label: 'morphism', text: true, value: (t) => plain(t.artifacts.morphism === undefined ? '' : t.artifacts.morphism) });
    }
    for (const o of data.objectives) cols.push({ key: 'o:' + o.name, label: objectiveLabel(o), value: (t) => metric(t, o.name) });
    const shown = new Set(data.objectives.map((o) => o.name));
    for (const extra of ['accuracy', 'lut', 'dsp', 'bram18', 'latency_us', 'fps', 'power_w']) {
      if (!shown.has(extra) && data.front.some((n) => metric(byNumber.get(n), extra) !== null))
        cols.push({ key: 'm:' + extra, label: extra, value: (t) => metric(t, extra) });
    }
    if (!data.trials.some((t) => t.artifacts && t.artifacts.network))
      data.knobs.slice(0, 8).forEach((k, i) => cols.push({ key: 'k:' + i, label: k, value: (t) => (t.design || [])[i] }));
    cols.push({ key: 'fidelity', label: 'fidelity', text: true, value: (t) => t.fidelity });
    return cols;
  }
  function frontTable() {
    const cols = frontColumns();
    let rows = data.front.map((n) => byNumber.get(n)).filter(Boolean);
    if (state.sortKey) {
      const col = cols.find((c) => c.key === state.sortKey);
      if (col) rows = rows.slice().sort((a, b) => {
        const va = col.value(a), vb = col.value(b);
        const r = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
        return state.sortUp ? r : -r;
      });
    }
    const head = el('tr', {}, cols.map((c) => el('th', { class: c.text ? 'text' : null, title: 'sort',
      text: c.label + (state.sortKey === c.key ? (state.sortUp ? ' ▲' : ' ▼') : ''),
      onclick: () => { state.sortUp = state.sortKey === c.key ? !state.sortUp : true; state.sortKey = c.key; redrawFront(); } })));
    const body = el('tbody');
    for (const t of rows) {
      const tr = el('tr', { class: 'row' + (state.open === t.number ? ' open' : ''), id: 'front-row-' + t.number, 'data-trial': t.number },
        cols.map((c) => el('td', { class: c.text ? 'text' : null }, c.cell ? c.cell(t) : plain(c.value(t)))));
      tr.addEventListener('click', () => openTrial(state.open === t.number ? null : t.number, false));
      tr.addEventListener('mouseenter', () => setHot(t.number, true));
      tr.addEventListener('mouseleave', () => setHot(t.number, false));
      body.appendChild(tr);
      if (state.open === t.number) body.appendChild(el('tr', { class: 'detail' }, el('td', { colspan: cols.length }, drillDown(t))));
    }
    return el('div', { class: 'scroll', id: 'front-table-box' }, el('table', { class: 'data front-table', id: 'front-table' }, [el('thead', {}, head), body]));
  }
  function redrawFront() {
    const box = document.getElementById('front-table-box');
    box.parentNode.replaceChild(frontTable(), box);
  }
  function openTrial(number, scroll) {
    state.open = number;
    redrawFront();
    if (scroll && number !== null) {
      const row = document.getElementById('front-row-' + number);
      if (row) row.scrollIntoView({ block: 'start', behavior: 'smooth' });
    }
  }
  function frontSection() {
    return el('section', { id: 'front' }, [el('h2', { text: `Front designs (${data.front.length})` }),
      el('p', { class: 'note', text: 'Click a row (or a front point in a plot) for its network, per-layer hardware and estimate versus synthesis; click a header to sort.' }),
      frontTable()]);
  }

  // Layers of an estimate, with nested objects (e.g. "resources") flattened one level.
  function flatLayer(layer) {
    const flat = {};
    for (const [k, v] of Object.entries(layer || {})) {
      if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k2, v2] of Object.entries(v)) flat[k2 in flat ? k + '.' + k2 : k2] = v2;
      else flat[k] = v;
    }
    return flat;
  }
  const LAYER_ORDER = ['name', 'unit', 'lut', 'ff', 'dsp', 'bram18', 'uram', 'lutram', 'cycles', 'latency_cycles', 'power_w', 'offchip_bytes', 'limiter', 'bottleneck'];
  function layerColumns(rows) {
    const keys = new Set();
    rows.forEach((r) => Object.keys(r).forEach((k) => { if (typeof r[k] !== 'object' || r[k] === null) keys.add(k); }));
    const cols = LAYER_ORDER.filter((k) => keys.has(k));
    for (const k of keys) if (!cols.includes(k) && cols.length < 16) cols.push(k);
    return cols;
  }
  function hardwareTable(estimate) {
    const rows = (estimate.layers || []).map(flatLayer);
    if (!rows.length) return el('p', { class: 'note', text: 'The estimate has no per-layer breakdown.' });
    const cols = layerColumns(rows);
    const totals = {};
    for (const c of cols) totals[c] = rows.reduce((s, r) => s + (isNum(r[c]) ? r[c] : 0), 0);
    const bars = new Set(['lut', 'ff', 'dsp', 'bram18', 'cycles']);
    const body = rows.map((r) => el('tr', { class: r.bottleneck === true ? 'bottleneck' : null }, cols.map((c) => {
      if (bars.has(c) && isNum(r[c]) && totals[c] > 0) {
        const share = c === 'cycles' ? r[c] / Math.max(...rows.map((x) => (isNum(x[c]) ? x[c] : 0))) : r[c] / totals[c];
        return el('td', { class: 'bar', title: c === 'cycles' ? 'relative to the slowest layer' : `${(100 * share).toFixed(1)}% of the total` },
          [el('span', { class: 'fill', style: `width:${(100 * share).toFixed(1)}%` }), el('span', { class: 'val', text: fmt(r[c]) })]);
      }
      return el('td', { class: typeof r[c] === 'string' ? 'text' : null }, plain(r[c]));
    })));
    return el('div', { class: 'scroll' }, el('table', { class: 'data hw-table' }, [el('thead', {}, el('tr', {}, cols.map((c) => el('th', { text: c })))), el('tbody', {}, body)]));
  }
  function scalarEntries(obj) {
    const flat = flatLayer(obj);
    return Object.entries(flat).filter(([, v]) => v === null || typeof v !== 'object');
  }
  function totalsOf(estimate) {
    const totals = {};
    for (const [k, v] of scalarEntries(estimate.total || {})) totals[k] = v;
    for (const [k, v] of scalarEntries(estimate)) if (!(k in totals)) totals[k] = v;
    return totals;
  }
  function estimateVersusSynthesis(estimate, synthesis) {
    const e = totalsOf(estimate), s = totalsOf(synthesis);
    const keys = Object.keys(e).filter((k) => isNum(e[k]) && isNum(s[k]));
    const rows = keys.map((k) => {
      const ratio = e[k] !== 0 ? s[k] / e[k] : null;
      const cls = ratio === null ? null : ratio > 1.25 ? 'ratio-high' : ratio < 0.8 ? 'ratio-low' : null;
      return el('tr', {}, [el('td', { text: k }), el('td', { text: fmt(e[k]) }), el('td', { text: fmt(s[k]) }),
        el('td', { class: cls, text: ratio === null ? '–' : ratio.toFixed(2) + '×' })]);
    });
    const layers = layerComparison(estimate, synthesis);
    return el('div', {}, [el('div', { class: 'scroll' }, el('table', { class: 'data evs-table' }, [
      el('thead', {}, el('tr', {}, ['total', 'estimate', 'synthesis', 'synthesis / estimate'].map((h) => el('th', { text: h })))),
      el('tbody', {}, rows)])), layers]);
  }
  function layerComparison(estimate, synthesis) {
    const synth = new Map((synthesis.layers || []).map(flatLayer).map((r) => [r.name, r]));
    const rows = (estimate.layers || []).map(flatLayer).filter((r) => synth.has(r.name));
    if (!rows.length) return null;
    const keys = ['lut', 'ff', 'dsp', 'bram18'].filter((k) => rows.some((r) => isNum(r[k]) && isNum(synth.get(r.name)[k])));
    const head = ['layer'].concat(...keys.map((k) => [k + ' est.', k + ' synth.']));
    return el('div', { class: 'scroll' }, el('table', { class: 'data' }, [el('thead', {}, el('tr', {}, head.map((h) => el('th', { text: h })))),
      el('tbody', {}, rows.map((r) => el('tr', {}, [el('td', { text: r.name })].concat(...keys.map((k) =>
        [el('td', { text: fmt(r[k]) }), el('td', { text: fmt(synth.get(r.name)[k]) })])))))]));
  }
  function networkTable(network) {
    const layers = network.layers || [];
    const body = layers.map((l) => {
      const rest = Object.entries(l).filter(([k]) => k !== 'name' && k !== 'type').map(([k, v]) => `${k}=${plain(v)}`).join(', ');
      return el('tr', {}, [el('td', { class: 'text', text: l.name }), el('td', { class: 'text', text: l.type }), el('td', { class: 'text', text: rest })]);
    });
    return el('div', { class: 'scroll' }, el('table', { class: 'data net-table' }, [el('thead', {}, el('tr', {}, ['layer', 'type', 'settings'].map((h) => el('th', { class: 'text', text: h })))),
      el('tbody', {}, body)]));
  }
  function mappingView(mapping) {
    const parts = [kvTable(scalarEntries(mapping))];
    for (const [k, v] of Object.entries(mapping)) {
      if (Array.isArray(v) && v.length && typeof v[0] === 'object') {
        const rows = v.map(flatLayer);
        const cols = layerColumns(rows);
        parts.push(el('div', { class: 'scroll' }, el('table', { class: 'data' }, [el('thead', {}, el('tr', {}, cols.map((c) => el('th', { text: k + ': ' + c })))),
          el('tbody', {}, rows.map((r) => el('tr', {}, cols.map((c) => el('td', { text: plain(r[c]) })))))])));
      }
    }
    return el('div', {}, parts);
  }
  function drillDown(t) {
    const a = t.artifacts || {};
    const overview = [];
    if (a.parent !== undefined && byNumber.has(Number(a.parent))) overview.push(['parent', trialLink(Number(a.parent))]);
    else if (a.parent !== undefined) overview.push(['parent', '#' + a.parent]);
    if (a.morphism !== undefined) overview.push(['morphism', a.morphism]);
    overview.push(['fidelity', t.fidelity], ['seconds', t.seconds], ['design key', t.key]);
    if (a.training && typeof a.training === 'object') for (const [k, v] of Object.entries(a.training)) overview.push(['training ' + k, v]);
    for (const k of ['weights', 'rtl']) if (a[k] !== undefined) overview.push([k, a[k]]);
    const metrics = Object.entries(t.metrics || {}).sort(([x], [y]) => x.localeCompare(y));
    const parts = [el('div', { class: 'detail-grid' }, [
      el('div', {}, [el('h4', { text: `trial #${t.number}` }), kvTable(overview)]),
      el('div', {}, [el('h4', { text: 'design' }), kvTable((t.design || []).map((v, i) => [data.knobs[i] || 'x' + i, v]))]),
      el('div', {}, [el('h4', { text: 'metrics' }), kvTable(metrics)])])];
    if (a.network) parts.push(el('h4', { text: `network ${a.network.name || ''} (${(a.network.layers || []).length} layers)` }), networkTable(a.network));
    if (a.estimate) {
      const tot = totalsOf(a.estimate);
      parts.push(el('h4', { text: 'hardware per layer (analytic estimate' + (tot.device ? ', ' + tot.device : '') + '; bold: the bottleneck)' }), hardwareTable(a.estimate));
    }
    if (a.synthesis) {
      if (a.estimate) parts.push(el('h4', { text: 'estimate versus synthesis' }), estimateVersusSynthesis(a.estimate, a.synthesis));
      else parts.push(el('h4', { text: 'hardware per layer (synthesis)' }), hardwareTable(a.synthesis));
    }
    if (a.mapping && typeof a.mapping === 'object') parts.push(el('h4', { text: 'mapping' }), mappingView(a.mapping));
    if (!a.network && !a.estimate) parts.push(el('p', { class: 'note', text: 'This trial has no artifacts (a table study records designs and metrics only).' }));
    return el('div', { class: 'drill', 'data-trial': t.number }, parts);
  }

  // ---- hints ---------------------------------------------------------------------------------
  function hintsSection() {
    const section = el('section', { id: 'hints' }, el('h2', { text: `Hints (${data.hints.length})` }));
    if (!data.hints.length) {
      section.appendChild(el('p', { class: 'note', text: 'No hints: the study stored none (a `codse dse` study has none; `codse explore` derives them from its trials).' }));
      return section;
    }
    const groups = new Map();
    for (const h of data.hints) { const k = h.kind || 'other'; if (!groups.has(k)) groups.set(k, []); groups.get(k).push(h); }
    for (const [kind, hints] of groups) {
      section.appendChild(el('h3', { text: kind.replace(/_/g, ' ') }));
      section.appendChild(el('ul', { class: 'hints' }, hints.map((h) => el('li', { class: 'hint' }, [
        h.subject !== undefined ? el('span', { class: 'subject', text: plain(h.subject) }) : null,
        el('span', { text: h.text || '' }),
        h.evidence && typeof h.evidence === 'object'
          ? el('div', {}, Object.entries(h.evidence).map(([k, v]) => el('span', { class: 'chip', text: `${k}: ${plain(v)}` }))) : null]))));
    }
    return section;
  }

  // ---- page ----------------------------------------------------------------------------------
  function header() {
    const complete = data.trials.filter((t) => t.status === 'complete').length;
    const failed = data.trials.length - complete;
    const hv = data.hypervolume.points || [];
    return el('header', {}, [
      el('h1', { text: `codse report: ${data.study}` }),
      el('p', { class: 'summary' }, [el('b', { text: data.trials.length }), ` trials (${complete} complete` + (failed ? `, ${failed} failed` : '') + '), ',
        el('b', { text: data.front.length }), ' on the front, objectives ', el('b', { text: data.objectives.map(objectiveLabel).join(', ') }),
        hv.length ? ', final hypervolume ' : '', hv.length ? el('b', { text: fmt(hv[hv.length - 1].value) }) : '']),
      el('p', { class: 'note', text: `store ${data.store}` + (data.command ? ` · command ${data.command}` : '') +
        (data.config && data.config.algo ? ` · explorer ${data.config.algo}` : '') + (data.config && data.config.seed !== undefined ? ` · seed ${data.config.seed}` : '') })]);
  }
  function render() {
    data = JSON.parse(document.getElementById('codse-data').textContent);
    byNumber = new Map(data.trials.map((t) => [t.number, t]));
    state.log = data.objectives.some((o) => {
      const values = usableTrials().map((t) => metric(t, o.name));
      return values.length > 1 && Math.min(...values) > 0 && Math.max(...values) / Math.min(...values) >= 100;
    });
    const main = document.getElementById('report');
    main.textContent = '';
    append(main, [header(), paretoSection(), hypervolumeSection(), frontSection(), hintsSection()]);
    const plots = document.querySelectorAll('svg.pareto-plot').length;
    main.appendChild(el('p', { id: 'render-status', 'data-plots': plots, 'data-front': data.front.length, 'data-hints': data.hints.length,
      text: `rendered: ${plots} Pareto plots, ${data.front.length} front designs, ${data.hints.length} hints` }));
    // A link to report.html#trial-N opens that front design's drill down.
    const linked = /^#trial-(\d+)$/.exec(window.location.hash);
    if (linked && data.front.includes(Number(linked[1]))) openTrial(Number(linked[1]), true);
    document.body.setAttribute('data-report-rendered', 'ok');
  }
  function fail(message) {
    document.body.setAttribute('data-report-error', message);
    const main = document.getElementById('report');
    if (main) main.appendChild(el('div', { class: 'error-box', text: 'codse-report-error: ' + message }));
    console.error('codse-report-error: ' + message);
  }
  window.addEventListener('error', (e) => fail(e.message || String(e)));
  try {
    render();
  } catch (err) {
    fail((err && err.stack) || String(err));
  }
})();
