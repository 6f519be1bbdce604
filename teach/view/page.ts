// The view page's script (bundled by esbuild into the page, teach/view/page-bundle.cjs): reads the
// embedded data, replays it with the view's reducer (state.ts: the same code the tests run
// in Node) and draws the state after `step` records. Every text it shows for the state
// comes from shownFields and goes into the elements with that `data-field`; every element
// with a `data-key` shows, when clicked, the record that last changed it.

import type { ViewData } from './data';
import { Replay, type ViewState, ViewReducer, nsText, recordOf, shownFields } from './state';

const SVG = 'http://www.w3.org/2000/svg';

const data = JSON.parse(document.getElementById('view-data')!.textContent!) as ViewData;
const model = { header: data.header, layout: data.layout, bursts: data.bursts };
const reducer = new ViewReducer(model);
const replay = new Replay(reducer, data.start, data.records, data.first);
const h = data.header;
const n = data.records.length;
const master = h.cores[0]!;
const remote = h.cores[1] ?? h.cores[0]!;

let step = 0;
let playing: number | null = null;
let selected: string | null = null;

// ---- small DOM helpers ---------------------------------------------------------------

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

function svg(tag: string, attrs: Record<string, string | number> = {}, ...children: (Node | string)[]): SVGElement {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  e.append(...children);
  return e;
}

/** A text whose content is the shown field `key`. */
function fieldText(key: string, x: number, y: number, cls = ''): SVGElement {
  return svg('text', { x, y, 'data-field': key, ...(cls && { class: cls }) });
}

// ---- the page's frame --------------------------------------------------------------------

const title = `${h.scenario} on ${h.platform}`;
const button = (id: string, text: string, label: string) => el('button', { id, type: 'button', title: label, 'aria-label': label }, text);
const playButton = button('play', 'play', 'play / pause (space)');
const speed = el('select', { id: 'speed', title: 'records per frame while playing' }, ...[1, 10, 100, 1000].map((s) => el('option', { value: String(s) }, `${s}×`)));
const stepText = el('span', { id: 'step', class: 'now' });
const phaseText = el('span', { id: 'phase', class: 'note' });

document.body.append(
  el(
    'header',
    {},
    el('h1', {}, `rpmsg-sim view: ${title}`),
    el(
      'div',
      { class: 'controls' },
      button('first', '⇤ start', 'to the start (Home)'),
      button('prev-phase', '◀◀ phase', 'back one phase ([ or shift+←)'),
      button('back', '◀ record', 'back one record (←)'),
      playButton,
      button('forward', 'record ▶', 'forward one record (→)'),
      button('next-phase', 'phase ▶▶', 'forward one phase (] or shift+→)'),
      button('last', 'end ⇥', 'to the end (End)'),
      speed,
    ),
    stepText,
    el('span', { class: 'now' }, 't = ', el('span', { 'data-field': 'time', 'data-key': 'time' }), ...h.cores.flatMap((c) => [` · ${c.name} cycle `, el('span', { 'data-field': `cycles.${c.name}`, 'data-key': `cycles.${c.name}` })])),
    phaseText,
  ),
);

const scrub = el('input', { id: 'scrub', type: 'range', min: '0', max: String(n), value: '0', step: '1', 'aria-label': 'step' });
const gotoNs = el('input', { id: 'goto-ns', type: 'number', min: '0', step: 'any', placeholder: 'ns' });
// the window's span in ns, for the time scrubber (its positions are times, not records)
const spanNs = (t: number) => (t * 1e9) / h.tickHz;
const firstTick = n > 0 ? data.records[0]!.t : 0;
const lastTick = n > 0 ? data.records[n - 1]!.t : 0;
const scrubTime = el('input', { id: 'scrub-time', type: 'range', min: String(spanNs(firstTick)), max: String(spanNs(lastTick)), step: 'any', value: String(spanNs(firstTick)), 'aria-label': 'time (ns)' });
const gotoCycles = h.cores.map((c) => el('input', { id: `goto-cycles-${c.name}`, type: 'number', min: '0', step: '1', placeholder: `${c.name} cycles` }));
const canvas = el('canvas', { id: 'messages', width: '1200', height: '48' });
const windowNote = el('span', { id: 'window', class: 'note' });
const assumptions = el('span', { id: 'assumptions', class: 'note' }, data.layout.assumptions.length === 0 ? '' : `layout: ${data.layout.assumptions.join('; ')}`);
document.body.append(
  el(
    'div',
    { class: 'timeline' },
    el('label', { class: 'scrub' }, 'record ', scrub),
    el('label', { class: 'scrub' }, 'time (ns) ', scrubTime),
    el(
      'div',
      { class: 'goto' },
      el('label', {}, 'go to ', gotoNs, ' ns'),
      ...gotoCycles.map((input, i) => el('label', {}, 'go to ', input, ` ${h.cores[i]!.name} cycles`)),
      windowNote,
      assumptions,
    ),
    canvas,
  ),
);

