// codse report, part 4 of 5: the drill-down of one trial (kept from the first report): its
// lineage and metrics, network, per-layer hardware with each layer's share and the bottleneck in
// bold, estimate versus synthesis, and the mapping.
'use strict';
(function () {
  const R = window.codseReport;
  const { el, isNum, fmt, plain, kvTable, trialLink } = R;


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
    const overview = [['change', R.changeText(t) || '–']];
    if (a.parent !== undefined && R.byNumber.has(Number(a.parent))) overview.push(['parent', trialLink(Number(a.parent))]);
    else if (a.parent !== undefined) overview.push(['parent', '#' + a.parent]);
    if (a.morphism !== undefined) overview.push(['morphism', a.morphism]);
    overview.push(['fidelity', t.fidelity], ['seconds', t.seconds], ['design key', t.key]);
    if (a.training && typeof a.training === 'object') for (const [k, v] of Object.entries(a.training)) overview.push(['training ' + k, v]);
    for (const k of ['weights', 'rtl']) if (a[k] !== undefined) overview.push([k, a[k]]);
    const metrics = Object.entries(t.metrics || {}).sort(([x], [y]) => x.localeCompare(y));
    const parts = [el('div', { class: 'detail-grid' }, [
      el('div', {}, [el('h4', { text: `trial #${t.number}` }), kvTable(overview)]),
      el('div', {}, [el('h4', { text: 'design: ' + R.designName(t) }), kvTable(Object.entries(R.knobValues(t)))]),
      el('div', {}, [el('h4', { text: 'metrics' }), kvTable(metrics)])])];
    if (a.network) parts.push(el('h4', { text: `network ${R.designName(t)} (${(a.network.layers || []).length} layers, derived from ${a.network.name || 'its seed'})` }), networkTable(a.network));
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

  R.drillDown = drillDown;
})();
