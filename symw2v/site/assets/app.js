// The checker page: the forms, the typeset preview and the results.  Python (symw2v in
// Pyodide) runs in worker.js; a check that runs past the command line's time limit is
// stopped by terminating the worker, which is then started afresh.
"use strict";

const GRACE_S = 5; // as the command line: a check is stopped at 1.1 × its limit + 5 s
const CHAIN_CHECKS = 6; // a document's equation may be a chain: it may take this many limits
const EXAMPLES = [
  {
    label: "eq. 13 of the reference derivation",
    loss: "negative-sampling", wrt: "v_c", case: "",
    claim: String.raw`-\boldsymbol{u}_o^T (1 - \sigma(\boldsymbol{u}_o^T \boldsymbol{v}_c)) - \sum_{k=1}^K \boldsymbol{u}_k^T (1 - \sigma(\boldsymbol{u}_k^T \boldsymbol{v}_c))`,
  },
  {
    label: "eq. 13, corrected",
    loss: "negative-sampling", wrt: "v_c", case: "",
    claim: "(sigma(u_o^T v_c) - 1) u_o + sum_k (1 - sigma(-u_k^T v_c)) u_k",
  },
  { label: "softmax ∂J/∂v_c", loss: "softmax", wrt: "v_c", case: "", claim: "U (yhat - y)" },
  { label: "∂J/∂u_w, w ≠ o", loss: "softmax", wrt: "u_w", case: "w != o", claim: String.raw`\hat{y}_w \boldsymbol{v}_c` },
];

const $ = (id) => document.getElementById(id);
const el = (tag, attributes = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
};
// MathML from symw2v's sanitiser (allow-listed elements and attributes, escaped text): the
// one place the page inserts markup; all other text goes in as text
const math = (markup) => {
  const box = el("div", { class: "math" });
  box.innerHTML = markup;
  return box;
};

// ---- Python in a worker, with the time limit -------------------------------------------

class Python {
  constructor() {
    this.next = 1;
    this.pending = new Map();
    this.readyAt = null;
    this.options = null;
    this.began = performance.now();
    this.start();
  }

  start() {
    this.isReady = false;
    enableChecks(false);
    this.worker = new Worker("worker.js");
    this.worker.onmessage = (event) => this.received(event.data);
    this.worker.onerror = (event) => showStatus(`Python could not start: ${event.message}`, "failed");
  }

  received(message) {
    if (message.type === "stage") return showStatus(message.text, "busy");
    if (message.type === "ready") return this.ready(message);
    const waiting = this.pending.get(message.id);
    if (message.type === "failed" && message.id === null) return showStatus(`Python could not start: ${message.message}`, "failed");
    if (!waiting) return;
    if (message.type === "progress") {
      this.arm(waiting);
      return waiting.onProgress && waiting.onProgress(JSON.parse(message.data));
    }
    this.pending.delete(message.id);
    clearTimeout(waiting.timer);
    if (message.type === "answer") waiting.resolve(JSON.parse(message.data));
    else waiting.reject(new Error(message.message));
  }

  ready(message) {
    this.options = JSON.parse(message.options);
    this.site = message.site;
    if (this.readyAt === null) {
      this.readyAt = performance.now();
      window.symw2vTimings.ready_s = (this.readyAt - this.began) / 1000;
      schedulePreview();
    }
    this.isReady = true;
    enableChecks(true);
    showStatus(`Python is ready (loaded in ${message.seconds.toFixed(1)} s): symw2v ${this.site.symw2v} on Pyodide ${this.site.pyodide}.`, "ready");
  }

