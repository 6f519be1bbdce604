// The view page's style sheet, inlined into every page (no network: system fonts only).

export const PAGE_CSS = `:root { --bg: #fbfbf8; --fg: #1d1d1b; --dim: #6b6b66; --line: #d6d6cf; --accent: #1f6fb2;
  --thread: #d9ead3; --handler: #f9cb9c; --entry: #ffe599; --exit: #fce5cd; --asleep: #cfd8e3; --lockup: #e06666;
  --free: #ffffff; --filling: #fff2cc; --queued: #9fc5e8; --in-callback: #b6d7a8; --held: #d5a6bd; }
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.4 system-ui, sans-serif; background: var(--bg); color: var(--fg); }
header { padding: 6px 12px; border-bottom: 1px solid var(--line); display: flex; flex-wrap: wrap; gap: 6px 16px; align-items: center; }
header h1 { font-size: 15px; margin: 0; }
.controls button { font: inherit; min-width: 34px; padding: 2px 6px; }
.controls { display: flex; gap: 4px; align-items: center; }
.now { font-variant-numeric: tabular-nums; }
.timeline { padding: 4px 12px; border-bottom: 1px solid var(--line); display: grid; grid-template-columns: 1fr; gap: 4px; }
.timeline label.scrub { display: grid; grid-template-columns: 6em 1fr; align-items: center; color: var(--dim); }
.timeline input[type=range] { width: 100%; }
.goto { display: flex; flex-wrap: wrap; gap: 4px 14px; align-items: center; }
.goto input { width: 12em; font: inherit; }
canvas#messages { width: 100%; height: 48px; border: 1px solid var(--line); background: #fff; cursor: pointer; }
main { display: grid; grid-template-columns: minmax(520px, 3fr) minmax(300px, 2fr); gap: 8px; padding: 8px 12px; }
svg#diagram { width: 100%; height: auto; background: #fff; border: 1px solid var(--line); }
svg text { font: 11px system-ui, sans-serif; }
svg .title { font-weight: 600; font-size: 12px; }
svg [data-key] { cursor: pointer; }
svg .selected > :is(rect, circle, path) { stroke: var(--accent); stroke-width: 3px; }
.mode-thread { fill: var(--thread); } .mode-handler { fill: var(--handler); } .mode-entry { fill: var(--entry); }
.mode-exit { fill: var(--exit); } .mode-asleep { fill: var(--asleep); } .mode-lockup { fill: var(--lockup); }
.buf-free { fill: var(--free); } .buf-filling { fill: var(--filling); } .buf-queued { fill: var(--queued); }
.buf-in-callback { fill: var(--in-callback); } .buf-held { fill: var(--held); }
.level-high { stroke: #c0392b; stroke-width: 3px; } .level-low { stroke: #999; stroke-width: 1.5px; stroke-dasharray: 4 3; }
.token { fill: var(--accent); }
.side { display: flex; flex-direction: column; gap: 8px; min-width: 0; }
section { border: 1px solid var(--line); background: #fff; padding: 4px 8px; }
section h2 { font-size: 12px; margin: 2px 0 4px; color: var(--dim); text-transform: uppercase; letter-spacing: .04em; }
table { border-collapse: collapse; width: 100%; }
td { padding: 1px 4px; vertical-align: top; font-variant-numeric: tabular-nums; }
td:first-child { color: var(--dim); white-space: nowrap; }
tr[data-key] { cursor: pointer; }
tr[data-key]:hover, tr.selected { background: #eef4fb; }
pre#record, pre#current { margin: 0; white-space: pre-wrap; word-break: break-all; font: 12px ui-monospace, monospace; }
ol#around { margin: 0; padding-left: 0; list-style: none; font: 12px ui-monospace, monospace; max-height: 16em; overflow: auto; }
ol#around li { cursor: pointer; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
ol#around li.current { background: #fff2cc; }
.note { color: var(--dim); }
`;
