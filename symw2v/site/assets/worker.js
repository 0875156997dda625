// The page's Python: Pyodide with symw2v, in a web worker so that the page stays responsive.
// Everything is loaded from this site's own origin (site.json lists the wheels).
// Messages in: {id, kind: "preview" | "check" | "document", request: JSON text}.
// Messages out: {type: "stage", text}, {type: "ready", options}, {type: "progress", id, data},
// {type: "answer", id, data}, {type: "failed", id, message}.
"use strict";

importScripts("pyodide/pyodide.js");

const here = (path) => new URL(path, self.location.href).href;
const post = (message) => self.postMessage(message);

async function start() {
  const began = performance.now();
  post({ type: "stage", text: "Loading the Python runtime (Pyodide)…" });
  const site = await (await fetch(here("site.json"))).json();
  const pyodide = await loadPyodide({
    indexURL: here("pyodide/"),
    stdout: () => {},
    stderr: () => {},
  });
  post({ type: "stage", text: `Installing ${site.wheels.map((w) => w.file.split("-")[0]).join(", ")}…` });
  await pyodide.loadPackage(
    site.wheels.map((w) => here(`wheels/${w.file}`)),
    { messageCallback: () => {}, errorCallback: (text) => post({ type: "stage", text }) },
  );
  post({ type: "stage", text: "Importing symw2v and SymPy…" });
  const page = pyodide.pyimport("symw2v.site.page");
  post({ type: "ready", options: page.options(), site, seconds: (performance.now() - began) / 1000 });
  return page;
}

const ready = start();
ready.catch((error) => post({ type: "failed", id: null, message: String(error) }));

const HANDLERS = {
  preview: (page, request) => page.preview(request),
  check: (page, request) => page.check(request),
  document: (page, request, id) =>
    page.check_text(request, (data) => post({ type: "progress", id, data })),
};

self.onmessage = async (event) => {
  const { id, kind, request } = event.data;
  try {
    const page = await ready;
    const handler = HANDLERS[kind];
    if (!handler) throw new Error(`unknown request ${kind}`);
    post({ type: "answer", id, data: handler(page, request, id) });
  } catch (error) {
    post({ type: "failed", id, message: String(error) });
  }
};
