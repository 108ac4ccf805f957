/**
 * The lab's light half, run on page load: the input sample, the controls and the live preview.
 * It loads no model and no TensorFlow.js; `runtime.ts` comes by dynamic import on the first press of
 * "ask the models", after which every change of a control recomputes the answers.
 */
import { LAB_ARCHS, LAB_MODELS_URL, LAB_OPTIONAL, LAB_SAMPLE_URL, type LabModel, type LabModels } from '~/lib/lab/types';
import { LOW_PASS_OFF, SIDE, bandRange, sampleCount, sampleCueImage, sampleImage, transform, type LabInputKind } from '~/lib/lab/transform';
import { DEFAULT_STATE, EPSILON, LAB_CONTROLS, type LabAttack, LAB_PRESETS, readState, writeState, type LabControl, type LabState, type LabView } from '~/lib/lab/state';
import { decodeImage, encodeImage, toFashionMnist, toGrey } from '~/lib/lab/convert';
import { GRID, PATCH_PX, clsAttention, patchShares, rollout, saliencyMap, topCells } from '~/lib/lab/views';
import { CHART, chartScales, polylinePoints, sweepKey, sweepValues } from '~/lib/lab/sweep';
import { MINIS } from '../../../contracts/minis';
import { PALETTE } from '../charts/theme';

/** UI strings, rendered by Lab.astro in the page's language. */
export interface LabStrings {
  classes: string[];
  models: Record<string, string>;
  off: string;
  truth: string;
  pendingCell: string;
  loadingSample: string;
  ready: string;
  loadingModels: string;
  answered: string;
  failed: string;
  /** "Shape: {{shape}}, texture: {{texture}}". */
  cueTruth: string;
  /** "{{lo}}–{{hi}}". */
  range: string;
  /** "{{n}} px". */
  px: string;
  /** "{{k}} of 49 patches". */
  patches: string;
  viewNeedsModels: string;
  /** "{{model}} has no weights yet…". */
  viewPending: string;
  /** "…: {{cells}}." */
  viewText: string;
  /** "row {{r}}, column {{c}}, {{p}}". */
  viewCell: string;
  viewSep: string;
  /** "…answer, {{class}}." */
  saliencyClass: string;
  drawTruth: string;
  /** "Converted…: {{inverted}}cropped…". */
  converted: string;
  inverted: string;
  /** "…could not be read: {{error}}". */
  uploadFailed: string;
  /** Beside the upload button before a file is chosen. */
  noFile: string;
  /** "Chosen file: {{name}}". */
  fileName: string;
  attackNeedsModels: string;
  attackIntro: string;
  /** "{{model}}{{target}}: {{before}} → {{after}}, {{verdict}}". */
  attackRow: string;
  attackTarget: string;
  attackChanged: string;
  attackKept: string;
  /** "trained on {{n}} images; test accuracy {{acc}}". */
  regime: string;
  /** "{{model}} ({{n}} images)": a column's name where two columns share an architecture. */
  tagged: string;
  /** The optional column's checkbox: "…{{model}} trained on {{n}} images… {{full}}…". */
  smallVit: string;
  /** Each slider's label, for the chart's text. */
  controls: Record<string, string>;
  sweepHow: string;
  sweepTruthSample: string;
  sweepTruthCue: string;
  sweepNoAttack: string;
  sweepDraw: string;
  sweepNeedsModels: string;
  sweepCaption: string;
}

type Runtime = typeof import('./runtime');

