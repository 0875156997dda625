// Run by the site build (bytecode.py) under Node.js: start Pyodide from WORK/pyodide, mount
// WORK, and let compile_wheels.py turn each wheel in WORK/in into one of bytecode in WORK/out.
import path from "node:path";
import fs from "node:fs";
import { createRequire } from "node:module";

const work = path.resolve(process.argv[2]);
// pyodide.js, the loader the page uses, is a UMD script: required, not imported
const { loadPyodide } = createRequire(import.meta.url)(path.join(work, "pyodide", "pyodide.js"));
const pyodide = await loadPyodide({
  indexURL: path.join(work, "pyodide") + path.sep,
  stdout: () => {},
  stderr: console.error,
});
pyodide.FS.mkdir("/work");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: work }, "/work");
pyodide.runPython(fs.readFileSync(path.join(work, "compile_wheels.py"), "utf8"));