// ---- the diagram ---------------------------------------------------------------------------

const W = 760;
const diagram = svg('svg', { id: 'diagram', viewBox: `0 0 ${W} 560`, role: 'img', 'aria-label': 'cores, mailbox and vrings' });
const coreBox: Record<string, { x: number; y: number; w: number; h: number }> = {};
h.cores.forEach((c, i) => {
  const x = i === 0 ? 10 : W - 250;
  coreBox[c.name] = { x, y: 10, w: 240, h: 118 };
  diagram.append(
    svg(
      'g',
      { 'data-key': `core.${c.name}.mode` },
      svg('rect', { x, y: 10, width: 240, height: 118, rx: 6, id: `core-${c.name}`, class: 'mode-thread', stroke: '#555' }),
      svg('text', { x: x + 8, y: 28, class: 'title' }, `${c.name} (${c.role}, ${c.hz / 1e6} MHz)`),
      fieldText(`core.${c.name}.mode`, x + 8, 46),
    ),
    svg('g', { 'data-key': `core.${c.name}.calls` }, svg('text', { x: x + 8, y: 64 }, 'rpmsg-lite: '), fieldText(`core.${c.name}.calls`, x + 72, 64)),
    svg('g', { 'data-key': `core.${c.name}.pending` }, svg('text', { x: x + 8, y: 82 }, 'pending: '), fieldText(`core.${c.name}.pending`, x + 72, 82)),
    svg('g', { 'data-key': `core.${c.name}.link` }, svg('text', { x: x + 8, y: 100 }, 'link: '), fieldText(`core.${c.name}.link`, x + 72, 100)),
  );
});
// the mailbox and its interrupt lines
const mbox = { x: W / 2 - 100, y: 10, w: 200, h: 118 };
diagram.append(
  svg('rect', { x: mbox.x, y: mbox.y, width: mbox.w, height: mbox.h, rx: 6, fill: '#f3f3ee', stroke: '#555' }),
  svg('text', { x: mbox.x + 8, y: 28, class: 'title' }, `mailbox: ${h.mailboxes.map((m) => m.name).join(', ')}`),
);
h.irqLines.forEach((l, i) => {
  const b = coreBox[l.core];
  if (b === undefined) return;
  const toLeft = b.x < mbox.x;
  const y = 60 + 26 * i;
  const x1 = toLeft ? mbox.x : mbox.x + mbox.w;
  const x2 = toLeft ? b.x + b.w : b.x;
  diagram.append(
    svg(
      'g',
      { 'data-key': `line.${l.name}` },
      svg('line', { x1, y1: y, x2, y2: y, id: `line-${l.name}`, class: 'level-low' }),
      // a wider, invisible copy to click
      svg('rect', { x: Math.min(x1, x2), y: y - 6, width: Math.abs(x2 - x1), height: 12, fill: 'transparent', id: `line-hit-${l.name}` }),
      svg('text', { x: mbox.x + 8, y: y + 4 }, `${l.name} → ${l.core} IRQ ${l.line}: `),
      svg('text', { x: mbox.x + mbox.w - 8, y: y + 4, 'text-anchor': 'end', 'data-field': `line.${l.name}` }),
    ),
  );
});
// the message lane: tokens travel from sender to receiver
const laneY = 150;
diagram.append(
  svg('line', { x1: 130, y1: laneY, x2: W - 130, y2: laneY, stroke: '#bbb' }),
  svg('text', { x: 10, y: laneY + 4 }, `${master.name} → ${remote.name}`),
  svg('text', { x: W - 10, y: laneY + 4, 'text-anchor': 'end' }, `${remote.name} → ${master.name}`),
);
const tokens = svg('g', { id: 'flights' });
diagram.append(tokens);

