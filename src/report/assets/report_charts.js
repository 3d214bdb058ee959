// codse report, part 2 of 5: the charts, drawn with the inlined Apache ECharts (src/report/vendor):
// one scatter per objective pair with axis choice, zoom and brushing, a 3-D scatter of three
// objectives (echarts-gl, WebGL), parallel coordinates of knobs against objectives, and the
// hypervolume curve. 2-D charts use the SVG renderer so their points are in the DOM.
'use strict';
(function () {
  const R = window.codseReport;
  const { el, isNum, fmt, escapeHtml, tickText, metric, metricLabel } = R;
  const COLOR = { all: '#9aa5b1', front: '#d9480f', pair: '#1c7ed6', hot: '#2b8a3e' };
  R.charts = [];
  // ECharts measures its element when it starts, so charts start once their section is in the
  // page: a section queues its charts here and render() starts them after appending it.
  R.pendingCharts = [];
  function whenAttached(start) { R.pendingCharts.push(start); }
  R.startPendingCharts = () => { const queue = R.pendingCharts; R.pendingCharts = []; queue.forEach((start) => start()); };

  // Metrics every usable trial has as a number: the choices for an axis, objectives first.
  function axisChoices() {
    const trials = R.usableTrials();
    const names = R.data.objectives.map((o) => o.name);
    const seen = new Set(names);
    for (const t of trials) for (const k of Object.keys(t.metrics || {})) if (!seen.has(k)) seen.add(k), names.push(k);
    return names.filter((n) => trials.length && trials.every((t) => metric(t, n) !== null));
  }
  // A logarithmic axis only where it helps: every value positive and spanning a decade or more
  // (an error rate from 0.06 to 0.15 stays linear, LUTs from 700 to 50k go logarithmic).
  function canLog(name) {
    const values = R.usableTrials().map((t) => metric(t, name));
    return values.length > 0 && values.every((v) => v > 0) && Math.max(...values) >= 10 * Math.min(...values);
  }
  function valueAxis(name, gap) {
    return { type: R.state.log && canLog(name) ? 'log' : 'value', name: metricLabel(name), nameLocation: 'middle', nameGap: gap,
      nameTextStyle: { fontWeight: 600, color: '#1d2330' }, scale: true, splitNumber: 7,
      axisLabel: { formatter: tickText, hideOverlap: true }, splitLine: { lineStyle: { color: '#eef1f4' } } };
  }
  function tooltipHtml(t) {
    if (!t) return '';
    const rows = R.data.objectives.map((o) => [metricLabel(o.name), fmt(metric(t, o.name))]);
    if (R.testError(t) !== null) {  // next to the validation error the search chose by
      const after = R.data.objectives.findIndex((o) => o.name === 'error' || o.name === 'accuracy');
      rows.splice(after + 1, 0, [metricLabel('test_error'), fmt(R.testError(t))]);
    }
    for (const extra of ['accuracy', 'params', 'lut', 'dsp', 'bram18', 'latency_us', 'fps'])
      if (!R.data.objectives.some((o) => o.name === extra) && metric(t, extra) !== null) rows.push([metricLabel(extra), fmt(metric(t, extra))]);
    const change = R.changeText(t);
    return `<b>${escapeHtml(R.designName(t))}</b><br>trial #${t.number}${t.front ? ' · <b style="color:' + COLOR.front + '">on the front</b>' : ''} · ${escapeHtml(t.fidelity)}` +
      (change ? `<br>change: ${escapeHtml(change)}` : '') +
      '<table class="tip">' + rows.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`).join('') + '</table>' +
      (t.front ? '<i>click: drill down</i>' : '');
  }
  function axisSelect(value, onChange, cls) {
    const select = el('select', { class: cls }, axisChoices().map((n) => el('option', { value: n, text: metricLabel(n) })));
    select.value = value;
    select.addEventListener('change', () => onChange(select.value));
    return select;
  }

  // ---- one scatter per pair of objectives ----------------------------------------------------
  function pairFrontOf(x, y) {
    const ix = R.data.objectives.findIndex((o) => o.name === x), iy = R.data.objectives.findIndex((o) => o.name === y);
    const pf = R.data.pair_fronts.find((p) => (p.x === ix && p.y === iy) || (p.x === iy && p.y === ix));
    return pf ? pf.trials : [];
  }
  function scatterOption(x, y) {
    const trials = R.usableTrials();
    const point = (t) => [metric(t, x), metric(t, y), t.number];
    const line = pairFrontOf(x, y).map((n) => R.byNumber.get(n)).filter(Boolean).map(point).sort((a, b) => a[0] - b[0]);
    return {
      animation: false,
      grid: { left: 86, right: 24, top: 44, bottom: 58 },
      legend: { top: 6, left: 8, itemWidth: 12, textStyle: { fontSize: 11 } },
      toolbox: { right: 6, top: 2, feature: { dataZoom: { title: { zoom: 'zoom to a box', back: 'undo zoom' } }, restore: { title: 'reset' },
        saveAsImage: { title: 'save PNG' } } },
      brush: { toolbox: ['rect', 'polygon', 'clear'], xAxisIndex: 0, yAxisIndex: 0, seriesIndex: [0, 1], throttleType: 'debounce',
        throttleDelay: 120, brushStyle: { color: 'rgba(28,126,214,.12)', borderColor: COLOR.pair }, outOfBrush: { colorAlpha: 0.15 } },
      tooltip: { trigger: 'item', confine: true, formatter: (p) => tooltipHtml(R.byNumber.get(p.value[2])) },
      xAxis: valueAxis(x, 32),
      yAxis: valueAxis(y, 60),
      dataZoom: [{ type: 'inside', xAxisIndex: 0, filterMode: 'none' }, { type: 'inside', yAxisIndex: 0, filterMode: 'none' }],
      series: [
        { name: 'trial', type: 'scatter', symbolSize: 6, itemStyle: { color: COLOR.all, opacity: 0.7 }, data: trials.filter((t) => !t.front).map(point) },
        { name: 'front of all objectives', type: 'scatter', symbolSize: 9, itemStyle: { color: COLOR.front, borderColor: '#fff', borderWidth: 1 },
          data: trials.filter((t) => t.front).map(point), emphasis: { itemStyle: { color: COLOR.hot } } },
        { name: 'front of this pair', type: 'line', step: 'end', showSymbol: false, silent: true, tooltip: { show: false },
          lineStyle: { type: 'dashed', color: COLOR.pair, width: 1.5 }, itemStyle: { color: COLOR.pair }, data: line }],
    };
  }
  // A brush in any chart selects the trials inside it; the table then shows only those.
  function numbersInBrush(chart, event) {
    const batch = (event.batch || [])[0];
    if (!batch || !(batch.areas || []).length) return null;
    const option = chart.getOption();
    const numbers = new Set();
    for (const s of batch.selected || [])
      for (const i of s.dataIndex || []) { const d = option.series[s.seriesIndex].data[i]; if (d) numbers.add(d[2]); }
    return numbers;
  }
  function pairChart(x, y, index) {
    const box = el('div', { class: 'chart pair-chart', id: 'pair-chart-' + index, 'data-x': x, 'data-y': y });
    const holder = el('div', { class: 'chart-card' });
    const state = { x, y };
    let chart = null;
    const draw = () => { chart.setOption(scatterOption(state.x, state.y), true); box.setAttribute('data-x', state.x); box.setAttribute('data-y', state.y); };
    const controls = el('div', { class: 'axis-controls' }, [
      el('label', {}, ['x ', axisSelect(x, (v) => { state.x = v; draw(); }, 'axis-x')]),
      el('label', {}, ['y ', axisSelect(y, (v) => { state.y = v; draw(); }, 'axis-y')])]);
    R.append(holder, [controls, box]);
    whenAttached(() => {
      chart = echarts.init(box, null, { renderer: 'svg', height: 360 });
      draw();
      chart.on('brushselected', (event) => R.setSelection(numbersInBrush(chart, event), `${state.y} × ${state.x}`));
      chart.on('click', (p) => { const t = R.byNumber.get((p.value || [])[2]); if (t) R.openTrial(t.number, true); });
      R.charts.push({ chart, box, kind: 'pair', redraw: draw });
    });
    return holder;
  }
  function pairsSection() {
    const objs = R.data.objectives.map((o) => o.name);
    const pairs = [];
    if (objs.length === 1) { const others = axisChoices().filter((n) => n !== objs[0]); pairs.push([others[0] || objs[0], objs[0]]); }
    for (const pf of R.data.pair_fronts) pairs.push([objs[pf.x], objs[pf.y]]);
    const logBox = el('input', { type: 'checkbox', id: 'log-axes' });
    logBox.checked = R.state.log;
    logBox.addEventListener('change', () => { R.state.log = logBox.checked; R.charts.forEach((c) => c.redraw && c.redraw()); });
    const n = R.usableTrials().length;
    return el('section', { id: 'pareto' }, [
      el('h2', { text: 'Objectives, pair by pair' }),
      el('p', { class: 'note', text: `${n} complete trials with every objective measured; ${R.data.front.length} (orange) on the front of all ` +
        `${objs.length} objectives. Dashed: the front of that pair alone. Choose any metric per axis; scroll to zoom, the toolbox ` +
        'box tool zooms to a box; the rectangle or lasso brush selects trials and filters the table below. Hover a point for the ' +
        'design, its change from the parent and its metrics; click a front point for its drill-down.' }),
      el('div', { class: 'controls' }, [el('label', {}, [logBox, ' logarithmic axes (for metrics spanning a decade or more)']),
        el('span', { id: 'brush-status', class: 'brush-status' })]),
      el('div', { class: 'charts' + (pairs.length === 1 ? ' single' : ''), id: 'pareto-charts' }, pairs.map(([x, y], i) => pairChart(x, y, i)))]);
  }

  // ---- 3-D ---------------------------------------------------------------------------------
  function webglAvailable() {
    try { const c = document.createElement('canvas'); return !!(c.getContext('webgl') || c.getContext('experimental-webgl')); } catch (e) { return false; }
  }
  function scatter3dOption(names) {
    const trials = R.usableTrials();
    const axis = (n) => ({ type: R.state.log && canLog(n) ? 'log' : 'value', name: metricLabel(n), nameTextStyle: { fontSize: 12 },
      axisLabel: { formatter: tickText, textStyle: { fontSize: 10 } } });
    const point = (t) => [metric(t, names[0]), metric(t, names[1]), metric(t, names[2]), t.number];
    return {
      animation: false,
      tooltip: { formatter: (p) => tooltipHtml(R.byNumber.get(p.value[3])) },
      legend: { top: 4, left: 8, data: ['trial', 'front of all objectives'] },
      grid3D: { boxWidth: 100, boxHeight: 80, boxDepth: 100, viewControl: { distance: 230, alpha: 18, beta: 38 },
        axisPointer: { show: false } },
      xAxis3D: axis(names[0]), yAxis3D: axis(names[1]), zAxis3D: axis(names[2]),
      series: [
        { name: 'trial', type: 'scatter3D', symbolSize: 5, itemStyle: { color: COLOR.all, opacity: 0.75 }, data: trials.filter((t) => !t.front).map(point) },
        { name: 'front of all objectives', type: 'scatter3D', symbolSize: 9, itemStyle: { color: COLOR.front }, data: trials.filter((t) => t.front).map(point) }],
    };
  }
  function threeDSection() {
    const objs = R.data.objectives.map((o) => o.name);
    if (objs.length < 3) return null;
    const section = el('section', { id: 'view-3d' }, el('h2', { text: 'Three objectives in 3-D' }));
    const library = document.getElementById('chart-library-3d');
    if (!library || !library.textContent.trim()) {
      section.appendChild(el('p', { class: 'note', text: 'The 3-D library is not in this page.' }));
      return section;
    }
    if (!webglAvailable()) {
      section.appendChild(el('p', { class: 'note', id: 'no-webgl', text: 'This browser offers no WebGL, which the 3-D view needs; the pair charts above show the same trials.' }));
      return section;
    }
    const names = objs.slice(0, 3);
    const box = el('div', { class: 'chart chart-3d', id: 'chart-3d' });
    const controls = el('div', { class: 'axis-controls' }, ['x', 'y', 'z'].map((a, i) =>
      el('label', {}, [a + ' ', axisSelect(names[i], (v) => { names[i] = v; chart.setOption(scatter3dOption(names), true); }, 'axis-' + a)])));
    append3d(section, controls, box);
    let chart = null;
    whenAttached(() => {
      chart = echarts.init(box, null, { renderer: 'canvas', height: 520 });
      chart.setOption(scatter3dOption(names));
      chart.on('click', (p) => { const t = R.byNumber.get((p.value || [])[3]); if (t) R.openTrial(t.number, true); });
      R.charts.push({ chart, box, kind: '3d', redraw: () => chart.setOption(scatter3dOption(names), true) });
    });
    return section;
  }
  function append3d(section, controls, box) {
    R.append(section, [el('p', { class: 'note', text: 'Drag to rotate, scroll to zoom, hover a point for its design; orange: the front of all objectives.' }),
      controls, el('div', { class: 'chart-card' }, box)]);
  }

  // ---- parallel coordinates ----------------------------------------------------------------
  // Knobs that at least half the trials have (layers come and go as morphisms change networks),
  // at most 14, then every objective.
  function parallelAxes(trials) {
    const counts = new Map();
    for (const t of trials) for (const [k, v] of Object.entries(R.knobValues(t))) if (isNum(v)) counts.set(k, (counts.get(k) || 0) + 1);
    const knobs = [...counts.entries()].filter(([, c]) => c * 2 >= trials.length).map(([k]) => k)
      .filter((k) => new Set(trials.map((t) => R.knobValues(t)[k])).size > 1).slice(0, 14);
    return knobs.map((k) => ({ name: k, knob: true })).concat(R.data.objectives.map((o) => ({ name: o.name, knob: false })));
  }
  function parallelSection() {
    const trials = R.usableTrials();
    const axes = parallelAxes(trials);
    const section = el('section', { id: 'parallel' }, [el('h2', { text: 'Knobs against objectives' }),
      el('p', { class: 'note', text: 'One line per trial through its knobs (mapping parallelism pe/simd per layer, bits, sparsity, depth) and its ' +
        'objectives; orange lines are the front. Drag along an axis to select a range: the table shows only the trials inside every range.' })]);
    if (axes.length < 2 || !trials.length) { section.appendChild(el('p', { class: 'note', text: 'Not enough knobs or objectives to draw.' })); return section; }
    const box = el('div', { class: 'chart parallel-chart', id: 'parallel-chart' });
    section.appendChild(el('div', { class: 'chart-card' }, box));
    whenAttached(() => startParallel(box, trials, axes));
    return section;
  }
  function startParallel(box, trials, axes) {
    const chart = echarts.init(box, null, { renderer: 'svg', height: 380 });
    const row = (t) => axes.map((a) => { const v = a.knob ? R.knobValues(t)[a.name] : metric(t, a.name); return isNum(v) ? v : '-'; }).concat([t.number]);
    chart.setOption({
      animation: false,
      parallel: { left: 50, right: 90, top: 40, bottom: 30, parallelAxisDefault: { nameLocation: 'end', nameGap: 12, nameRotate: 18,
        nameTextStyle: { fontSize: 11 }, axisLabel: { formatter: tickText, fontSize: 10 }, scale: true } },
      parallelAxis: axes.map((a, i) => {
        const values = trials.map((t) => (a.knob ? R.knobValues(t)[a.name] : metric(t, a.name))).filter(isNum);
        const log = R.state.log && values.length && values.every((v) => v > 0) && Math.max(...values) >= 10 * Math.min(...values);
        return { dim: i, type: log ? 'log' : 'value', name: a.knob ? a.name : metricLabel(a.name) };
      }),
      tooltip: { trigger: 'item', confine: true, formatter: (p) => tooltipHtml(R.byNumber.get(p.value[axes.length])) },
      series: [
        { name: 'trial', type: 'parallel', lineStyle: { color: COLOR.all, width: 1, opacity: 0.35 }, inactiveOpacity: 0.03, activeOpacity: 0.6,
          data: trials.filter((t) => !t.front).map(row) },
        { name: 'front', type: 'parallel', lineStyle: { color: COLOR.front, width: 1.6, opacity: 0.85 }, inactiveOpacity: 0.05, activeOpacity: 0.9,
          data: trials.filter((t) => t.front).map(row) }],
    });
    // With a range on an axis the lines inside every range are "active", the others "inactive";
    // without one all lines are "normal", so no inactive line means no selection.
    chart.on('axisareaselected', () => {
      const option = chart.getOption();
      const numbers = new Set();
      let inactive = 0;
      chart.getModel().eachSeries((s) => {
        const rows = option.series[s.seriesIndex].data;
        inactive += s.getRawIndicesByActiveState('inactive').length;
        for (const i of s.getRawIndicesByActiveState('active')) numbers.add(rows[i][axes.length]);
      });
      R.setSelection(inactive === 0 ? null : numbers, 'parallel coordinates');
    });
    R.charts.push({ chart, box, kind: 'parallel' });
  }

  // ---- hypervolume -------------------------------------------------------------------------
  // A co-exploration measures error (or accuracy) as it is and hardware metrics as log10
  // (explore/joint_space.hpp), so its reference point reads back in units as 10^value.
  function referenceText(reference) {
    if (!Array.isArray(reference) || reference.length !== R.data.objectives.length) return '';
    return R.data.objectives.map((o, i) => {
      const linear = o.name === 'error' || o.name === 'accuracy';
      const value = linear ? reference[i] : Math.pow(10, reference[i]);
      return `${o.name} ${R.tickText(value)}${R.unitOf(o.name) && R.unitOf(o.name) !== 'fraction' ? ' ' + R.unitOf(o.name) : ''}`;
    }).join(', ');
  }
  function hypervolumeExplanation(hv) {
    const objs = R.data.objectives.map((o) => (o.name === 'error' || o.name === 'accuracy' ? o.name : 'log10 ' + o.name)).join(', ');
    if (hv.source === 'study') {
      const reference = referenceText(hv.reference);
      return `Hypervolume: the volume of (${objs}) space the designs found so far dominate, up to the reference` +
        (reference ? ` ${reference}` : ' point') + ' (a decade worse than the seeds\u2019 worst); it rises when a trial extends the front.';
    }
    return `Hypervolume: the volume of objective space the designs found so far dominate (${hv.normalisation}); it rises only when a trial extends the front.`;
  }
  function hypervolumeSection() {
    const hv = R.data.hypervolume;
    const section = el('section', { id: 'hypervolume' }, el('h2', { text: 'Hypervolume over trials' }));
    const pts = (hv.points || []).filter((p) => isNum(p.value) && isNum(p.trial));
    if (!pts.length) { section.appendChild(el('p', { class: 'note', text: 'No hypervolume: no trial has every objective measured.' })); return section; }
    const last = pts[pts.length - 1];
    section.appendChild(el('p', { class: 'explain', id: 'hypervolume-explained', text: hypervolumeExplanation(hv) }));
    section.appendChild(el('p', { class: 'note', text: `Final value ${fmt(last.value)} after trial #${last.trial}: a number without unit, ` +
      'comparable between studies measured against the same reference.' }));
    const box = el('div', { class: 'chart', id: 'hypervolume-chart' });
    section.appendChild(el('div', { class: 'chart-card wide' }, box));
    whenAttached(() => startHypervolume(box, pts));
    return section;
  }
  function startHypervolume(box, pts) {
    const chart = echarts.init(box, null, { renderer: 'svg', height: 260 });
    chart.setOption({
      animation: false, grid: { left: 78, right: 24, top: 16, bottom: 48 },
      tooltip: { trigger: 'axis', formatter: (p) => `after trial #${p[0].value[0]}: hypervolume ${fmt(p[0].value[1])}` },
      xAxis: { type: 'value', name: 'trial [number, in order of evaluation]', nameLocation: 'middle', nameGap: 30, axisLabel: { formatter: tickText } },
      yAxis: { type: 'value', name: 'hypervolume [unitless]', nameLocation: 'middle', nameGap: 56, scale: true, axisLabel: { formatter: tickText } },
      series: [{ type: 'line', step: 'end', showSymbol: false, areaStyle: { opacity: 0.08 }, lineStyle: { color: COLOR.pair, width: 2 },
        itemStyle: { color: COLOR.pair }, data: pts.map((p) => [p.trial, p.value]) }],
    });
    R.charts.push({ chart, box, kind: 'hypervolume' });
  }

  Object.assign(R, { pairsSection, threeDSection, parallelSection, hypervolumeSection, tooltipHtml });
})();