  // send a request; past limitS seconds (renewed by each progress message) the worker is stopped
  ask(kind, request, { limitS = null, onProgress = null } = {}) {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      const waiting = { resolve, reject, limitS, onProgress, timer: null };
      this.pending.set(id, waiting);
      this.arm(waiting);
      this.worker.postMessage({ id, kind, request: JSON.stringify(request) });
    });
  }

  arm(waiting) {
    clearTimeout(waiting.timer);
    if (waiting.limitS) waiting.timer = setTimeout(() => this.stop(), (waiting.limitS * 1.1 + GRACE_S) * 1000);
  }

  // the only way to stop a computation inside WebAssembly: end the worker, start another
  stop() {
    this.worker.terminate();
    for (const waiting of this.pending.values()) {
      clearTimeout(waiting.timer);
      waiting.reject(Object.assign(new Error("time limit"), { timeLimit: true }));
    }
    this.pending.clear();
    showStatus("The check ran past its time limit; restarting Python…", "busy");
    this.start();
  }
}

function enableChecks(enabled) {
  $("check").disabled = !enabled;
  $("check-document").disabled = !enabled;
}

window.symw2vTimings = { ready_s: null, checks: [] };
const python = new Python();

// the status line; while busy it counts the seconds, so a slow start never looks stuck
let statusTimer = null;
function showStatus(text, state) {
  clearInterval(statusTimer);
  $("status").className = `status ${state}`;
  $("status-text").textContent = text;
  if (state !== "busy") return;
  const since = performance.now();
  statusTimer = setInterval(() => {
    $("status-text").textContent = `${text} ${Math.floor((performance.now() - since) / 1000)} s`;
  }, 1000);
}

// ---- the forms ------------------------------------------------------------------------

function fill(select, values, labels = {}) {
  select.replaceChildren(...values.map((value) => el("option", { value }, labels[value] ?? value)));
}

let choices = null; // the form's options, from site.json

function setUp(options, site) {
  choices = options;
  fill($("loss"), options.losses.map((l) => l.name));
  $("loss").value = "negative-sampling";
  fill($("wrt"), options.wrt);
  $("m").min = String(options.m.low);
  $("m").max = String(options.m.high);
  $("m").value = String(options.m.default);
  fill($("case"), options.cases, { "": "every case" });
  for (const select of document.querySelectorAll("select.profile")) {
    fill(select, ["", ...options.profiles.map((p) => p.name)], { "": "none (inferred)" });
    select.value = site.profile || "";
  }
  fillQuestions();
  fill($("suffix"), options.suffixes, { ".md": "Markdown (.md)", ".tex": "LaTeX (.tex)", ".ipynb": "notebook (.ipynb)" });
  $("examples").replaceChildren(...EXAMPLES.map((example) => {
    const button = el("button", { type: "button", class: "example" }, example.label);
    button.addEventListener("click", () => useExample(example));
    return button;
  }));
  $("footer").textContent = `symw2v ${site.symw2v} · SymPy in Pyodide ${site.pyodide} (Python ${site.python}) · `
    + `the same checks as \`symw2v check\`, time limit ${options.time_limit_s} s per claim · nothing you type leaves this page`;
  updateAsked();
}

// the written questions of the chosen profile: picking one sets the loss, variable and case
function fillQuestions() {
  const asked = (choices.questions || {})[$("profile").value] || [];
  const labels = { "": asked.length ? "choose one, or the loss and variable" : "none for these conventions" };
  asked.forEach((q, index) => { labels[String(index)] = `${q.label} ${q.title}`; });
  fill($("question"), ["", ...asked.map((_, index) => String(index))], labels);
}

function useQuestion() {
  const asked = ((choices.questions || {})[$("profile").value] || [])[Number($("question").value)];
  if (!$("question").value || !asked) return;
  $("loss").value = asked.loss;
  $("wrt").value = asked.wrt;
  $("case").value = asked.case;
  updateAsked();
}

function useExample(example) {
  $("loss").value = example.loss;
  $("wrt").value = example.wrt;
  $("case").value = example.case;
  $("question").value = "";
  $("claim").value = example.claim;
  updateAsked();
  schedulePreview();
}

