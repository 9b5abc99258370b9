// Production orders on the board: per tile the product, the order, its progress and projected finish, and the
// supervisor's buttons (start, pause / resume, complete); one dialog to start an order on a machine or the line.
// The gateway checks everything (the same engine calls as the MQTT commands), so this page only shows its answer.
"use strict";
const EdgeOpsOrders = (() => {
  let products = [];
  let lineId = null;
  const dialog = () => document.getElementById("order-dialog");

  function time(iso) {
    return iso ? new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }) : "–";
  }

  async function post(path, body) {
    const res = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON: the framework's own 400 for a body it cannot read */ }
    return { ok: res.ok, error: json && json.error ? json.error : text || `HTTP ${res.status}`, json };
  }

  // The order part of a tile, under the link to the machine page.
  function section(tile, machineId) {
    const box = EdgeOps.el("div", { class: "order", "data-status": "none" });
    box.innerHTML = `<div class="order-title"><span class="product"></span> <span class="order-id"></span></div>
      <div class="progress"><div class="bar"></div><span class="progress-text"></span></div>
      <div class="finish"></div>
      <div class="order-actions">
        <button type="button" class="start-order">Start order</button>
        <button type="button" class="pause-order" hidden>Pause</button>
        <button type="button" class="complete-order" hidden>Complete</button>
      </div>
      <div class="order-result" role="status"></div>`;
    tile.appendChild(box);
    const q = (c) => box.querySelector("." + c);
    const s = { box, q, machineId, order: null, confirmUntil: 0 };
    q("start-order").onclick = () => open(machineId);
    q("pause-order").onclick = async () => {
      if (!s.order) return;
      const action = s.order.status === "paused" ? "resume" : "pause";
      const r = await post(`/api/orders/${encodeURIComponent(scopeOf(s))}/${action}`, { orderId: s.order.orderId, who: "supervisor" });
      q("order-result").textContent = r.ok ? "" : `Refused: ${r.error}`;
    };
    // Two taps to complete: a brushed button on a tablet must not close an order.
    q("complete-order").onclick = async () => {
      if (!s.order) return;
      const b = q("complete-order");
      if (Date.now() > s.confirmUntil) {
        s.confirmUntil = Date.now() + 5000;
        b.textContent = "Tap again to complete";
        b.classList.add("confirm");
        setTimeout(() => { b.textContent = "Complete"; b.classList.remove("confirm"); }, 5000);
        return;
      }
      s.confirmUntil = 0;
      const r = await post(`/api/orders/${encodeURIComponent(scopeOf(s))}/complete`, { orderId: s.order.orderId, who: "supervisor" });
      q("order-result").textContent = r.ok ? `Completed ${s.order.orderId}` : `Refused: ${r.error}`;
    };
    return s;
  }

  function scopeOf(s) { return s.order && s.order.lineScope ? lineId : s.machineId; }

  function render(s, m, line) {
    lineId = line.line;
    const o = m.order || null;
    s.order = o;
    const { q, box } = s;
    box.setAttribute("data-status", o ? o.status : "none");
    box.setAttribute("data-order", o ? o.orderId : "");
    const product = o ? (o.productName || o.productId) : m.productId;
    q("product").textContent = product ? product : "No product";
    q("order-id").textContent = o ? `· ${o.lineScope ? "line " : ""}order ${o.orderId}${o.status === "paused" ? " (paused)" : ""}` : "· no order";
    const good = o ? o.counts.good : 0;
    const share = o && o.progress !== null && o.progress !== undefined ? Math.min(1, o.progress) : 0;
    q("bar").style.width = `${Math.round(share * 100)}%`;
    q("progress-text").textContent = o ? (o.quantity ? `${EdgeOps.num(good)} / ${EdgeOps.num(o.quantity)} (${EdgeOps.pct(o.progress)})` : EdgeOps.num(good)) : "";
    const finish = q("finish");
    finish.classList.toggle("late", !!o && o.onTime === false);
    finish.textContent = !o ? "" : o.projectedCompletion
      ? `Finish ${time(o.projectedCompletion)}${o.due ? ` · due ${time(o.due)} · ${o.onTime === false ? "LATE" : "on time"}` : ""}`
      : `Finish – (no rate yet)${o.due ? ` · due ${time(o.due)}${o.onTime === false ? " · LATE" : ""}` : ""}`;
    q("pause-order").hidden = !o;
    q("pause-order").textContent = o && o.status === "paused" ? "Resume" : "Pause";
    q("complete-order").hidden = !o;
  }

  // The line's own order in the header (a line order also shows on every machine's tile).
  function renderLine(line) {
    lineId = line.line;
    const el = document.getElementById("line-order");
    if (!el) return;
    const o = line.order;
    el.textContent = o ? `${o.orderId} · ${o.productName || o.productId || "–"} · ${EdgeOps.pct(o.progress)}` : "–";
  }

  async function loadProducts() {
    const r = await fetch("/api/products");
    if (!r.ok) return;
    products = await r.json();
    const list = document.getElementById("product-list");
    const buttons = document.getElementById("product-buttons");
    list.textContent = "";
    buttons.textContent = "";
    for (const p of products) {
      list.appendChild(EdgeOps.el("option", { value: p.id }, p.name));
      const b = EdgeOps.el("button", { type: "button", class: "product-choice", "data-product": p.id }, p.name === p.id ? p.id : `${p.name} (${p.id})`);
      b.onclick = () => pick(p.id);
      buttons.appendChild(b);
    }
  }

  function pick(id) {
    document.getElementById("order-product").value = id;
    for (const b of document.querySelectorAll("#product-buttons .product-choice")) b.classList.toggle("selected", b.dataset.product === id);
  }

  function open(machineId) {
    const d = dialog();
    d.dataset.machine = machineId;
    document.getElementById("order-target").textContent = machineId;
    document.getElementById("order-scope-line").textContent = `Whole line ${lineId || ""}`;
    document.getElementById("order-result").textContent = "";
    d.showModal();
    document.getElementById("order-id").focus();
  }

  async function submit(e) {
    e.preventDefault();
    const d = dialog();
    const scope = document.getElementById("order-scope").value === "line" ? lineId : d.dataset.machine;
    const quantity = document.getElementById("order-quantity").value.trim();
    const due = document.getElementById("order-due").value;
    const result = document.getElementById("order-result");
    result.textContent = "Starting…";
    const r = await post(`/api/orders/${encodeURIComponent(scope)}/start`, {
      orderId: document.getElementById("order-id").value,
      product: document.getElementById("order-product").value.trim(),
      quantity: quantity === "" ? null : Number(quantity),
      due: due ? new Date(due).toISOString() : null,
      who: "supervisor",
    });
    if (!r.ok) { result.textContent = `Refused: ${r.error}`; return; }
    result.textContent = `Started ${r.json.order.orderId}`;
    document.getElementById("order-form").reset();
    pick("");
    d.close();
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("order-form").addEventListener("submit", submit);
    document.getElementById("order-cancel").onclick = () => dialog().close();
    loadProducts();
  });

  return { section, render, renderLine };
})();
