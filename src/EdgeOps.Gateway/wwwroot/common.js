// Shared formatting for the board and the machine page (plain JS, no framework: the board must run offline).
"use strict";
const EdgeOps = {
  stateText: { running: "Running", down: "DOWN", idle: "Idle", changeover: "Changeover", plannedStop: "Planned stop", offline: "Offline" },
  stateIcon: { running: "▶", down: "✖", idle: "❚❚", changeover: "⚙", plannedStop: "☕", offline: "?" },
  // .NET TimeSpan JSON is "[d.]hh:mm:ss[.fffffff]".
  seconds(span) {
    if (!span) return 0;
    const m = /^(-)?(?:(\d+)\.)?(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(span);
    if (!m) return 0;
    const s = (+(m[2] || 0)) * 86400 + (+m[3]) * 3600 + (+m[4]) * 60 + (+m[5]);
    return m[1] ? -s : s;
  },
  duration(totalSeconds) {
    const s = Math.max(0, Math.floor(totalSeconds));
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return h > 0 ? `${h}h ${String(m).padStart(2, "0")}m` : `${m}m ${String(r).padStart(2, "0")}s`;
  },
  pct(v) { return v === null || v === undefined ? "–" : `${Math.round(v * 100)}%`; },
  num(v) { return v === null || v === undefined ? "–" : Math.round(v).toLocaleString("en"); },
  el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  },
  svg(tag, attrs, text) {
    const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  },
};