function updateAsked() {
  // J itself: an identity about the loss (part (a)), answered as J = …
  $("asked").textContent = $("wrt").value === "J" ? "J" : `∂J/∂${$("wrt").value}`;
  // the window's half-width, only for a loss over a window
  $("window-size").hidden = !(choices && choices.windowed.includes($("loss").value));
}

function claimRequest() {
  return {
    loss: $("loss").value, wrt: $("wrt").value, case: $("case").value,
    profile: $("profile").value, syntax: $("syntax").value, claim: $("claim").value,
    ...($("window-size").hidden ? {} : { m: $("m").value }),
  };
}

// ---- typeset as you type --------------------------------------------------------------

let previewTimer = null;
let previewing = false;
let previewAgain = false;

function schedulePreview() {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(preview, 200);
}

async function preview() {
  if (previewing) { previewAgain = true; return; }
  previewing = true;
  const request = claimRequest();
  try {
    if (!request.claim.trim()) $("preview").replaceChildren();
    else {
      const answer = await python.ask("preview", request);
      $("preview").replaceChildren(answer.error ? el("pre", { class: "error" }, answer.error) : math(answer.mathml));
    }
  } catch (error) {
    // a preview stopped with a check that ran out of time: the next keystroke retries
  } finally {
    previewing = false;
    if (previewAgain) { previewAgain = false; schedulePreview(); }
  }
}

// ---- results --------------------------------------------------------------------------

function resultCard(shown, headline) {
  const result = shown.result;
  const card = el("article", { class: `result ${result.verdict}`, "data-verdict": result.verdict });
  const seconds = typeof result.seconds === "number" ? `${result.seconds.toFixed(2)} s` : "";
  card.append(el("header", {},
    el("span", { class: "verdict" }, result.verdict),
    el("span", { class: "what" }, headline),
    el("span", { class: "seconds" }, seconds)));
  if (shown.mathml.claim) card.append(el("div", { class: "formula" }, el("span", { class: "label" }, "claim"), math(shown.mathml.claim)));
  if (shown.mathml.residual) card.append(el("div", { class: "formula" }, el("span", { class: "label" }, "claimed − derived"), math(shown.mathml.residual)));
  card.append(el("pre", { class: "text" }, shown.text.join("\n")));
  return card;
}

// a claim stopped by the page: the command line's words for a worker past the time limit
function stoppedCard(request, limitS) {
  const text = [
    `undecided: ∂J/∂${request.wrt} = ${request.claim.replace(/\s+/g, " ")}`,
    "  method: time limit",
    `  message: the check ran past its time limit of ${limitS} s and was stopped`,
  ];
  return resultCard({ result: { verdict: "undecided", seconds: limitS }, text, mathml: {} }, `∂J/∂${request.wrt}`);
}

function errorCard(message) {
  return el("article", { class: "result parse-error", "data-verdict": "error" },
    el("header", {}, el("span", { class: "verdict" }, "error")), el("pre", { class: "text" }, `symw2v: error: ${message}`));
}

async function checkClaim(event) {
  event.preventDefault();
  const request = claimRequest();
  const limitS = python.options.time_limit_s;
  enableChecks(false);
  showStatus("Checking: deriving the gradient and proving…", "busy");
  const started = performance.now();
  let card;
  try {
    const answer = await python.ask("check", request, { limitS });
    card = answer.error ? errorCard(answer.error) : resultCard(answer, `∂J/∂${request.wrt}${request.case ? ` (${request.case})` : ""}`);
  } catch (error) {
    card = error.timeLimit ? stoppedCard(request, limitS) : errorCard(error.message);
  }
  const ms = performance.now() - started;
  window.symw2vTimings.checks.push({ kind: "claim", ms, sinceLoad_ms: performance.now() - python.began });
  card.setAttribute("data-ms", ms.toFixed(0));
  $("claim-result").replaceChildren(card);
  if (python.isReady) {
    enableChecks(true);
    showStatus(`Checked in ${(ms / 1000).toFixed(1)} s.`, "ready");
  }
}

