// Live view: the list of chats and one chat's messages, kept up to date by server-sent
// events. Text goes in with textContent only: patients' words never become markup.
(function () {
  "use strict";

  function badge(text, kind) {
    var span = document.createElement("span");
    span.className = "badge " + kind;
    span.textContent = text;
    return span;
  }

  function cell(row, content) {
    var td = document.createElement("td");
    if (typeof content === "string") { td.textContent = content; } else { td.appendChild(content); }
    row.appendChild(td);
    return td;
  }

  function renderRows(table, rows) {
    var body = table.tBodies[0];
    body.textContent = "";
    rows.forEach(function (item) {
      var tr = document.createElement("tr");
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.last;
      cell(tr, link);
      cell(tr, item.channel);
      cell(tr, item.preview);
      var status = cell(tr, "");
      if (item.joined) { status.appendChild(badge("With " + item.joined, "joined")); }
      else if (item.asked) { status.appendChild(badge("Asked for a person", "flag-human_requested")); }
      if (item.urgent) { status.appendChild(badge("Emergency advice", "flag-urgent")); }
      body.appendChild(tr);
    });
    document.getElementById("live-empty").hidden = rows.length > 0;
  }

  function appendTurns(list, turns) {
    turns.forEach(function (turn) {
      var li = document.createElement("li");
      li.className = "turn " + turn.who;
      var who = document.createElement("span");
      who.className = "who";
      who.textContent = turn.who === "patient" ? "Patient" : turn.who === "staff" ? turn.name : "Assistant";
      var at = document.createElement("time");
      at.textContent = turn.at;
      var text = document.createElement("p");
      text.textContent = turn.text;
      li.append(who, " ", at, text);
      list.appendChild(li);
      list.dataset.after = String(turn.id);
    });
    if (turns.length) { list.lastElementChild.scrollIntoView({ block: "nearest" }); }
  }

  var table = document.getElementById("live-list");
  if (table) {
    new EventSource(table.dataset.stream).addEventListener("rows", function (event) {
      renderRows(table, JSON.parse(event.data));
    });
  }
  var list = document.getElementById("live-turns");
  if (list) {
    var open = function () {
      var source = new EventSource(list.dataset.stream + "?after=" + list.dataset.after);
      source.addEventListener("turns", function (event) { appendTurns(list, JSON.parse(event.data)); });
      source.onerror = function () { source.close(); setTimeout(open, 2000); };
    };
    open();
  }
})();
