// Machine page, condition monitoring: one chart per monitored analog signal (velocity RMS with its ISO 10816 zone
// bands for vibration, the window mean otherwise), raised alarms and maintenance counters. Plain SVG, no framework.
"use strict";
(() => {
  const id = decodeURIComponent(location.pathname.split("/").pop());
  const zoneColours = { A: "#0d3b1a", B: "#2a3b0d", C: "#4a3600", D: "#4a0d0d" };

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function chart(signal) {
    const svg = EdgeOps.svg("svg", { class: "chart condition-chart", "data-signal": signal.signal, viewBox: "0 0 800 200", role: "img",
      "aria-label": `${signal.signal} ${signal.feature}` });
    const points = signal.history;
    const values = points.map(p => p.value);
    const limits = signal.zoneLimits || null;
    let lo = limits ? 0 : Math.min(...values), hi = Math.max(...values, limits ? limits[1] * 1.15 : -Infinity);
    if (!(hi > lo)) { hi = lo + 1; }
    if (!limits) { const pad = (hi - lo) * 0.1; lo -= pad; hi += pad; }
    const y = (v) => 185 - (Math.min(Math.max(v, lo), hi) - lo) / (hi - lo) * 170;
    if (limits) {
      // Zone bands behind the series: A below the A/B limit ... D above C/D (drawn up to the chart's top).
      const edges = [0, ...limits, Infinity];
      ["A", "B", "C", "D"].forEach((zone, i) => {
        if (edges[i] >= hi) return;
        const top = y(Math.min(edges[i + 1], hi)), bottom = y(edges[i]);
        const band = EdgeOps.svg("rect", { class: `zone zone-${zone}`, "data-zone": zone, x: 50, y: top, width: 745, height: Math.max(0, bottom - top),
          fill: zoneColours[zone] });
        band.appendChild(EdgeOps.svg("title", {}, `ISO 10816 class ${signal.isoClass} zone ${zone}`));
        svg.appendChild(band);
        svg.appendChild(EdgeOps.svg("text", { x: 775, y: Math.max(16, top + 18), class: "zone-label" }, zone));
      });
    }

    if (points.length > 0) {
      const t0 = Date.parse(points[0].time), t1 = Math.max(Date.parse(points[points.length - 1].time), t0 + 1);
      const x = (t) => 50 + (Date.parse(t) - t0) / (t1 - t0) * 720;
      const pts = points.map(p => `${x(p.time).toFixed(1)},${y(p.value).toFixed(1)}`).join(" ");
      svg.appendChild(EdgeOps.svg("polyline", { class: "series", points: pts, fill: "none", stroke: "#3ec1ff", "stroke-width": 4 }));
      const last = points[points.length - 1];
      const latest = signal.latest || {};
      const zone = latest.zone ? ` zone ${latest.zone}` : "";
      const anomaly = latest.anomalyScore !== undefined && latest.anomalyScore !== null ? ` · anomaly ${latest.anomalyScore.toFixed(1)}` : "";
      svg.appendChild(EdgeOps.svg("text", { x: 55, y: 20, class: "latest" },
        `${signal.signal}: ${signal.feature} ${last.value.toFixed(2)} ${signal.unit || ""}${zone}${anomaly}`));
    } else {
      svg.appendChild(EdgeOps.svg("text", { x: 55, y: 20 }, `${signal.signal}: waiting for the first window`));
    }

    svg.appendChild(EdgeOps.svg("text", { x: 5, y: 185 }, lo.toFixed(1)));
    svg.appendChild(EdgeOps.svg("text", { x: 5, y: 30 }, hi.toFixed(1)));
    return svg;
  }

  function alarms(list) {
    const box = document.getElementById("condition-alarms");
    clear(box);
    for (const a of list) {
      box.appendChild(EdgeOps.el("div", { class: `alarm alarm-${a.severity}`, "data-alarm": a.alarm },
        `⚠ ${a.signal}: ${a.alarm} (${a.feature} ${a.value.toFixed(2)} ≥ ${a.threshold}) since ${new Date(a.since).toLocaleTimeString()}`));
    }
  }

  function maintenance(m) {
    const table = document.getElementById("maintenance");
    clear(table);
    if (!m) return;
    table.appendChild(EdgeOps.el("caption", {}, `Maintenance · ${m.runHours.toFixed(1)} run hours, ${EdgeOps.num(m.cycles)} cycles, ${EdgeOps.num(m.starts)} starts`));
    const head = EdgeOps.el("tr");
    ["Item", "Used", "Progress", "Level", "Last reset"].forEach(h => head.appendChild(EdgeOps.el("th", {}, h)));
    table.appendChild(head);
    for (const i of m.items) {
      const tr = EdgeOps.el("tr", { "data-item": i.item, "data-level": i.level });
      const used = [i.everyHours ? `${i.runHours.toFixed(1)} / ${i.everyHours} h` : null,
                    i.everyCycles ? `${EdgeOps.num(i.cycles)} / ${EdgeOps.num(i.everyCycles)} cycles` : null,
                    i.everyStarts ? `${i.starts} / ${i.everyStarts} starts` : null].filter(Boolean).join(", ");
      tr.appendChild(EdgeOps.el("td", {}, i.item));
      tr.appendChild(EdgeOps.el("td", {}, used));
      tr.appendChild(EdgeOps.el("td", {}, EdgeOps.pct(i.progress)));
      tr.appendChild(EdgeOps.el("td", { class: `level level-${i.level}` }, i.level.toUpperCase()));
      tr.appendChild(EdgeOps.el("td", {}, i.lastResetAt ? `${new Date(i.lastResetAt).toLocaleString()} by ${i.lastResetBy}` : "–"));
      table.appendChild(tr);
    }
  }

  async function refresh() {
    const r = await fetch(`/api/condition/${encodeURIComponent(id)}`);
    if (!r.ok) return;
    const c = await r.json();
    const panel = document.getElementById("condition-panel");
    panel.hidden = c.signals.length === 0 && !c.maintenance;
    const charts = document.getElementById("condition-charts");
    clear(charts);
    for (const s of c.signals) charts.appendChild(chart(s));
    alarms(c.alarms);
    maintenance(c.maintenance);
  }

  refresh();
  setInterval(refresh, 2000);
})();