// both vrings as rings of descriptors, with their buffers below
const ringR = 78;
const ringCenter = (i: number) => ({ x: i === 0 ? 190 : W - 190, y: 290 });
const descShapes: SVGElement[][] = [];
const pointers: { avail: SVGElement; used: SVGElement }[] = [];
const bufferShapes: { rect: SVGElement; fill: SVGElement }[] = [];
data.layout.vrings.forEach((v, i) => {
  const c = ringCenter(i);
  const sender = v.dir === 'm2r' ? master.name : remote.name;
  const receiver = v.dir === 'm2r' ? remote.name : master.name;
  diagram.append(
    svg('text', { x: c.x, y: c.y - ringR - 34, 'text-anchor': 'middle', class: 'title' }, `vring${v.index} (${v.dir}: ${sender} → ${receiver})`),
    svg('circle', { cx: c.x, cy: c.y, r: ringR, fill: 'none', stroke: '#999' }),
    svg('g', { 'data-key': `vring${v.index}.avail.idx` }, svg('text', { x: c.x, y: c.y - 6, 'text-anchor': 'middle' }, 'avail.idx '), fieldText(`vring${v.index}.avail.idx`, c.x + 28, c.y - 6)),
    svg('g', { 'data-key': `vring${v.index}.used.idx` }, svg('text', { x: c.x, y: c.y + 12, 'text-anchor': 'middle' }, 'used.idx '), fieldText(`vring${v.index}.used.idx`, c.x + 26, c.y + 12)),
  );
  const shapes: SVGElement[] = [];
  for (let j = 0; j < v.num; j++) {
    const a = (2 * Math.PI * j) / v.num - Math.PI / 2;
    const x = c.x + ringR * Math.cos(a);
    const y = c.y + ringR * Math.sin(a);
    // many buffers (RL_BUFFER_COUNT more than 8; tested with 16): smaller slots, and no labels past 8
    const r = Math.max(3, Math.min(16, (Math.PI * ringR) / v.num - 1));
    const labelled = v.num <= 8;
    const shape = svg('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: r.toFixed(1), class: 'buf-free', stroke: '#555', id: `vring${v.index}-desc${j}` });
    shapes.push(shape);
    diagram.append(svg('g', { 'data-key': `vring${v.index}.desc[${j}]` }, shape, ...(labelled ? [svg('text', { x: x.toFixed(1), y: (y + 4).toFixed(1), 'text-anchor': 'middle' }, `d${j}`)] : [])));
    // who holds the descriptor's buffer, to its right (in the Vrings panel in any case)
    if (labelled) {
      diagram.append(
        svg('g', { 'data-key': `vring${v.index}.desc[${j}].place` }, svg('text', { x: (x + 20).toFixed(1), y: (y + 4).toFixed(1), class: 'note', 'data-field': `vring${v.index}.desc[${j}].holder` })),
      );
    }
  }
  descShapes.push(shapes);
  const avail = svg('path', { d: 'M0,-8 L6,4 L-6,4 Z', fill: '#1f6fb2', id: `vring${v.index}-avail-pointer` });
  const used = svg('path', { d: 'M0,-8 L6,4 L-6,4 Z', fill: '#38761d', id: `vring${v.index}-used-pointer` });
  pointers.push({ avail, used });
  diagram.append(svg('g', { 'data-key': `vring${v.index}.avail.idx` }, avail), svg('g', { 'data-key': `vring${v.index}.used.idx` }, used));
});
diagram.append(
  svg('text', { x: 10, y: 520, class: 'note' }, 'outer triangle: avail.idx mod num (blue) · inner: used.idx mod num (green) · colour: the state of the buffer the descriptor points at'),
);
const perRing = data.layout.buffers.length / 2;
data.layout.buffers.forEach((b) => {
  const c = ringCenter(b.vring);
  const j = b.index - b.vring * perRing;
  const wEach = Math.min(70, 300 / perRing);
  const x = c.x - (perRing * wEach) / 2 + j * wEach;
  const y = 410;
  const rect = svg('rect', { x: x + 2, y, width: wEach - 4, height: 70, class: 'buf-free', stroke: '#555', id: `buf-${b.index}` });
  const fill = svg('rect', { x: x + 2, y: y + 70, width: wEach - 4, height: 0, fill: 'rgba(0,0,0,.18)' });
  bufferShapes.push({ rect, fill });
  diagram.append(
    // past 8 buffers a ring the labels would overlap: hidden (the Buffers panel has them)
    svg(
      'g',
      { 'data-key': `buf[${b.index}]` },
      rect,
      fill,
      svg('text', { x: x + wEach / 2, y: y + 84, 'text-anchor': 'middle', ...(perRing > 8 && { visibility: 'hidden' }) }, `buf[${b.index}]`),
      svg('text', { x: x + wEach / 2, y: y + 98, 'text-anchor': 'middle', 'data-field': `buf[${b.index}].msg`, ...(perRing > 8 && { visibility: 'hidden' }) }),
    ),
  );
});
const legend = ['free', 'filling', 'queued', 'in-callback', 'held'];
legend.forEach((s, i) => {
  diagram.append(svg('rect', { x: 10 + i * 110, y: 536, width: 14, height: 14, class: `buf-${s}`, stroke: '#555' }), svg('text', { x: 30 + i * 110, y: 548 }, s));
});

// ---- the side panels ---------------------------------------------------------------------

const example = shownFields(model, data.start);
const rows = (keys: string[], label: (k: string) => string = (k) => k) =>
  el('table', {}, el('tbody', {}, ...keys.map((k) => el('tr', { 'data-key': k }, el('td', {}, label(k)), el('td', { 'data-field': k })))));
const keysWith = (prefix: string) => Object.keys(example).filter((k) => k.startsWith(prefix));
const section = (name: string, ...content: Node[]) => el('section', {}, el('h2', {}, name), ...content);
const recordBox = el('pre', { id: 'record' }, 'Click anything to see the record that last changed it.');
const recordTitle = el('div', { id: 'record-title', class: 'note' });
const currentBox = el('pre', { id: 'current' });
const around = el('ol', { id: 'around' });
const side = el(
  'div',
  { class: 'side' },
  section('Record', recordTitle, recordBox),
  section('Current record', currentBox, around),
  section('Cores', rows(keysWith('core.'), (k) => k.slice(5))),
  section('Interrupt lines, mailbox, pins', rows([...keysWith('line.'), ...keysWith('mbox.'), ...keysWith('pin.')], (k) => k.replace(/^(line|mbox|pin)\./, ''))),
  section('Messages', rows([...keysWith('count.'), 'flights', 'lastDelivery'], (k) => k.replace(/^count\./, ''))),
  section('Vrings', rows(keysWith('vring').filter((k) => !k.endsWith('.holder') || data.layout.vrings[0]!.num > 8))),
  section('Buffers', rows(keysWith('buf[').filter((k) => !k.endsWith('.msg')))),
);
document.body.append(el('main', {}, diagram, side));

// ---- the message summary (every message of the run, not only the window's) -----------------

const messageTimes = (['m2r', 'r2m'] as const).map((dir) => {
  const col = data.messages[dir];
  const t: number[] = [];
  let at = 0;
  for (const d of col.enqueueDelta) t.push((at += d));
  return { dir, t, latency: col.latency };
});
const endTick = Math.max(1, data.records.length > 0 ? data.records[n - 1]!.t : 0, ...messageTimes.map((m) => m.t[m.t.length - 1] ?? 0), Math.round((data.run.simulatedNs * h.tickHz) / 1e9));
const windowStart = n > 0 ? data.records[0]!.t : 0;
const windowEnd = n > 0 ? data.records[n - 1]!.t : 0;
const ctx = canvas.getContext('2d');
let base: ImageData | null = null;
function drawSummary(): void {
  if (ctx === null) return;
  const cw = canvas.width;
  const ch = canvas.height;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, cw, ch);
  ctx.fillStyle = '#eef4fb';
  ctx.fillRect((windowStart / endTick) * cw, 0, Math.max(2, ((windowEnd - windowStart) / endTick) * cw), ch);
  let maxLatency = 1;
  for (const m of messageTimes) for (const l of m.latency) if (l > maxLatency) maxLatency = l;
  // one column per pixel per direction: the largest latency of the messages sent in it
  messageTimes.forEach((m, row) => {
    const top = row * (ch / 2);
    const cols = new Float64Array(cw).fill(-1);
    const dropped = new Uint8Array(cw);
    m.t.forEach((t, i) => {
      const x = Math.min(cw - 1, Math.floor((t / endTick) * cw));
      const l = m.latency[i]!;
      if (l === -2) dropped[x] = 1;
      else if (l > cols[x]!) cols[x] = l;
    });
    for (let x = 0; x < cw; x++) {
      if (cols[x]! >= 0) {
        const hgt = Math.max(1, (cols[x]! / maxLatency) * (ch / 2 - 2));
        ctx.fillStyle = row === 0 ? '#1f6fb2' : '#38761d';
        ctx.fillRect(x, top + ch / 2 - hgt, 1, hgt);
      }
      if (dropped[x] === 1) {
        ctx.fillStyle = '#c0392b';
        ctx.fillRect(x, top, 1, 4);
      }
    }
  });
  base = ctx.getImageData(0, 0, cw, ch);
}
drawSummary();
const totals = messageTimes.map((m) => `${m.t.length + data.messages[m.dir].more} ${m.dir}`).join(', ');
windowNote.textContent =
  `records ${data.first}–${data.first + n} of ${data.total} embedded (${nsText(windowStart, h.tickHz)}–${nsText(windowEnd, h.tickHz)} ns); ` +
  `messages in the run: ${totals}; the strip shows each message's latency over the whole run (top m2r, bottom r2m), the window shaded`;

