// The page at / of `treaty-sim serve`: it sends the scenario to the server and shows the
// answer. No rule of the simulator is here: every date shown comes from /v1/run and
// /v1/report. The date control only rewrites the scenario's text.
"use strict";

const $ = (id) => document.getElementById(id);
const NOTICE = /\{\s*at:\s*[^,}]+,\s*by:\s*[^,}]+,\s*do:\s*notify\s*\}/;
let treaties = [];
let asked = 0;

function noticeLine() {
  return `{at: ${$("notice-date").value}, by: ${$("party").value}, do: notify}`;
}

function template(row) {
  return `name: ${row.treaty}, a notice\ntreaty: ${row.name}\nactions:\n  - ${noticeLine()}\n`;
}

function chosenTreaty() {
  return treaties.find((row) => row.name === $("treaty").value);
}

function fillParties(row) {
  const party = $("party");
  party.replaceChildren(...row.parties.map((name) => new Option(name, name)));
}

function cell(row, values) {
  const tr = document.createElement("tr");
  for (const value of values) {
    const td = document.createElement("td");
    td.textContent = value === null || value === undefined ? "" : String(value);
    tr.append(td);
  }
  row.append(tr);
}

function showProblem(text) {
  $("problem").hidden = !text;
  $("problem").textContent = text || "";
}

async function send(path, extra) {
  const query = new URLSearchParams(extra || {});
  if ($("interpretation").value) query.set("interpretation", $("interpretation").value);
  const url = query.toString() ? `${path}?${query}` : path;
  return fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/yaml" },
    body: $("scenario").value,
  });
}

async function redraw() {
  const mine = ++asked;
  $("outcome").textContent = "Running...";
  const [run, picture] = await Promise.all([send("/v1/run"), send("/v1/report", { format: "svg" })]);
  if (mine !== asked) return;  // a later answer is on its way
  if (!run.ok) {
    const problem = await run.json();
    $("outcome").textContent = `${problem.title} (${problem.status})`;
    $("outcome").dataset.terminatedAt = "";
    showProblem(problem.detail);
    return;
  }
  showProblem("");
  const timeline = await run.json();
  const ended = timeline.terminated_at;
  $("outcome").dataset.terminatedAt = ended || "";
  const parties = timeline.parties
    .map((p) => `${p.party} ${p.bound_until ? "bound until " + p.bound_until : "still bound"}`)
    .join("; ");
  $("outcome").textContent = (ended ? `Terminated at ${ended}` :
    `In force at the horizon ${timeline.horizon}`) + `; ${parties}`;
  const terms = $("terms").tBodies[0];
  terms.replaceChildren();
  for (const t of timeline.terms) {
    cell(terms, [t.number, t.start, t.end, t.last_day, t.notice_deadline, t.outcome]);
  }
  const events = $("events").tBodies[0];
  events.replaceChildren();
  for (const e of timeline.events) {
    cell(events, [e.at, e.kind, e.by, e.effective, e.reason]);
  }
  const svg = new DOMParser().parseFromString(await picture.text(), "image/svg+xml");
  $("picture").replaceChildren(document.importNode(svg.documentElement, true));
}

function noticeChanged() {
  const text = $("scenario").value;
  if (NOTICE.test(text)) {
    $("scenario").value = text.replace(NOTICE, noticeLine());
  } else {
    const row = chosenTreaty();
    if (row) $("scenario").value = template(row);
  }
  redraw();
}

function treatyChanged() {
  const row = chosenTreaty();
  fillParties(row);
  $("scenario").value = template(row);
  redraw();
}

async function start() {
  $("notice-date").value = new Date().toISOString().slice(0, 10);
  const answer = await fetch("/v1/treaties");
  treaties = (await answer.json()).treaties;
  $("treaty").replaceChildren(...treaties.map((row) => new Option(row.treaty, row.name)));
  if (treaties.some((row) => row.name === "gsomia")) $("treaty").value = "gsomia";
  $("treaty").addEventListener("change", treatyChanged);
  $("party").addEventListener("change", noticeChanged);
  $("notice-date").addEventListener("change", noticeChanged);
  $("interpretation").addEventListener("change", redraw);
  $("form").addEventListener("submit", (event) => { event.preventDefault(); redraw(); });
  treatyChanged();
}

start();
