// Machine page: charts of the shift so far (plain SVG), downtime reason capture, last closed shifts.
"use strict";
(() => {
  const id = decodeURIComponent(location.pathname.split("/").pop());
  const colours = { running: "#0a7d2c", down: "#c40000", idle: "#b36b00", changeover: "#1f4fbf", plannedStop: "#555", offline: "#333" };
  let selectedStop = null;

  function clear(svg) { while (svg.firstChild) svg.removeChild(svg.firstChild); }

  function drawOutput(points) {
    const svg = document.getElementById("chart-output");
    clear(svg);
    if (points.length < 1) return;
    const t0 = Date.parse(points[0].time), t1 = Math.max(Date.parse(points[points.length - 1].time), t0 + 1);
    const max = Math.max(1, ...points.map(p => Math.max(p.good, p.target || 0)));
    const x = (t) => 50 + (Date.parse(t) - t0) / (t1 - t0) * 730, y = (v) => 200 - v / max * 180;
    const line = (key, colour, dash) => {
      const pts = points.filter(p => p[key] !== null).map(p => `${x(p.time)},${y(p[key])}`).join(" ");
      svg.appendChild(EdgeOps.svg("polyline", { points: pts, fill: "none", stroke: colour, "stroke-width": 4, "stroke-dasharray": dash || "" }));
    };
    line("target", "#aaa", "10 6");
    line("good", "#3ec1ff");
    svg.appendChild(EdgeOps.svg("text", { x: 55, y: 20 }, `max ${EdgeOps.num(max)}  — good (solid), target (dashed)`));
  }

  function drawTimeline(points) {
    const svg = document.getElementById("chart-timeline");
    clear(svg);
    if (points.length < 2) return;
    const t0 = Date.parse(points[0].time), t1 = Math.max(Date.parse(points[points.length - 1].time), t0 + 1);
    for (let i = 0; i < points.length - 1; i++) {
      const a = (Date.parse(points[i].time) - t0) / (t1 - t0) * 800, b = (Date.parse(points[i + 1].time) - t0) / (t1 - t0) * 800;
      const r = EdgeOps.svg("rect", { x: a, y: 5, width: Math.max(1, b - a), height: 50, fill: colours[points[i].state] || "#777", "data-state": points[i].state });
      r.appendChild(EdgeOps.svg("title", {}, `${points[i].state} ${points[i].reasonCode}`));
      svg.appendChild(r);
    }
  }

  function drawPareto(rows) {
    const svg = document.getElementById("chart-pareto");
    clear(svg);
    if (rows.length === 0) { svg.appendChild(EdgeOps.svg("text", { x: 10, y: 30 }, "No downtime this shift")); return; }
    const max = Math.max(1, ...rows.map(r => EdgeOps.seconds(r.duration)));
    rows.slice(0, 8).forEach((r, i) => {
      const s = EdgeOps.seconds(r.duration), y = 10 + i * 31;
      const g = EdgeOps.svg("g", { class: "pareto-row", "data-reason": r.reasonCode });
      g.appendChild(EdgeOps.svg("rect", { x: 260, y, width: Math.max(2, s / max * 420), height: 24, fill: colours[r.category] || "#c40000" }));
      g.appendChild(EdgeOps.svg("text", { x: 5, y: y + 19 }, r.label));
      g.appendChild(EdgeOps.svg("text", { x: 690, y: y + 19 }, `${EdgeOps.duration(s)} ×${r.count}`));
      svg.appendChild(g);
    });
  }

  function drawShifts(shifts) {
    const table = document.getElementById("shifts");
    table.innerHTML = "<tr><th>Shift</th><th>Good</th><th>OEE</th></tr>";
    for (const s of shifts) {
      const tr = EdgeOps.el("tr");
      tr.appendChild(EdgeOps.el("td", {}, s.shiftId));
      tr.appendChild(EdgeOps.el("td", {}, EdgeOps.num(s.counts ? s.counts.good : null)));
      tr.appendChild(EdgeOps.el("td", {}, EdgeOps.pct(s.kpi ? s.kpi.oee : null)));
      table.appendChild(tr);
    }
  }

  async function refresh() {
    const r = await fetch(`/api/machines/${encodeURIComponent(id)}/history`);
    if (!r.ok) return;
    const h = await r.json();
    document.getElementById("machine-name").textContent = h.machine.machineName || id;
    const badge = document.getElementById("machine-state");
    badge.textContent = `${EdgeOps.stateIcon[h.machine.state] || ""} ${EdgeOps.stateText[h.machine.state] || h.machine.state} — ${h.machine.reasonLabel}`;
    badge.className = `state-badge state-${h.machine.state}`;
    drawOutput(h.points);
    drawTimeline(h.points);
    drawPareto(h.machine.kpi.downtimeByReason);
    drawShifts(h.shifts);
  }

  async function loadStops() {
    const r = await fetch(`/api/machines/${encodeURIComponent(id)}/stops`);
    if (!r.ok) return;
    const s = await r.json();
    const box = document.getElementById("stops");
    box.textContent = "";
    const all = [...s.current.map(c => ({ ...c, text: `Current stop (${c.reasonCode})` })),
                 ...s.ended.map(e => ({ ...e, text: `${new Date(e.start).toLocaleTimeString()} · ${EdgeOps.duration(EdgeOps.seconds(e.duration))} (${e.reasonLabel})` }))];
    if (all.length === 0) box.textContent = "No stop to explain.";
    if (selectedStop === null && all.length > 0) selectedStop = all[0].stopId;
    for (const stop of all) {
      const b = EdgeOps.el("button", { class: "stop" + (stop.stopId === selectedStop ? " selected" : ""), "data-stop": stop.stopId }, stop.text);
      b.onclick = () => { selectedStop = stop.stopId; loadStops(); };
      box.appendChild(b);
    }
  }

  async function loadReasons() {
    const r = await fetch(`/api/machines/${encodeURIComponent(id)}/reasons`);
    const reasons = await r.json();
    const box = document.getElementById("reasons");
    for (const reason of reasons) {
      const b = EdgeOps.el("button", { class: "reason", "data-reason": reason.code }, reason.label);
      b.onclick = async () => {
        const result = document.getElementById("reason-result");
        if (selectedStop === null) { result.textContent = "Pick a stop first."; return; }
        const res = await fetch(`/api/machines/${encodeURIComponent(id)}/reason`, {
          method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ stopId: selectedStop, reasonCode: reason.code, who: "operator" }),
        });
        const body = await res.json();
        result.textContent = res.ok ? `Saved: ${reason.label}` : `Refused: ${body.error}`;
        await refresh();
        await loadStops();
      };
      box.appendChild(b);
    }
  }

  loadReasons();
  loadStops();
  refresh();
  setInterval(refresh, 1000);
  setInterval(loadStops, 5000);
})();
