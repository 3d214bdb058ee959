// codse report, part 1 of 5: shared state and DOM/number helpers. The parts are concatenated in
// order into one script (src/CMakeLists.txt) and share the window.codseReport namespace.
'use strict';
(function () {
  const R = (window.codseReport = window.codseReport || {});
  // selection: trial numbers brushed in a chart (null: no brush); open: the drilled-down trial.
  R.state = { log: false, open: null, sortKey: null, sortUp: true, filter: '', frontOnly: false, selection: null, selectionSource: '' };
  R.data = null;
  R.byNumber = new Map();

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
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
  // Objects read as "key=value" lists rather than JSON: what a person scans for.
  function plain(v) {
    if (v === null || v === undefined) return '–';
    if (Array.isArray(v)) return v.map(plain).join(', ');
    if (typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k}=${plain(x)}`).join(', ');
    return fmt(v);
  }
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  }
  // Axis ticks: short, with k/M suffixes, so a dense axis stays readable.
  function tickText(t) {
    const a = Math.abs(t);
    if (a >= 1e6) return Number((t / 1e6).toPrecision(3)) + 'M';
    if (a >= 1e4) return Number((t / 1e3).toPrecision(3)) + 'k';
    if (a > 0 && a < 1e-3) return t.toExponential(1);
    return String(Number(t.toPrecision(3)));
  }
  function metric(trial, name) {
    const v = trial.metrics ? trial.metrics[name] : undefined;
    return isNum(v) ? v : null;
  }
  // The held-out test error a co-exploration measured once for a front design (null otherwise);
  // kept apart from the metrics, which are what the search saw (its error is the validation error).
  function testError(trial) {
    return isNum(trial.test_error) ? trial.test_error : null;
  }
  function unitOf(name) {
    const o = R.data.objectives.find((x) => x.name === name);
    if (o && o.unit) return o.unit;
    return (R.data.metric_units || {})[name] || '';
  }
  // "lut [LUTs] ↓": the name, its unit and which way is better, on every axis and column.
  function metricLabel(name) {
    const o = R.data.objectives.find((x) => x.name === name);
    const unit = unitOf(name);
    return name + (unit ? ` [${unit}]` : '') + (o ? (o.sense === 'max' ? ' ↑' : ' ↓') : '');
  }
  function kvTable(pairs) {
    return el('table', { class: 'kv' }, pairs.map(([k, v]) => el('tr', {}, [el('td', { text: k }), el('td', {}, v instanceof Node ? v : plain(v))])));
  }
  function trialLink(number) {
    return el('a', { class: 'trial-link', text: '#' + number, onclick: () => R.openTrial(number, true) });
  }
  function usableTrials() {
    return R.data.trials.filter((t) => t.status === 'complete' && R.data.objectives.every((o) => metric(t, o.name) !== null));
  }
  // The name that says what a design is; a table study's trials have none, so their knobs speak.
  function designName(t) {
    if (t.name) return t.name;
    const parts = (t.design || []).slice(0, 4).map((v, i) => `${R.data.knobs[i] || 'x' + i}=${fmt(v)}`);
    return parts.join(' ') || 'trial ' + t.number;
  }
  // The change from the parent: "widen fc1 (from #12)", or "seed network" for a starting one.
  function changeText(t) {
    const a = t.artifacts || {};
    if (a.morphism === undefined && a.parent === undefined) return t.name ? 'seed network' : '';
    let m = a.morphism;
    if (m && typeof m === 'object') {
      const kind = m.kind || m.type || '';
      const rest = Object.entries(m).filter(([k]) => k !== 'kind' && k !== 'type').map(([k, v]) => `${k}=${plain(v)}`).join(' ');
      m = (kind + ' ' + rest).trim();
    }
    const same = a.morphism === undefined || a.morphism === null || m === '';
    return (same ? 'new mapping' : String(m)) + (a.parent !== undefined && a.parent !== null ? ` (from #${a.parent})` : '');
  }
  // Numbers a design is made of: the knobs codse derived from its network and mapping, else its
  // design values under their knob names.
  function knobValues(t) {
    if (t.knobs && Object.keys(t.knobs).length) return t.knobs;
    const values = {};
    (t.design || []).forEach((v, i) => { values[R.data.knobs[i] || 'x' + i] = v; });
    return values;
  }

  Object.assign(R, { el, setAttrs, append, isNum, fmt, plain, escapeHtml, tickText, metric, testError, unitOf, metricLabel, kvTable,
    trialLink, usableTrials, designName, changeText, knobValues });
})();
