// The andon board: one tile per machine, fed by server-sent events from /api/stream.
"use strict";
(() => {
  const board = document.getElementById("board");
  const tiles = new Map();

  function tile(id) {
    let t = tiles.get(id);
    if (t) return t;
    // A div, not a link: the order buttons live in the tile, and a button inside a link is not allowed. The name
    // and the figures link to the machine page.
    const d = EdgeOps.el("div", { class: "tile", "data-machine": id });
    const href = `/machine/${encodeURIComponent(id)}`;
    d.innerHTML = `<a class="tile-link" href="${href}"><h2 class="name"></h2><div class="state"></div><div class="since"></div><div class="reason"></div>
      <div class="figures">
        <div>Good<b class="good"></b></div><div>Reject<b class="reject"></b></div>
        <div>OEE<b class="oee"></b></div><div class="apq"></div>
        <div>Rate / target<b class="rate"></b></div><div>Projected<b class="projected"></b></div>
      </div></a>`;
    board.appendChild(d);
    t = {
      root: d,
      q: (c) => d.querySelector("." + c),
      order: EdgeOpsOrders.section(d, id),
    };
    tiles.set(id, t);
    return t;
  }

  function render(line) {
    document.getElementById("line-name").textContent = line.line;
    document.getElementById("shift-name").textContent = line.shift ? line.shift.name + (line.shift.inBreak ? " (break)" : "") : "between shifts";
    document.getElementById("shift-left").textContent = line.shift ? EdgeOps.duration(EdgeOps.seconds(line.shift.timeLeft)) : "–";
    document.getElementById("line-output").textContent = EdgeOps.num(line.lineOutput);
    const now = Date.parse(line.timestamp);
    for (const m of line.machines) {
      const t = tile(m.machineId);
      t.root.className = `tile state-${m.state}`;
      t.root.setAttribute("data-state", m.state);
      t.q("name").textContent = m.machineName || m.machineId;
      t.q("state").textContent = `${EdgeOps.stateIcon[m.state] || ""} ${EdgeOps.stateText[m.state] || m.state}`;
      t.q("since").textContent = `for ${EdgeOps.duration((now - Date.parse(m.stateSince)) / 1000)}`;
      t.q("reason").textContent = m.state === "running" ? "" : m.reasonLabel;
      t.q("good").textContent = EdgeOps.num(m.shiftCounts.good);
      t.q("reject").textContent = EdgeOps.num(m.shiftCounts.reject);
      t.q("oee").textContent = EdgeOps.pct(m.kpi.oee);
      t.q("apq").textContent = `A ${EdgeOps.pct(m.kpi.availability)} · P ${EdgeOps.pct(m.kpi.performance)} · Q ${EdgeOps.pct(m.kpi.quality)}`;
      const target = m.capacity.target;
      t.q("rate").textContent = `${EdgeOps.num(m.capacity.actual)} / ${EdgeOps.num(target)}`;
      t.q("projected").textContent = EdgeOps.num(m.capacity.projectedOutput);
      EdgeOpsOrders.render(t.order, m, line);
    }
    EdgeOpsOrders.renderLine(line);
  }

  const status = document.getElementById("link-state");
  const source = new EventSource("/api/stream");
  source.onmessage = (e) => { status.textContent = "live"; render(JSON.parse(e.data)); };
  source.onerror = () => { status.textContent = "⚠ reconnecting…"; };
})();