function drawCursor(t: number): void {
  if (ctx === null || base === null) return;
  ctx.putImageData(base, 0, 0);
  ctx.fillStyle = '#c0392b';
  ctx.fillRect(Math.floor((t / endTick) * canvas.width), 0, 2, canvas.height);
}

// ---- drawing a state -----------------------------------------------------------------------

const fieldElements = [...document.querySelectorAll<Element>('[data-field]')];
const flightProgress = (s: ViewState, dir: 'm2r' | 'r2m', msg: number, sentAt: number): number => {
  const m = messageTimes.find((x) => x.dir === dir)!;
  const l = m.latency[msg];
  if (l === undefined || l <= 0) return 0.5;
  return Math.max(0, Math.min(1, (s.t - sentAt) / l));
};

function draw(): void {
  const s = replay.stateAt(step);
  const f = shownFields(model, s);
  for (const e of fieldElements) {
    const key = e.getAttribute('data-field')!;
    const text = f[key] ?? '';
    if (e.textContent !== text) e.textContent = text;
  }
  for (const c of h.cores) document.getElementById(`core-${c.name}`)!.setAttribute('class', `mode-${s.cores[c.name]!.mode}`);
  for (const l of h.irqLines) document.getElementById(`line-${l.name}`)?.setAttribute('class', s.lines[l.name] ? 'level-high' : 'level-low');
  data.layout.vrings.forEach((v, i) => {
    const vs = s.vrings[i]!;
    const c = ringCenter(i);
    vs.desc.forEach((d, j) => {
      const k = d.addr === null ? -1 : reducer.namer.bufferAt(d.addr);
      descShapes[i]![j]!.setAttribute('class', `buf-${k < 0 ? 'free' : s.buffers[k]!.state}`);
    });
    const place = (p: SVGElement, idx: number | null, r: number) => {
      if (idx === null) {
        p.setAttribute('visibility', 'hidden');
        return;
      }
      const a = (2 * Math.PI * (idx % v.num)) / v.num - Math.PI / 2;
      p.setAttribute('visibility', 'visible');
      p.setAttribute('transform', `translate(${(c.x + r * Math.cos(a)).toFixed(1)},${(c.y + r * Math.sin(a)).toFixed(1)}) rotate(${((a * 180) / Math.PI + 90).toFixed(1)})`);
      p.setAttribute('data-slot', String(idx % v.num));
    };
    place(pointers[i]!.avail, vs.availIdx, ringR + 26);
    place(pointers[i]!.used, vs.usedIdx, ringR - 26);
  });
  s.buffers.forEach((b, k) => {
    bufferShapes[k]!.rect.setAttribute('class', `buf-${b.state}`);
    const payload = data.layout.bufferSize - 16;
    const frac = b.state === 'free' ? 0 : b.state === 'filling' ? 0.15 : Math.min(1, b.len / payload);
    const hgt = (70 * frac).toFixed(1);
    bufferShapes[k]!.fill.setAttribute('height', hgt);
    bufferShapes[k]!.fill.setAttribute('y', (410 + 70 - Number(hgt)).toFixed(1));
  });
  tokens.replaceChildren(
    ...s.flights.map((fl) => {
      const p = flightProgress(s, fl.dir, fl.msg, fl.t);
      const fromLeft = fl.from === master.name;
      const x = fromLeft ? 130 + p * (W - 260) : W - 130 - p * (W - 260);
      return svg('g', { 'data-key': `flight.${fl.dir}#${fl.msg}`, class: 'flight' }, svg('circle', { cx: x.toFixed(1), cy: laneY, r: 8, class: 'token' }), svg('text', { x: x.toFixed(1), y: laneY - 12, 'text-anchor': 'middle' }, `${fl.dir}#${fl.msg}`));
    }),
  );
  stepText.textContent = `step ${step} of ${n}`;
  scrub.value = String(step);
  if (document.activeElement !== scrubTime) scrubTime.value = String(spanNs(step === 0 ? firstTick : s.t));
  const mark = lastMarkAtOrBefore(step);
  phaseText.textContent = mark < 0 ? '' : `phase: ${data.marks[mark]!.label}`;
  currentBox.textContent = step === 0 ? (data.first === 0 ? 'before the first record' : `the state after record #${data.first - 1} (before the window)`) : `#${data.first + step - 1} ${JSON.stringify(data.records[step - 1])}`;
  drawAround();
  drawCursor(s.t);
  if (selected !== null) showRecord(selected);
  document.body.dataset.step = String(step);
  document.body.dataset.applied = String(replay.applied);
}

