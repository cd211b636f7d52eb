// Parse Mermaid diagrams with the real Mermaid parser (npm `mermaid`, under jsdom) and print JSON.
//
// Usage: node tests/mermaid/parse.mjs [--labels] FILE...   (no FILE: one diagram on standard input)
// Prints one JSON array, one entry per diagram in argument order:
//   {"file": FILE, "ok": true, "type": "flowchart-v2"}  or  {"file": FILE, "ok": false, "error": "..."}
// With --labels, a parsed flowchart's entry also has the texts as the parser read them, before
// Mermaid decodes its entities at drawing time:
//   "nodes": {ID: TEXT}, "edges": [[FROM, TO, TEXT]], "subgraphs": {ID: TITLE}
// Exit status: 0 when every diagram parsed, 1 when one did not.
// Several diagrams per run, because starting node and loading mermaid takes about a second.

import { readFileSync } from "node:fs";

const { JSDOM } = await import("jsdom");
// Mermaid (and DOMPurify inside it) wants a browser: give it jsdom's window before loading it.
const dom = new JSDOM("<!DOCTYPE html><html><body></body></html>", { pretendToBeVisual: true });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });

const args = process.argv.slice(2);
const labels = args.includes("--labels");
const files = args.filter((arg) => arg !== "--labels");
const inputs = files.length ? files.map((file) => [file, readFileSync(file, "utf8")]) : [["-", readFileSync(0, "utf8")]];

function texts(diagram) {
  const db = diagram.db;
  const nodes = {};
  for (const [id, vertex] of db.getVertices()) nodes[id] = vertex.text;
  const edges = db.getEdges().map((edge) => [edge.start, edge.end, edge.text]);
  const subgraphs = {};
  for (const subgraph of db.getSubGraphs()) subgraphs[subgraph.id] = subgraph.title;
  return { nodes, edges, subgraphs };
}

const results = [];
for (const [file, text] of inputs) {
  try {
    const parsed = await mermaid.parse(text);
    const result = { file, ok: true, type: parsed && parsed.diagramType };
    if (labels) Object.assign(result, texts(await mermaid.mermaidAPI.getDiagramFromText(text)));
    results.push(result);
  } catch (error) {
    results.push({ file, ok: false, error: String((error && error.message) || error) });
  }
}
process.stdout.write(JSON.stringify(results, null, 1) + "\n");
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
