// codse report, part 3 of 5: the table of every trial: filter by text, front only or a brush in
// a chart, sort by any column, download what it shows as CSV, click a row for its drill-down.
'use strict';
(function () {
  const R = window.codseReport;
  const { el, fmt, plain, metric, metricLabel } = R;
  const EXTRA_METRICS = ['accuracy', 'params', 'macs', 'lut', 'ff', 'dsp', 'bram18', 'latency_us', 'fps', 'power_w', 'energy_uj'];

  function columns() {
    const cols = [{ key: 'number', label: 'trial', value: (t) => t.number, cell: (t) => '#' + t.number },
      { key: 'name', label: 'design', text: true, value: (t) => R.designName(t) }];
    if (R.data.trials.some((t) => t.artifacts && (t.artifacts.morphism !== undefined || t.artifacts.parent !== undefined)))
      cols.push({ key: 'change', label: 'change from parent', text: true, value: (t) => R.changeText(t) });
    for (const o of R.data.objectives) cols.push({ key: 'o:' + o.name, label: metricLabel(o.name), value: (t) => metric(t, o.name) });
    // The front's held-out test error, right after the (validation) error the search chose by.
    if (R.data.trials.some((t) => R.testError(t) !== null)) {
      const after = cols.findIndex((c) => c.key === 'o:error' || c.key === 'o:accuracy');
      cols.splice(after < 0 ? cols.length : after + 1, 0, { key: 'test_error', label: metricLabel('test_error'), value: (t) => R.testError(t) });
    }
    const shown = new Set(R.data.objectives.map((o) => o.name));
    for (const extra of EXTRA_METRICS)
      if (!shown.has(extra) && R.data.trials.some((t) => metric(t, extra) !== null))
        cols.push({ key: 'm:' + extra, label: metricLabel(extra), value: (t) => metric(t, extra) });
    const knobs = [];
    for (const t of R.data.trials) for (const k of Object.keys(R.knobValues(t))) if (!knobs.includes(k)) knobs.push(k);
    knobs.slice(0, 16).forEach((k) => cols.push({ key: 'k:' + k, label: k, value: (t) => { const v = R.knobValues(t)[k]; return v === undefined ? null : v; } }));
    cols.push({ key: 'front', label: 'on front', text: true, value: (t) => (t.front ? 'yes' : 'no') });
    cols.push({ key: 'fidelity', label: 'fidelity', text: true, value: (t) => t.fidelity });
    cols.push({ key: 'status', label: 'status', text: true, value: (t) => t.status });
    return cols;
  }
  // The rows the filters let through, in the chosen order.
  function visibleTrials(cols) {
    const s = R.state;
    const needle = s.filter.trim().toLowerCase();
    let rows = R.data.trials.filter((t) => (!s.frontOnly || t.front) && (!s.selection || s.selection.has(t.number)) &&
      (!needle || cols.some((c) => String(plain(c.value(t))).toLowerCase().includes(needle))));
    if (s.sortKey) {
      const col = cols.find((c) => c.key === s.sortKey);
      if (col) rows = rows.slice().sort((a, b) => {
        const va = col.value(a), vb = col.value(b);
        if (va === null || va === undefined) return 1;
        if (vb === null || vb === undefined) return -1;
        const r = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
        return s.sortUp ? r : -r;
      });
    }
    return rows;
  }
  function csvField(v) {
    const text = v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : plain(v);
    return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  // RFC 4180 CSV of the rows the table shows (every trial when nothing filters), full precision.
  function csvText() {
    const cols = columns();
    const lines = [cols.map((c) => csvField(c.key === 'number' ? 'trial' : c.label)).join(',')];
    for (const t of visibleTrials(cols)) lines.push(cols.map((c) => csvField(c.value(t))).join(','));
    return lines.join('\r\n') + '\r\n';
  }
  function downloadCsv() {
    const blob = new Blob([csvText()], { type: 'text/csv' });
    const link = el('a', { href: URL.createObjectURL(blob), download: `${R.data.study}-trials.csv` });
    document.body.appendChild(link);
    link.click();
    link.remove();
  }
  function table() {
    const cols = columns();
    const rows = visibleTrials(cols);
    const head = el('tr', {}, cols.map((c) => el('th', { class: c.text ? 'text' : null, title: 'sort',
      text: c.label + (R.state.sortKey === c.key ? (R.state.sortUp ? ' ▲' : ' ▼') : ''),
      onclick: () => { R.state.sortUp = R.state.sortKey === c.key ? !R.state.sortUp : true; R.state.sortKey = c.key; redraw(); } })));
    const body = el('tbody');
    for (const t of rows) {
      const tr = el('tr', { class: 'row' + (t.front ? ' front' : '') + (R.state.open === t.number ? ' open' : ''), id: 'trial-row-' + t.number,
        'data-trial': t.number }, cols.map((c) => el('td', { class: c.text ? 'text' : null }, c.cell ? c.cell(t) : plain(c.value(t)))));
      tr.addEventListener('click', () => R.openTrial(R.state.open === t.number ? null : t.number, true));
      body.appendChild(tr);
    }
    const status = `${rows.length} of ${R.data.trials.length} trials shown` +
      (R.state.selection ? ` · ${R.state.selection.size} brushed in ${R.state.selectionSource}` : '');
    return el('div', { id: 'trial-table-box', 'data-rows': rows.length }, [
      el('p', { class: 'note', id: 'table-status', text: status }),
      el('div', { class: 'scroll table-scroll' }, el('table', { class: 'data trial-table', id: 'trial-table' }, [el('thead', {}, head), body]))]);
  }
  // The drill-down has its own section under the table, as wide as the page.
  function drillContent() {
    const t = R.state.open === null ? null : R.byNumber.get(R.state.open);
    if (!t) return el('p', { class: 'note', text: 'Click a row of the table, or a point of a chart, for that trial\u2019s drill-down.' });
    return R.drillDown(t);
  }
  function drillSection() {
    return el('section', { id: 'drilldown' }, [el('h2', { id: 'drilldown-title', text: 'Drill-down' }), el('div', { id: 'drill-box' }, drillContent())]);
  }
  function redraw() {
    const box = document.getElementById('trial-table-box');
    if (box) box.parentNode.replaceChild(table(), box);
    const drill = document.getElementById('drill-box');
    if (drill) { drill.textContent = ''; drill.appendChild(drillContent()); }
    const title = document.getElementById('drilldown-title');
    if (title) title.textContent = R.state.open === null ? 'Drill-down' : `Drill-down: trial #${R.state.open}, ${R.designName(R.byNumber.get(R.state.open))}`;
    const clear = document.getElementById('clear-selection');
    if (clear) clear.hidden = !R.state.selection;
    const status = document.getElementById('brush-status');
    if (status) status.textContent = R.state.selection
      ? `${R.state.selection.size} trials brushed in ${R.state.selectionSource}: the table below shows only them.` : '';
  }
  function setSelection(numbers, source) {
    R.state.selection = numbers && numbers.size !== undefined ? numbers : null;
    R.state.selectionSource = source || '';
    redraw();
  }
  function openTrial(number, scroll) {
    R.state.open = number;
    if (number !== null && !visibleTrials(columns()).some((t) => t.number === number)) {
      R.state.selection = null; R.state.filter = ''; R.state.frontOnly = false;
      const input = document.getElementById('table-filter'); if (input) input.value = '';
      const front = document.getElementById('front-only'); if (front) front.checked = false;
    }
    redraw();
    if (scroll && number !== null) document.getElementById('drilldown').scrollIntoView({ block: 'start' });
  }
  function tableSection() {
    const filter = el('input', { type: 'search', id: 'table-filter', placeholder: 'filter: any text, e.g. w4a4 or widen' });
    filter.addEventListener('input', () => { R.state.filter = filter.value; redraw(); });
    const frontOnly = el('input', { type: 'checkbox', id: 'front-only' });
    frontOnly.addEventListener('change', () => { R.state.frontOnly = frontOnly.checked; redraw(); });
    const clear = el('button', { id: 'clear-selection', type: 'button', text: 'clear the brush', hidden: true, onclick: () => {
      for (const c of R.charts) if (c.kind === 'pair') c.chart.dispatchAction({ type: 'brush', areas: [] });
      setSelection(null, '');
    } });
    return el('section', { id: 'trials' }, [el('h2', { text: `Trials (${R.data.trials.length}, ${R.data.front.length} on the front)` }),
      el('p', { class: 'note', text: 'Click a row for its drill-down: network, hardware per layer (share of each resource, the bottleneck in bold), ' +
        'estimate versus synthesis, mapping. Click a header to sort. Brush points in a chart to show only those trials.' }),
      el('div', { class: 'controls' }, [filter, el('label', {}, [frontOnly, ' front only']), clear,
        el('button', { id: 'csv-download', type: 'button', text: 'download CSV', onclick: downloadCsv })]),
      table()]);
  }

  Object.assign(R, { drillSection, tableSection, setSelection, openTrial, csvText, visibleTrials, columns });
})();