export function mountLab(root: HTMLElement): void {
  const S = JSON.parse(root.dataset.strings!) as LabStrings;
  const pct = new Intl.NumberFormat(root.dataset.lang === 'ja' ? 'ja-JP' : 'en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const el = <E extends Element>(sel: string) => root.querySelector<E>(sel)!;
  const status = el<HTMLElement>('[data-lab-status]');
  const imageIn = el<HTMLInputElement>('[data-lab-image]');
  const inputIn = el<HTMLSelectElement>('[data-lab-field="input"]');
  const shapeIn = el<HTMLSelectElement>('[data-lab-field="shape"]');
  const textureIn = el<HTMLSelectElement>('[data-lab-field="texture"]');
  const cueSeedIn = el<HTMLInputElement>('[data-lab-field="cueSeed"]');
  const viewIn = el<HTMLSelectElement>('[data-lab-field="view"]');
  const layerIn = el<HTMLSelectElement>('[data-lab-field="layer"]');
  const headIn = el<HTMLSelectElement>('[data-lab-field="head"]');
  const viewText = el<HTMLElement>('[data-lab-view-text]');
  const attackIn = el<HTMLSelectElement>('[data-lab-field="attack"]');
  const attackModelIn = el<HTMLSelectElement>('[data-lab-field="attackModel"]');
  const epsilonIn = el<HTMLInputElement>('[data-lab-field="epsilon"]');
  const smallVitIn = el<HTMLInputElement>('[data-lab-field="smallVit"]');
  const ctl = Object.fromEntries(LAB_CONTROLS.map((k) => [k, el<HTMLInputElement>(`[data-lab-control="${k}"]`)])) as Record<LabControl, HTMLInputElement>;
  const allInputs: Array<HTMLInputElement | HTMLSelectElement> = [inputIn, imageIn, shapeIn, textureIn, cueSeedIn, ...Object.values(ctl), viewIn, layerIn, headIn, attackIn, attackModelIn, epsilonIn, smallVitIn];
  const runButton = el<HTMLButtonElement>('[data-lab-run]');
  const table = el<HTMLTableElement>('[data-lab-answers]');
  const truth = el<HTMLElement>('[data-lab-truth]');

  let bytes: Uint8Array | null = null;
  // The drawing in [0, 1], 28×28; the URL holds it as encodeImage's text.
  let drawing: Float32Array = new Float32Array(SIDE * SIDE);
  const drawCanvas = el<HTMLCanvasElement>('[data-lab-draw]');
  let models: LabModel[] = [];
  // Models by column key; an optional column's weights load only when the reader first shows it.
  let runtime: Promise<{ rt: Runtime; loaded: Map<string, import('../../../models/nn/model').ZooModel> }> | null = null;
  let busy = false, again = false;
  // The slider the confidence chart sweeps: the one moved last (or the preset's), and what its last sweep was computed for.
  let active: LabControl = 'lowPass';
  let swept = '';
  const num = new Intl.NumberFormat(root.dataset.lang === 'ja' ? 'ja-JP' : 'en-US');
  const fill = (t: string, v: Record<string, string>) => t.replace(/\{\{(\w+)\}\}/g, (_, k: string) => v[k] ?? '');
  /** The columns shown for a state: the main ones, and an optional one when asked for. */
  const shown = (s: LabState) => models.filter((m) => !m.optional || s.smallVit);
  /** A column's name; tagged with its training images while another shown column runs the same architecture. */
  const labelOf = (m: LabModel) => {
    const name = S.models[m.arch] ?? m.arch;
    return shown(state()).some((o) => o !== m && o.arch === m.arch && o.weights) && m.trainImages ? fill(S.tagged, { model: name, n: num.format(m.trainImages) }) : name;
  };
  /** A name that must not break inside (a class, a model), in a span the table's style keeps on one line. */
  const whole = (text: string) => {
    const span = document.createElement('span');
    span.className = 'atlas-lab__name';
    span.textContent = text;
    return span;
  };
  const colourOf = (m: LabModel) => PALETTE[(MINIS.find((x) => x.name === m.arch)?.order ?? 0) % PALETTE.length]!;

  const setState = (state: string, text: string) => {
    root.dataset.state = state;
    status.textContent = text;
  };
  const index = () => Math.min(Math.max(1, Math.round(Number(imageIn.value)) || 1), Number(imageIn.max)) - 1;
  const int = (e: HTMLInputElement | HTMLSelectElement, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(Number(e.value)) || 0));

  function draw(canvas: HTMLCanvasElement, image: Float32Array) {
    const ctx = canvas.getContext('2d')!;
    const data = ctx.createImageData(SIDE, SIDE);
    image.forEach((v, i) => {
      const g = Math.round(v * 255);
      data.data.set([g, g, g, 255], i * 4);
    });
    ctx.putImageData(data, 0, 0);
  }

  /** The input before and after the transforms, its true class in words, and that class (null for a drawing; the silhouette's for a cue conflict). */
  function current(): { input: Float32Array; truth: string; original: Float32Array; label: number | null } | null {
    if (!bytes) return null;
    const s = state();
    if (s.input === 'draw') return { input: transform(drawing, s), truth: S.drawTruth, original: drawing.slice(), label: null };
    if (s.input === 'cue') {
      const { image } = sampleCueImage(bytes, s.shape, s.texture, s.cueSeed);
      return { input: transform(image, s), truth: S.cueTruth.replace('{{shape}}', S.classes[s.shape]!).replace('{{texture}}', S.classes[s.texture]!), original: image, label: s.shape };
    }
    const { image, label } = sampleImage(bytes, index());
    return { input: transform(image, s), truth: S.truth.replace('{{class}}', S.classes[label]!), original: image, label };
  }

  /** What each slider's output says: 'off' at its neutral position, else the value with its unit. */
  function format(k: LabControl, v: number): string {
    const px = (n: string) => S.px.replace('{{n}}', n);
    switch (k) {
      case 'lowPass': return v >= LOW_PASS_OFF ? S.off : v.toFixed(2);
      case 'highPass': case 'noise': return v <= 0 ? S.off : v.toFixed(2);
      case 'band': { const [lo, hi] = bandRange(v); return S.range.replace('{{lo}}', lo.toFixed(2)).replace('{{hi}}', hi.toFixed(2)); }
      case 'bandNorm': return v <= 0 ? S.off : v.toFixed(1);
      case 'blur': return v <= 0 ? S.off : px(v.toFixed(1));
      case 'occlusion': return v <= 0 ? S.off : px(String(v));
      case 'occlusionX': case 'occlusionY': return px(String(v));
      case 'shuffle': return v <= 0 ? S.off : S.patches.replace('{{k}}', String(Math.round(v * 49)));
    }
  }

  function showOutputs() {
    const s = state();
    for (const k of LAB_CONTROLS) el(`[data-lab-output="${k}"]`).textContent = format(k, s[k]);
    for (const row of root.querySelectorAll<HTMLElement>('[data-lab-when]')) row.hidden = row.dataset.labWhen !== s.input;
    el('[data-lab-output="epsilon"]').textContent = s.epsilon.toFixed(2);
    for (const row of root.querySelectorAll<HTMLElement>('[data-lab-attack-when]')) row.hidden = s.attack === 'none';
    for (const row of root.querySelectorAll<HTMLElement>('[data-lab-view-when]')) row.hidden = !row.dataset.labViewWhen!.split(' ').includes(s.view);
  }

  function state(): LabState {
    const s: LabState = {
      ...DEFAULT_STATE,
      input: inputIn.value as LabInputKind, image: index() + 1,
      shape: int(shapeIn, 0, 9), texture: int(textureIn, 0, 9), cueSeed: int(cueSeedIn, 0, 99),
      drawing: drawing.some((v) => v > 0) ? encodeImage(drawing) : '',
      view: viewIn.value as LabView, layer: int(layerIn, 1, 6), head: int(headIn, 0, 4),
      attack: attackIn.value as LabAttack, attackModel: int(attackModelIn, 0, LAB_ARCHS.length - 1),
      epsilon: Math.min(EPSILON.max, Math.max(EPSILON.min, Number(epsilonIn.value))),
      smallVit: smallVitIn.checked,
    };
    for (const k of LAB_CONTROLS) s[k] = Number(ctl[k].value);
    return s;
  }

  function applyState(s: LabState) {
    inputIn.value = s.input;
    imageIn.value = String(s.image);
    shapeIn.value = String(s.shape);
    textureIn.value = String(s.texture);
    cueSeedIn.value = String(s.cueSeed);
    drawing = (s.drawing && decodeImage(s.drawing)) || new Float32Array(SIDE * SIDE);
    viewIn.value = s.view;
    layerIn.value = String(s.layer);
    headIn.value = String(s.head);
    attackIn.value = s.attack;
    attackModelIn.value = String(s.attackModel);
    epsilonIn.value = String(s.epsilon);
    smallVitIn.checked = s.smallVit;
    for (const k of LAB_CONTROLS) ctl[k].value = String(s[k]);
  }

  /** The URL follows the controls; replaceState, so moving a slider leaves no trail of history entries. */
  function writeUrl() {
    const url = `${location.pathname}${writeState(state())}${location.hash}`;
    if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(history.state, '', url);
  }

  function update() {
    showOutputs();
    if (bytes) writeUrl();
    const c = current();
    if (!c) return;
    draw(el('[data-lab-canvas="original"]'), c.original);
    draw(drawCanvas, drawing);
    draw(el('[data-lab-canvas="input"]'), c.input);
    truth.textContent = c.truth;
    if (runtime) void answer();
  }

  /** "trained on 55,000 images; test accuracy 89.2%", from the pool's manifest through models.json. */
  const regimeText = (m: LabModel) => m.trainImages !== null && m.testAccuracy !== null ? fill(S.regime, { n: num.format(m.trainImages), acc: pct.format(m.testAccuracy) }) : '';

  function renderTable(cols: LabModel[], probs: Map<string, number[]>) {
    const head = table.tHead!.rows[0]!;
    const body = table.tBodies[0]!;
    head.replaceChildren(head.cells[0]!);
    body.replaceChildren();
    for (const m of cols) {
      const th = document.createElement('th');
      th.scope = 'col';
      // The model's name whole; a tag after it ("(2,000 images)") may wrap.
      const label = labelOf(m), name = S.models[m.arch] ?? m.arch, at = label.indexOf(name);
      if (at < 0) th.textContent = label;
      else th.append(label.slice(0, at), whole(name), label.slice(at + name.length));
      const regime = regimeText(m);
      if (regime) {
        const span = document.createElement('span');
        span.className = 'atlas-lab__regime';
        span.dataset.labRegime = m.key;
        span.textContent = regime;
        th.append(span);
      }
      th.dataset.model = m.key;
      const p = probs.get(m.key);
      if (p) th.dataset.probs = JSON.stringify(p);
      head.append(th);
    }
    for (let rank = 0; rank < 3; rank++) {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = String(rank + 1);
      tr.append(th);
      for (const m of cols) {
        const td = document.createElement('td');
        const p = probs.get(m.key);
        if (p) {
          const k = [...p.keys()].sort((a, b) => p[b]! - p[a]!)[rank]!;
          td.append(whole(S.classes[k]!), ` ${pct.format(p[k]!)}`);
          td.dataset.class = String(k);
        } else td.textContent = S.pendingCell;
        tr.append(td);
      }
      body.append(tr);
    }
    el<HTMLElement>('[data-lab-answers-box]').hidden = false;
  }

  /** The input in grey with the heat map in the accent colour over it; a 7×7 map is spread over its patches. */
  function drawHeat(image: Float32Array, map: ArrayLike<number> | null) {
    const canvas = el<HTMLCanvasElement>('[data-lab-canvas="view"]');
    const ctx = canvas.getContext('2d')!, scale = canvas.width / SIDE;
    const data = ctx.createImageData(canvas.width, canvas.height);
    let max = 0;
    if (map) for (let i = 0; i < map.length; i++) max = Math.max(max, map[i]!);
    for (let y = 0; y < canvas.height; y++) for (let x = 0; x < canvas.width; x++) {
      const px = Math.floor(y / scale) * SIDE + Math.floor(x / scale);
      const g = image[px]! * 160;
      const cell = !map ? 0 : map.length === SIDE * SIDE ? map[px]! : map[Math.floor(y / scale / PATCH_PX) * GRID + Math.floor(x / scale / PATCH_PX)]!;
      const h = max > 0 ? cell / max : 0;
      data.data.set([g + h * (255 - g), g + h * (140 - g) * 0.6, g * (1 - h), 255], (y * canvas.width + x) * 4);
    }
    ctx.putImageData(data, 0, 0);
  }

  function describe(shares: ArrayLike<number>): string {
    const cells = topCells(shares, 3).map(([i, v]) => S.viewCell.replace('{{r}}', String(Math.floor(i / GRID) + 1)).replace('{{c}}', String((i % GRID) + 1)).replace('{{p}}', pct.format(v)));
    return S.viewText.replace('{{cells}}', cells.join(S.viewSep));
  }

  function renderView(rt: Runtime, loaded: Map<string, import('../../../models/nn/model').ZooModel>, input: Float32Array) {
    const s = state();
    if (s.view === 'answers') return;
    const arch = s.view === 'saliency' ? 'resnet_mini_28' : 'vit_mini_patch4_28';
    const model = loaded.get(arch);
    if (!model) {
      drawHeat(input, null);
      viewText.textContent = S.viewPending.replace('{{model}}', S.models[arch] ?? arch);
      delete root.dataset.viewMap;
      return;
    }
    let map: Float64Array, shares: Float64Array, prefix = '';
    if (s.view === 'saliency') {
      const { grad, cls } = rt.inputGradient(model, input);
      map = saliencyMap(grad);
      shares = patchShares(map);
      prefix = `${S.saliencyClass.replace('{{class}}', S.classes[cls]!)} `;
    } else {
      const taps = rt.attentionTaps(model, input);
      map = s.view === 'attention' ? clsAttention(taps[s.layer - 1]!, s.head) : rollout(taps, s.layer);
      shares = map;
    }
    drawHeat(input, map);
    viewText.textContent = prefix + describe(shares);
    // The map itself, for readers of the DOM such as tests.
    root.dataset.viewMap = JSON.stringify(Array.from(map));
  }

  /** Before and after the perturbation, per model, in words: does the attack transfer? */
  function renderAttack(clean: Map<string, number[]> | null, after: Map<string, number[]>, attacked: number) {
    const byKey = new Map(models.map((m) => [m.key, m] as const));
    const list = el<HTMLUListElement>('[data-lab-attack-list]');
    list.replaceChildren();
    const text = el<HTMLElement>('[data-lab-attack-text]');
    if (!clean) { text.textContent = S.attackNeedsModels; return; }
    text.textContent = S.attackIntro;
    const top = (p: number[]) => p.indexOf(Math.max(...p));
    for (const [key, p] of after) {
      const before = top(clean.get(key)!), now = top(p);
      const li = document.createElement('li');
      li.dataset.model = key;
      li.dataset.changed = String(before !== now);
      li.textContent = S.attackRow.replace('{{model}}', labelOf(byKey.get(key)!)).replace('{{target}}', LAB_ARCHS.indexOf(key as (typeof LAB_ARCHS)[number]) === attacked ? S.attackTarget : '')
        .replace('{{before}}', S.classes[before]!).replace('{{after}}', S.classes[now]!).replace('{{verdict}}', before !== now ? S.attackChanged : S.attackKept);
      list.append(li);
    }
  }

  const SVG = 'http://www.w3.org/2000/svg';
  const svgEl = (tag: string, attrs: Record<string, string | number>, text?: string) => {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  };

  /** Moves the chart's marker to the active slider's setting (no model runs). */
  function placeMarker() {
    const marker = root.querySelector('[data-lab-sweep-marker]');
    if (!marker) return;
    const x = chartScales(active).x(Number(ctl[active].value)).toFixed(1);
    marker.setAttribute('x1', x);
    marker.setAttribute('x2', x);
  }

  /**
   * The confidence chart: each shown model's probability of the true class as the active slider
   * sweeps its range, the other settings as they are (transforms only: no perturbation). Recomputed
   * only when something besides that slider's own setting changed; otherwise the marker moves.
   */
  function renderSweep(rt: Runtime, loaded: Map<string, import('../../../models/nn/model').ZooModel>, cols: LabModel[], s: LabState, c: NonNullable<ReturnType<typeof current>>) {
    const box = el<HTMLElement>('[data-lab-sweep-chart]');
    const text = el<HTMLElement>('[data-lab-sweep-text]');
    const have = cols.filter((m) => loaded.has(m.key));
    if (c.label === null || have.length === 0) {
      box.hidden = true;
      text.textContent = c.label === null ? S.sweepDraw : S.sweepNeedsModels;
      swept = '';
      delete root.dataset.sweep;
      return;
    }
    const truthText = fill(s.input === 'cue' ? S.sweepTruthCue : S.sweepTruthSample, { class: S.classes[c.label]! });
    const values = sweepValues(active);
    text.textContent = fill(S.sweepHow, { slider: S.controls[active] ?? active, truth: truthText, steps: String(values.length) }) + (s.attack !== 'none' ? ` ${S.sweepNoAttack}` : '');
    box.hidden = false;
    const key = sweepKey(s, active, have.map((m) => m.key));
    if (key === swept) { placeMarker(); return; }
    swept = key;
    const images = values.map((v) => transform(c.original, { ...s, [active]: v }));
    const curves = have.map((m) => ({ m, p: rt.probabilitiesBatch(loaded.get(m.key)!, images).map((row) => row[c.label!]!) }));
    // The numbers behind the chart, for readers of the DOM such as tests.
    root.dataset.sweep = JSON.stringify({ control: active, values, probs: Object.fromEntries(curves.map(({ m, p }) => [m.key, p])) });

    const svg = el<SVGSVGElement>('[data-lab-sweep-svg]');
    svg.replaceChildren();
    const { x, y } = chartScales(active);
    svg.append(svgEl('title', {}, fill(S.sweepCaption, { slider: S.controls[active] ?? active })));
    for (const p of [0, 0.5, 1]) {
      svg.append(svgEl('line', { x1: CHART.left, x2: CHART.width - CHART.right, y1: y(p), y2: y(p), stroke: 'currentColor', 'stroke-opacity': p === 0 ? 0.6 : 0.15 }));
      svg.append(svgEl('text', { x: CHART.left - 4, y: y(p) + 4, 'text-anchor': 'end', 'font-size': 11, fill: 'currentColor' }, pct.format(p).replace(/\.0(?=\D*$)/, '')));
    }
    const lo = values[0]!, hi = values[values.length - 1]!;
    svg.append(svgEl('text', { x: x(lo), y: CHART.height - 8, 'text-anchor': 'start', 'font-size': 11, fill: 'currentColor' }, format(active, lo)));
    svg.append(svgEl('text', { x: x(hi), y: CHART.height - 8, 'text-anchor': 'end', 'font-size': 11, fill: 'currentColor' }, format(active, hi)));
    for (const { m, p } of curves) {
      const colour = colourOf(m);
      const line = svgEl('polyline', { points: polylinePoints(active, values, p), fill: 'none', stroke: colour, 'stroke-width': 2, 'data-model': m.key });
      if (m.optional) line.setAttribute('stroke-dasharray', '5 3');
      svg.append(line);
      values.forEach((v, i) => svg.append(svgEl('circle', { cx: x(v).toFixed(1), cy: y(p[i]!).toFixed(1), r: 2.5, fill: colour })));
    }
    svg.append(svgEl('line', { y1: CHART.top, y2: CHART.height - CHART.bottom, stroke: 'currentColor', 'stroke-dasharray': '2 2', 'data-lab-sweep-marker': '' }));
    placeMarker();

    const legend = el<HTMLUListElement>('[data-lab-sweep-legend]');
    legend.replaceChildren(...curves.map(({ m }) => {
      const li = document.createElement('li');
      const swatch = svgEl('svg', { width: 24, height: 10, 'aria-hidden': 'true' });
      const l = svgEl('line', { x1: 0, x2: 24, y1: 5, y2: 5, stroke: colourOf(m), 'stroke-width': 2 });
      if (m.optional) l.setAttribute('stroke-dasharray', '5 3');
      swatch.append(l);
      li.append(swatch, labelOf(m));
      return li;
    }));

    // The same numbers as a table: one row per setting, one column per model.
    const t = el<HTMLTableElement>('[data-lab-sweep-table]');
    t.caption!.textContent = fill(S.sweepCaption, { slider: S.controls[active] ?? active });
    const hr = t.tHead!.rows[0]!;
    hr.replaceChildren(hr.cells[0]!, ...curves.map(({ m }) => { const th = document.createElement('th'); th.scope = 'col'; th.textContent = labelOf(m); return th; }));
    t.tBodies[0]!.replaceChildren(...values.map((v, i) => {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = format(active, v);
      tr.append(th, ...curves.map(({ p }) => { const td = document.createElement('td'); td.textContent = pct.format(p[i]!); return td; }));
      return tr;
    }));
  }

  async function answer() {
    if (busy) { again = true; return; }
    busy = true;
    try {
      const { rt, loaded } = await runtime!;
      do {
        again = false;
        // The optional column's weights come on its first showing.
        const want = shown(state()).filter((m) => m.weights && !loaded.has(m.key));
        if (want.length) {
          setState('loading', S.loadingModels);
          for (const m of want) loaded.set(m.key, await rt.loadModel(m));
        }
        const c = current()!, s = state();
        const cols = shown(s);
        const run = cols.filter((m) => loaded.has(m.key));
        let input = c.input, clean: Map<string, number[]> | null = null;
        const target = s.attack === 'none' ? undefined : loaded.get(LAB_ARCHS[s.attackModel]!);
        if (target && s.attack !== 'none') {
          clean = new Map(run.map((m) => [m.key, rt.probabilities(loaded.get(m.key)!, c.input)] as const));
          input = rt.attack(target, c.input, s.attack, s.epsilon);
          draw(el('[data-lab-canvas="input"]'), input);
          // The perturbed image, for readers of the DOM such as tests.
          root.dataset.attacked = JSON.stringify(Array.from(input));
        } else delete root.dataset.attacked;
        const probs = new Map(run.map((m) => [m.key, rt.probabilities(loaded.get(m.key)!, input)] as const));
        renderTable(cols, probs);
        renderView(rt, loaded, input);
        renderAttack(clean, probs, s.attackModel);
        renderSweep(rt, loaded, cols, s, c);
        // Which state the table answers (its query string), for readers of the DOM such as tests.
        root.dataset.answeredFor = writeState(s);
        setState('answered', S.answered.replace('{{backend}}', root.dataset.backend ?? ''));
        // Lets a control's next input event through before recomputing.
        if (again) await new Promise((r) => setTimeout(r, 0));
      } while (again);
    } catch (e) {
      setState('error', S.failed.replace('{{error}}', (e as Error).message));
    } finally {
      busy = false;
    }
  }

  function start() {
    if (runtime) return;
    setState('loading', S.loadingModels);
    runtime = (async () => {
      const rt = await import('./runtime');
      root.dataset.backend = await rt.startBackend();
      // The main columns now; an optional one when it is first shown (answer()).
      const have = models.filter((m) => m.weights && (!m.optional || state().smallVit));
      const loaded = new Map(await Promise.all(have.map(async (m) => [m.key, await rt.loadModel(m)] as const)));
      return { rt, loaded };
    })();
    runtime.catch((e: Error) => setState('error', S.failed.replace('{{error}}', e.message)));
    void answer();
  }

  // The chart follows the slider moved last (registered before update(), so the same event redraws it).
  for (const k of LAB_CONTROLS) ctl[k].addEventListener('input', () => { active = k; });
  for (const input of allInputs) input.addEventListener(input instanceof HTMLSelectElement || input.type === 'checkbox' ? 'change' : 'input', update);
  for (const b of root.querySelectorAll<HTMLButtonElement>('[data-lab-step]')) {
    b.addEventListener('click', () => {
      const n = Number(imageIn.max);
      imageIn.value = String(((index() + Number(b.dataset.labStep) + n) % n) + 1);
      update();
    });
  }
  el<HTMLButtonElement>('[data-lab-reset]').addEventListener('click', () => {
    const s = state();
    applyState({ ...DEFAULT_STATE, input: s.input, image: s.image, shape: s.shape, texture: s.texture, cueSeed: s.cueSeed });
    update();
  });
  runButton.addEventListener('click', start);

  // Drawing: pointer events cover mouse, touch and pen; a soft round brush of radius 1.5 px.
  const paint = (e: PointerEvent) => {
    const r = drawCanvas.getBoundingClientRect();
    const cx = ((e.clientX - r.left) / r.width) * SIDE, cy = ((e.clientY - r.top) / r.height) * SIDE;
    for (let y = Math.floor(cy - 2); y <= cy + 2; y++) for (let x = Math.floor(cx - 2); x <= cx + 2; x++) {
      if (x < 0 || y < 0 || x >= SIDE || y >= SIDE) continue;
      const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy), v = Math.min(1, Math.max(0, 2 - d));
      // On the URL's 8-bit grid, so a shared drawing is the very image answered here.
      drawing[y * SIDE + x] = Math.round(Math.max(drawing[y * SIDE + x]!, v) * 255) / 255;
    }
    update();
  };
  drawCanvas.addEventListener('pointerdown', (e) => { drawCanvas.setPointerCapture(e.pointerId); paint(e); });
  drawCanvas.addEventListener('pointermove', (e) => { if (e.buttons) paint(e); });
  el<HTMLButtonElement>('[data-lab-draw-clear]').addEventListener('click', () => { drawing = new Float32Array(SIDE * SIDE); update(); });
  // The keyboard's way in: start from a test image, then transform it like any input.
  el<HTMLButtonElement>('[data-lab-draw-sample]').addEventListener('click', () => {
    if (bytes) { drawing = sampleImage(bytes, index()).image; update(); }
  });
  const uploadText = el<HTMLElement>('[data-lab-upload-text]');
  el<HTMLInputElement>('[data-lab-upload]').addEventListener('change', async (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    el('[data-lab-upload-name]').textContent = file ? fill(S.fileName, { name: file.name }) : S.noFile;
    if (!file) return;
    try {
      // Decoded here, from the file's bytes: no URL, no request.
      const bitmap = await createImageBitmap(file);
      const scale = Math.min(1, 512 / Math.max(bitmap.width, bitmap.height));
      const w = Math.max(1, Math.round(bitmap.width * scale)), h = Math.max(1, Math.round(bitmap.height * scale));
      const work = document.createElement('canvas');
      work.width = w; work.height = h;
      const wctx = work.getContext('2d', { willReadFrequently: true })!;
      wctx.drawImage(bitmap, 0, 0, w, h);
      const { image, inverted } = toFashionMnist(toGrey(wctx.getImageData(0, 0, w, h).data, w, h), w, h);
      const shown = el<HTMLCanvasElement>('[data-lab-canvas="upload"]'), sctx = shown.getContext('2d')!, k = Math.min(shown.width / w, shown.height / h);
      sctx.clearRect(0, 0, shown.width, shown.height);
      sctx.drawImage(work, (shown.width - w * k) / 2, (shown.height - h * k) / 2, w * k, h * k);
      el<HTMLElement>('[data-lab-upload-box]').hidden = false;
      uploadText.textContent = S.converted.replace('{{inverted}}', inverted ? S.inverted : '');
      drawing = image.map((v) => Math.round(v * 255) / 255);
      update();
    } catch (err) {
      uploadText.textContent = S.uploadFailed.replace('{{error}}', (err as Error).message);
    }
  });

  setState('loading-sample', S.loadingSample);
  void (async () => {
    try {
      const [sample, list] = await Promise.all([
        fetch(LAB_SAMPLE_URL).then((r) => { if (!r.ok) throw new Error(`${LAB_SAMPLE_URL}: HTTP ${r.status}`); return r.arrayBuffer(); }),
        fetch(LAB_MODELS_URL).then((r) => { if (!r.ok) throw new Error(`${LAB_MODELS_URL}: HTTP ${r.status}`); return r.json() as Promise<LabModels>; }),
      ]);
      bytes = new Uint8Array(sample);
      models = list.models;
      imageIn.max = String(sampleCount(bytes));
      // The pending notice lists the models without weights; those that have weights leave it.
      for (const m of models) if (m.weights) root.querySelector(`[data-lab-pending="${m.arch}"]`)?.remove();
      const pending = root.querySelector<HTMLElement>('[data-lab-pending-box]');
      if (pending && !pending.querySelector('[data-lab-pending]')) pending.hidden = true;
      runButton.hidden = !models.some((m) => m.weights);
      // The optional column's checkbox, worded from the list (its model, its training images, the main column's).
      const extra = models.find((m) => m.optional), host = models.find((m) => m.key === LAB_OPTIONAL.arch);
      el<HTMLElement>('[data-lab-smallvit-row]').hidden = !extra;
      if (extra) el('[data-lab-smallvit-label]').textContent = fill(S.smallVit, { model: S.models[extra.arch] ?? extra.arch, n: num.format(extra.trainImages ?? 0), full: num.format(host?.trainImages ?? 0) });
      for (const input of allInputs) input.disabled = false;
      const { state: initial, preset } = readState(location.search, sampleCount(bytes));
      applyState(initial);
      if (preset) {
        root.dataset.preset = preset;
        const focus = LAB_PRESETS[preset].focus;
        if ((LAB_CONTROLS as readonly string[]).includes(focus)) active = focus as LabControl;
        root.querySelector(`[data-lab-field="${focus}"], [data-lab-control="${focus}"]`)?.scrollIntoView({ block: 'center' });
      }
      setState('ready', S.ready);
      update();
    } catch (e) {
      setState('error', S.failed.replace('{{error}}', (e as Error).message));
    }
  })();
}