function drawAround(): void {
  const from = Math.max(0, step - 6);
  const to = Math.min(n, step + 6);
  const items: HTMLElement[] = [];
  for (let i = from; i < to; i++) {
    const r = data.records[i]!;
    const li = el('li', { 'data-step': String(i + 1), ...(i === step - 1 && { class: 'current' }) }, `#${data.first + i} ${nsText(r.t, h.tickHz)} ns ${r.component} ${r.kind}`);
    items.push(li);
  }
  around.replaceChildren(...items);
}

function lastMarkAtOrBefore(k: number): number {
  let lo = 0;
  let hi = data.marks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (data.marks[mid]!.step <= k) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

// ---- moving ----------------------------------------------------------------------------------

function go(k: number): void {
  step = Math.max(0, Math.min(n, Math.round(k)));
  draw();
}

function nextPhase(): void {
  const i = lastMarkAtOrBefore(step) + 1;
  if (i < data.marks.length) go(data.marks[i]!.step);
}

function previousPhase(): void {
  const i = lastMarkAtOrBefore(step - 1);
  go(i < 0 ? 0 : data.marks[i]!.step);
}

/** The step whose state is the run at tick `t`: every record up to t applied. */
function stepAtTick(t: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (data.records[mid]!.t <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function setPlaying(on: boolean): void {
  if (on && playing === null) {
    if (step >= n) go(0);
    playing = window.setInterval(() => {
      if (step >= n) {
        setPlaying(false);
        return;
      }
      go(step + Number(speed.value));
    }, 40);
  } else if (!on && playing !== null) {
    window.clearInterval(playing);
    playing = null;
  }
  playButton.textContent = playing === null ? 'play' : 'pause';
  playButton.setAttribute('aria-pressed', String(playing !== null));
}

function showRecord(key: string): void {
  selected = key;
  const s = replay.stateAt(step);
  const global = key === 'time' || key.startsWith('cycles.') ? (step === 0 ? null : data.first + step - 1) : recordOf(s, key);
  recordTitle.textContent = key;
  if (global === null) {
    recordBox.textContent = data.first === 0 ? 'not changed since the start of the run' : 'not changed since the start of the run (or before the window, in no record kept)';
  } else if (global < data.first) {
    recordBox.textContent = `record #${global}, before the embedded window (not kept)`;
  } else {
    recordBox.textContent = `#${global} ${JSON.stringify(data.records[global - data.first])}`;
  }
  for (const e of document.querySelectorAll('.selected')) e.classList.remove('selected');
  for (const e of document.querySelectorAll(`[data-key="${CSS.escape(key)}"]`)) e.classList.add('selected');
}

document.getElementById('first')!.addEventListener('click', () => go(0));
document.getElementById('last')!.addEventListener('click', () => go(n));
document.getElementById('back')!.addEventListener('click', () => go(step - 1));
document.getElementById('forward')!.addEventListener('click', () => go(step + 1));
document.getElementById('prev-phase')!.addEventListener('click', previousPhase);
document.getElementById('next-phase')!.addEventListener('click', nextPhase);
playButton.addEventListener('click', () => setPlaying(playing === null));
scrub.addEventListener('input', () => go(Number(scrub.value)));
scrubTime.addEventListener('input', () => go(stepAtTick(Math.floor((Number(scrubTime.value) * h.tickHz) / 1e9))));
gotoNs.addEventListener('change', () => {
  const ns = Number(gotoNs.value);
  if (Number.isFinite(ns)) go(stepAtTick(Math.floor((ns * h.tickHz) / 1e9)));
});
gotoCycles.forEach((input, i) =>
  input.addEventListener('change', () => {
    const c = Number(input.value);
    if (Number.isFinite(c)) go(stepAtTick(c * h.cores[i]!.periodTicks));
  }),
);
canvas.addEventListener('click', (e) => {
  const r = canvas.getBoundingClientRect();
  const t = ((e.clientX - r.left) / r.width) * endTick;
  if (t < windowStart || t > windowEnd) {
    windowNote.textContent = `${nsText(Math.round(t), h.tickHz)} ns is outside the embedded window: run rpmsg-sim view with --from ${Math.floor(t / (h.tickHz / 1e9))}ns to see it`;
    return;
  }
  go(stepAtTick(t));
});
around.addEventListener('click', (e) => {
  const li = (e.target as Element).closest('li[data-step]');
  if (li !== null) go(Number(li.getAttribute('data-step')));
});
document.addEventListener('click', (e) => {
  const target = (e.target as Element).closest('[data-key]');
  if (target !== null) showRecord(target.getAttribute('data-key')!);
});
document.addEventListener('keydown', (e) => {
  if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
  const keys: Record<string, () => void> = {
    ' ': () => setPlaying(playing === null),
    k: () => setPlaying(playing === null),
    ArrowRight: () => (e.shiftKey ? nextPhase() : go(step + 1)),
    l: () => go(step + 1),
    ArrowLeft: () => (e.shiftKey ? previousPhase() : go(step - 1)),
    h: () => go(step - 1),
    ']': nextPhase,
    '[': previousPhase,
    Home: () => go(0),
    End: () => go(n),
  };
  const action = keys[e.key];
  if (action === undefined) return;
  e.preventDefault();
  action();
});

draw();
document.body.dataset.ready = 'true';