async function checkDocument(event) {
  event.preventDefault();
  const request = { text: $("document").value, suffix: $("suffix").value, profile: $("document-profile").value };
  const limitS = python.options.time_limit_s;
  const list = el("div", { class: "document" });
  $("document-result").replaceChildren(list);
  enableChecks(false);
  showStatus("Checking the document's equations…", "busy");
  const started = performance.now();
  const onProgress = (shown) => {
    list.append(resultCard(shown, shown.result.id));
    showStatus(`Checking the document: ${list.children.length} equation(s) checked…`, "busy");
  };
  let summary;
  try {
    const answer = await python.ask("document", request, { limitS: limitS * CHAIN_CHECKS, onProgress });
    summary = answer.error ? errorCard(answer.error) : documentSummary(answer);
    (answer.lines || []).forEach((line, index) => {
      const what = list.children[index] && list.children[index].querySelector(".what");
      if (what && line) what.textContent += ` (line ${line})`;
    });
  } catch (error) {
    summary = errorCard(error.timeLimit
      ? `an equation ran past its time limit (${limitS} s a check) and was stopped; the ones above were checked`
      : error.message);
  }
  const ms = performance.now() - started;
  window.symw2vTimings.checks.push({ kind: "document", ms });
  summary.setAttribute("data-ms", ms.toFixed(0));
  $("document-result").prepend(summary);
  if (python.isReady) {
    enableChecks(true);
    showStatus(`Checked in ${(ms / 1000).toFixed(1)} s.`, "ready");
  }
}

function documentSummary(answer) {
  const counts = {};
  for (const claim of answer.claims) counts[claim.verdict] = (counts[claim.verdict] || 0) + 1;
  const tally = Object.keys(counts).sort().map((v) => `${counts[v]} ${v}`).join(", ") || "no equation ∂J/∂x = … found";
  const box = el("section", { class: "summary", "data-verdict": "summary" },
    el("h2", {}, `${answer.claims.length} equation(s) checked, ${answer.skipped.length} skipped: ${tally}`));
  for (const note of answer.notes) box.append(el("p", { class: "note" }, `note: ${note}`));
  if (answer.skipped.length) {
    box.append(el("ul", { class: "skipped" }, ...answer.skipped.map((s) =>
      el("li", {}, `${s.id}${s.line ? ` (line ${s.line})` : ""}: skipped: ${s.reason}`))));
  }
  return box;
}

async function openFile() {
  const file = $("file").files[0];
  if (!file) return;
  const suffix = file.name.slice(file.name.lastIndexOf(".")).toLowerCase();
  if (choices && choices.suffixes.includes(suffix)) $("suffix").value = suffix;
  $("document").value = await file.text();
}

function showTab(name) {
  for (const other of ["claim", "document"]) {
    $(`tab-${other}`).setAttribute("aria-selected", String(other === name));
    $(`panel-${other}`).hidden = other !== name;
  }
}

// the form's choices are in site.json: the page is usable while Python loads
fetch("site.json").then((response) => response.json()).then((site) => setUp(site.options, site));

$("claim-form").addEventListener("submit", checkClaim);
$("document-form").addEventListener("submit", checkDocument);
$("claim").addEventListener("input", schedulePreview);
$("syntax").addEventListener("change", schedulePreview);
$("wrt").addEventListener("change", updateAsked);
$("loss").addEventListener("change", updateAsked);
$("question").addEventListener("change", useQuestion);
$("profile").addEventListener("change", fillQuestions);
for (const id of ["loss", "wrt", "case"]) $(id).addEventListener("change", () => { $("question").value = ""; });
$("file").addEventListener("change", openFile);
$("tab-claim").addEventListener("click", () => showTab("claim"));
$("tab-document").addEventListener("click", () => showTab("document"));
