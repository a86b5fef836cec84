// bcikit live view: draws the frames the server sends over server-sent events.
"use strict";
const token = new URLSearchParams(location.search).get("token") || "";
const $ = (id) => document.getElementById(id);

function drawTraces(f) {
  const cv = $("traces"), g = cv.getContext("2d");
  const rows = f.traces ? f.traces.length : 0;
  cv.height = Math.max(200, Math.min(1600, rows * 22));
  g.clearRect(0, 0, cv.width, cv.height);
  if (!rows) return;
  const h = cv.height / rows, left = 60, w = cv.width - left - 4;
  const points = Math.max(...f.traces.map((t) => t.length), 1);
  g.font = "11px sans-serif";
  f.traces.forEach((tr, c) => {
    const mid = h * (c + 0.5);
    g.fillStyle = "#333";
    g.fillText(f.channels[c] || "", 4, mid + 4);
    if (!tr.length) return;
    // Robust scale: the 95th percentile of |x - median|.
    const s = [...tr].sort((a, b) => a - b), med = s[s.length >> 1];
    const dev = tr.map((x) => Math.abs(x - med)).sort((a, b) => a - b);
    const scale = (dev[Math.floor(dev.length * 0.95)] || 1e-12) * 2.2 || 1;
    g.strokeStyle = c % 2 ? "#246" : "#642";
    g.beginPath();
    const x0 = left + w * (1 - tr.length / points);
    tr.forEach((v, i) => {
      const x = x0 + (w * i) / points, y = mid - ((v - med) / scale) * (h / 2);
      i ? g.lineTo(x, y) : g.moveTo(x, y);
    });
    g.stroke();
  });
}

function drawPSD(p) {
  const cv = $("psd"), g = cv.getContext("2d");
  g.clearRect(0, 0, cv.width, cv.height);
  if (!p || !p.freqs || !p.freqs.length) return;
  let lo = Infinity, hi = -Infinity;
  p.log10_power.forEach((r) => r.forEach((v) => { lo = Math.min(lo, v); hi = Math.max(hi, v); }));
  if (hi <= lo) hi = lo + 1;
  const fmax = p.freqs[p.freqs.length - 1] || 1, W = cv.width - 30, H = cv.height - 20;
  const X = (f) => 25 + (W * f) / fmax, Y = (v) => 5 + H * (1 - (v - lo) / (hi - lo));
  g.strokeStyle = "rgba(40,80,140,0.25)";
  p.log10_power.forEach((r) => {
    g.beginPath();
    r.forEach((v, i) => (i ? g.lineTo(X(p.freqs[i]), Y(v)) : g.moveTo(X(p.freqs[i]), Y(v))));
    g.stroke();
  });
  g.fillStyle = "#333";
  g.font = "10px sans-serif";
  for (let f = 0; f <= fmax; f += 10) g.fillText(String(f), X(f) - 4, cv.height - 3);
}

function drawDecisions(f) {
  const d = f.decisions || [];
  if (!d.length) return;
  const last = d[d.length - 1];
  $("decision").textContent = (last.name || last.class) + "  (sample " + last.sample + ")";
  const probs = $("probs");
  probs.innerHTML = "";
  Object.entries(last.probabilities || {}).forEach(([k, v]) => {
    const b = document.createElement("div");
    b.className = "bar";
    b.style.width = Math.max(2, Math.min(100, 100 * Math.abs(v))) + "%";
    b.textContent = k + " " + v.toFixed(3);
    probs.appendChild(b);
  });
  $("history").innerHTML = d.slice().reverse().map((x) =>
    "<li>" + (x.name || x.class) + " @" + x.sample + " (" + x.latency_ms.toFixed(2) + " ms)</li>").join("");
}

function show(f) {
  if (f.title) $("title").textContent = f.title;
  $("samples").textContent = f.samples;
  $("seconds").textContent = f.seconds;
  const l = f.latency_ms || {};
  if (l.n) {
    $("lat-last").textContent = l.last.toFixed(2);
    $("lat-p50").textContent = l.p50.toFixed(2);
    $("lat-p99").textContent = l.p99.toFixed(2);
  }
  drawTraces(f);
  drawPSD(f.psd);
  drawDecisions(f);
}

// Tell the server, once a second, which frame was drawn (it shows the page
// is live; tests read it).
let lastAck = 0;
function ack(f) {
  const now = Date.now();
  if (now - lastAck < 1000) return;
  lastAck = now;
  fetch("ack?token=" + encodeURIComponent(token) + "&seq=" + f.seq + "&samples=" + f.samples, { method: "POST", keepalive: true }).catch(() => {});
}

const es = new EventSource("events?token=" + encodeURIComponent(token));
es.onopen = () => { $("status").textContent = "live"; };
es.onerror = () => { $("status").textContent = "reconnecting…"; };
es.onmessage = (ev) => {
  try { const f = JSON.parse(ev.data); show(f); ack(f); } catch (e) { $("status").textContent = "bad frame: " + e; }
};
