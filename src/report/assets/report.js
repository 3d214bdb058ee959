// codse report, part 5 of 5: assembles the page from the embedded study (#codse-data), applies
// the state a URL hash asks for, and, with #selftest, checks itself for the headless tests.
// The numbers (fronts, hypervolume, names) come computed from codse; the page only shows them.
//
// URL hash (joined with &): view=pareto,3d,parallel,hypervolume,trials,drill,hints shows only those; brush=x0,x1,y0,y1
// brushes that box (in the first pair chart's units) so the table shows those trials;
// trial-N opens the drill-down of trial N; hover=N shows trial N's hover in the first pair chart;
// log turns on logarithmic axes; selftest runs the checks.
'use strict';
(function () {
  const R = window.codseReport;
  const { el, append, fmt, plain, metricLabel } = R;

  function hintsSection() {
    const hints = R.data.hints;
    const section = el('section', { id: 'hints' }, el('h2', { text: `Hints (${hints.length})` }));
    if (!hints.length) {
      section.appendChild(el('p', { class: 'note', text: 'No hints: the study stored none (a `codse dse` study has none; `codse explore` derives them from its trials).' }));
      return section;
    }
    const groups = new Map();
    for (const h of hints) { const k = h.kind || 'other'; if (!groups.has(k)) groups.set(k, []); groups.get(k).push(h); }
    for (const [kind, list] of groups) {
      section.appendChild(el('h3', { text: kind.replace(/_/g, ' ') }));
      // The text already says what the evidence shows; the evidence is kept one click away.
      section.appendChild(el('ul', { class: 'hints' }, list.map((h) => el('li', { class: 'hint' }, [
        h.subject !== undefined ? el('span', { class: 'subject', text: plain(h.subject) }) : null,
        el('span', { text: h.text || '' }),
        h.evidence && typeof h.evidence === 'object' && Object.keys(h.evidence).length
          ? el('details', { class: 'evidence' }, [el('summary', { text: 'evidence' }), R.kvTable(Object.entries(h.evidence))]) : null]))));
    }
    return section;
  }
  function header() {
    const complete = R.data.trials.filter((t) => t.status === 'complete').length;
    const failed = R.data.trials.length - complete;
    const hv = R.data.hypervolume.points || [];
    const c = R.data.config || {};
    return el('header', {}, [
      el('h1', { text: `codse report: ${R.data.study}` }),
      el('p', { class: 'summary' }, [el('b', { text: R.data.trials.length }), ` trials (${complete} complete` + (failed ? `, ${failed} failed` : '') + '), ',
        el('b', { text: R.data.front.length }), ' on the front of ', el('b', { text: R.data.objectives.map((o) => metricLabel(o.name)).join(', ') }),
        hv.length ? ', final hypervolume ' : '', hv.length ? el('b', { text: fmt(hv[hv.length - 1].value) }) : '',
        hv.length ? el('a', { href: '#hypervolume', class: 'trial-link', text: ' (what is this?)' }) : '']),
      el('p', { class: 'note', text: `store ${R.data.store}` + (R.data.command ? ` · command ${R.data.command}` : '') +
        (c.algo ? ` · explorer ${c.algo}` : '') + (c.seed !== undefined ? ` · seed ${c.seed}` : '') })]);
  }
  function hashState() {
    const state = {};
    for (const part of window.location.hash.replace(/^#/, '').split('&')) {
      if (!part) continue;
      const [k, v] = part.split('=');
      state[decodeURIComponent(k)] = v === undefined ? true : decodeURIComponent(v);
    }
    return state;
  }
  // Brushes a box of the first pair chart as a person would with the rectangle tool.
  function brushBox(values) {
    const pair = R.charts.find((c) => c.kind === 'pair');
    if (!pair || values.length !== 4 || values.some((v) => !isFinite(v))) return;
    pair.chart.dispatchAction({ type: 'brush', areas: [{ brushType: 'rect', xAxisIndex: 0, yAxisIndex: 0,
      coordRange: [[values[0], values[1]], [values[2], values[3]]] }] });
  }
  // Shows the hover of trial N in the first pair chart, as the mouse over its point would.
  function hoverTrial(number) {
    const pair = R.charts.find((c) => c.kind === 'pair');
    if (!pair) return;
    const series = pair.chart.getOption().series;
    for (let s = 0; s < 2; s++) {
      const index = series[s].data.findIndex((d) => d[2] === number);
      if (index >= 0) { pair.chart.dispatchAction({ type: 'showTip', seriesIndex: s, dataIndex: index }); return; }
    }
  }
  function applyHash() {
    const h = hashState();
    if (h.brush) brushBox(String(h.brush).split(',').map(Number));
    if (h.hover) hoverTrial(Number(h.hover));
    for (const k of Object.keys(h)) {
      const m = /^trial-(\d+)$/.exec(k);
      if (m && R.byNumber.has(Number(m[1]))) R.openTrial(Number(m[1]), true);
    }
    // view=a,b shows only those sections under the header: a fixed state for screenshots (headless
    // Chromium paints a scrolled page blank) and a shareable link to one view.
    const ids = { pareto: 'pareto', '3d': 'view-3d', parallel: 'parallel', hypervolume: 'hypervolume', trials: 'trials', drill: 'drilldown', hints: 'hints' };
    if (h.view) {
      const keep = new Set(String(h.view).split(',').map((v) => ids[v]).filter(Boolean));
      if (keep.size) for (const section of document.querySelectorAll('#report > section')) if (!keep.has(section.id)) section.hidden = true;
    }
    return h;
  }

  // ---- self-test (#selftest): what the headless tests check, measured in the page ------------
  function points(chart) { return chart.box.querySelectorAll('path, circle').length; }
  // Pixels of the front's orange in a canvas chart's plot area (below the legend's top 40 pixels,
  // whose swatch is not a point): how a WebGL chart shows it drew its points. echarts-gl keeps its
  // drawing buffer, so its canvases can be copied.
  function frontPixels(box) {
    let count = 0;
    for (const layer of box.querySelectorAll('canvas')) {
      const copy = document.createElement('canvas');
      copy.width = layer.width;
      copy.height = layer.height;
      const context = copy.getContext('2d');
      context.drawImage(layer, 0, 0);
      const pixels = context.getImageData(0, 0, copy.width, copy.height).data;
      for (let i = copy.width * 40 * 4; i < pixels.length; i += 4)
        if (pixels[i + 3] > 0 && pixels[i] > 180 && pixels[i + 1] > 40 && pixels[i + 1] < 130 && pixels[i + 2] < 80) count++;
    }
    return count;
  }
  function rowCount() { return document.querySelectorAll('#trial-table tbody tr.row').length; }
  function csvRows() { return R.csvText().trim().split('\r\n').length - 1; }
  function later(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }
  // Asynchronous because ECharts reports a brush after its debounce; run with
  // --virtual-time-budget so headless Chromium lets the timers fire before it dumps the DOM.
  async function selfTest() {
    const result = { charts: {} };
    for (const c of R.charts) {
      const key = c.kind + (c.kind === 'pair' ? ':' + c.box.getAttribute('data-y') + '/' + c.box.getAttribute('data-x') : '');
      result.charts[key] = { svg: !!c.box.querySelector('svg'), canvas: !!c.box.querySelector('canvas'), marks: points(c) };
    }
    const chart3d = R.charts.find((c) => c.kind === '3d');
    if (chart3d) {
      await later(500);  // echarts-gl draws on the next animation frames
      result.charts['3d'].frontPixels = frontPixels(chart3d.box);
    }
    result.trials = R.data.trials.length;
    // The hover of a front point names the design, its change from the parent and its metrics.
    const hovered = R.byNumber.get(R.data.front[R.data.front.length - 1]);
    if (hovered) {
      const tip = R.tooltipHtml(hovered);
      result.hover = { name: tip.includes(R.escapeHtml(R.designName(hovered))), change: tip.includes('change: '),
        metrics: R.data.objectives.every((o) => tip.includes(R.escapeHtml(metricLabel(o.name)))),
        testError: R.testError(hovered) === null || tip.includes(R.escapeHtml(metricLabel('test_error'))) };
    }
    result.testErrorColumn = R.columns().some((c) => c.key === 'test_error');
    result.rowsBefore = rowCount();
    result.csvRows = csvRows();
    // Brush the lower-left quarter of the first pair's value ranges and see the table follow.
    const pair = R.charts.find((c) => c.kind === 'pair');
    if (pair) {
      const x = pair.box.getAttribute('data-x'), y = pair.box.getAttribute('data-y');
      const xs = R.usableTrials().map((t) => R.metric(t, x)).sort((a, b) => a - b);
      const ys = R.usableTrials().map((t) => R.metric(t, y)).sort((a, b) => a - b);
      const box = [xs[0], xs[Math.floor(xs.length / 2)], ys[0], ys[Math.floor(ys.length / 2)]];
      const expected = R.usableTrials().filter((t) => R.metric(t, x) >= box[0] && R.metric(t, x) <= box[1] &&
        R.metric(t, y) >= box[2] && R.metric(t, y) <= box[3]).length;
      brushBox(box);
      await later(600);
      result.brush = { box, expected, rows: rowCount(), selection: R.state.selection ? R.state.selection.size : null, csvRows: csvRows() };
      document.getElementById('clear-selection').click();
      await later(600);
      result.rowsAfterClear = rowCount();
    }
    // Select the better half of the last objective on the parallel axes, as dragging along it does.
    const parallel = R.charts.find((c) => c.kind === 'parallel');
    if (parallel) {
      const last = R.data.objectives[R.data.objectives.length - 1].name;
      const values = R.usableTrials().map((t) => R.metric(t, last)).sort((a, b) => a - b);
      const range = [values[0], values[Math.floor(values.length / 2)]];
      const axis = parallel.chart.getOption().parallelAxis.length - 1;
      parallel.chart.dispatchAction({ type: 'axisAreaSelect', parallelAxisIndex: axis, intervals: [range] });
      await later(600);
      result.parallel = { range, expected: R.usableTrials().filter((t) => R.metric(t, last) >= range[0] && R.metric(t, last) <= range[1]).length,
        rows: rowCount() };
      parallel.chart.dispatchAction({ type: 'axisAreaSelect', parallelAxisIndex: axis, intervals: [] });
      await later(600);
      result.parallel.rowsAfterClear = rowCount();
    }
    const front = R.data.front[0];
    if (front !== undefined) {
      R.openTrial(front, false);
      const drill = document.querySelector('.drill');
      result.drill = { trial: front, layers: drill ? drill.querySelectorAll('table.hw-table tbody tr').length : 0,
        bottleneck: drill ? drill.querySelectorAll('table.hw-table tr.bottleneck').length : 0 };
      R.openTrial(null, false);
    }
    document.getElementById('report').appendChild(el('pre', { id: 'selftest-result', text: JSON.stringify(result) }));
  }

  function render() {
    R.data = JSON.parse(document.getElementById('codse-data').textContent);
    R.byNumber = new Map(R.data.trials.map((t) => [t.number, t]));
    const h = hashState();
    // Hardware metrics span decades: logarithmic axes by default when one does.
    R.state.log = !!h.log || R.data.objectives.some((o) => {
      const values = R.usableTrials().map((t) => R.metric(t, o.name));
      return values.length > 1 && Math.min(...values) > 0 && Math.max(...values) / Math.min(...values) >= 100;
    });
    const main = document.getElementById('report');
    main.textContent = '';
    append(main, header());
    if (typeof echarts === 'undefined') throw new Error('the chart library did not load');
    append(main, [R.pairsSection(), R.threeDSection(), R.parallelSection(), R.hypervolumeSection(), R.tableSection(), R.drillSection(), hintsSection()]);
    R.startPendingCharts();
    // The charts' order in R.charts follows the page: pairs, 3-D, parallel, hypervolume.
    window.addEventListener('resize', () => R.charts.forEach((c) => c.chart.resize()));
    main.appendChild(el('p', { id: 'render-status', 'data-charts': R.charts.length, 'data-front': R.data.front.length, 'data-hints': R.data.hints.length,
      text: `rendered: ${R.charts.length} charts, ${R.data.trials.length} trials, ${R.data.front.length} front designs, ${R.data.hints.length} hints` }));
    applyHash();
    if (h.selftest) selfTest().catch((err) => fail((err && err.stack) || String(err)));
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
