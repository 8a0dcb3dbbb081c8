// Offline answer form: answers live in localStorage; "Simpan" downloads them as JSON.
// Text is set with textContent only: the script never builds HTML.
(function () {
  "use strict";
  var meta = JSON.parse(document.getElementById("meta").textContent);
  var key = "siaga:" + meta.questionnaire + ":" + meta.version + ":" + (meta.school ? meta.school.npsn : "-");
  var state = load();
  var sections = document.querySelectorAll("section.domain");

  function load() {
    var saved = {};
    try { saved = JSON.parse(localStorage.getItem(key) || "{}") || {}; } catch (e) { saved = {}; }
    return { answers: saved.answers || {}, notes: saved.notes || {}, lang: saved.lang || meta.lang, domain: saved.domain || 0 };
  }
  function store() {
    try { localStorage.setItem(key, JSON.stringify(state)); } catch (e) { say("storage"); }
  }
  function say(id, count) {
    var text = meta.messages[state.lang][id];
    document.getElementById("status").textContent = count === undefined ? text : text.replace("{n}", String(count));
  }
  function progress() {
    var done = meta.questions.filter(function (q) { return state.answers[q] !== undefined; }).length;
    document.getElementById("progress").value = done;
    document.getElementById("count").textContent = done + " / " + meta.questions.length;
  }
  function show(index) {
    index = Math.max(0, Math.min(sections.length - 1, index));
    sections.forEach(function (s, i) { s.hidden = i !== index; });
    document.getElementById("step").textContent = (index + 1) + " / " + sections.length;
    document.getElementById("prev").disabled = index === 0;
    document.getElementById("next").disabled = index === sections.length - 1;
    state.domain = index;
    store();
  }
  function language(lang) {
    state.lang = lang;
    document.documentElement.lang = lang;
    document.getElementById("lang-id").setAttribute("aria-pressed", String(lang === "id"));
    document.getElementById("lang-en").setAttribute("aria-pressed", String(lang === "en"));
    store();
  }

  document.querySelectorAll("input[type=radio]").forEach(function (radio) {
    radio.checked = state.answers[radio.name] === radio.value;
    radio.addEventListener("change", function () {
      state.answers[radio.name] = radio.value;
      store();
      progress();
    });
  });
  document.querySelectorAll("textarea").forEach(function (area) {
    var qid = area.name.slice("note:".length);
    area.value = state.notes[qid] || "";
    area.addEventListener("input", function () {
      if (area.value) { state.notes[qid] = area.value; } else { delete state.notes[qid]; }
      store();
    });
  });
  document.querySelectorAll("button[data-clear]").forEach(function (button) {
    button.addEventListener("click", function () {
      var qid = button.getAttribute("data-clear");
      delete state.answers[qid];
      document.querySelectorAll("input[type=radio]").forEach(function (r) { if (r.name === qid) { r.checked = false; } });
      store();
      progress();
    });
  });
  document.getElementById("prev").addEventListener("click", function () { show(state.domain - 1); window.scrollTo(0, 0); });
  document.getElementById("next").addEventListener("click", function () { show(state.domain + 1); window.scrollTo(0, 0); });
  document.getElementById("lang-id").addEventListener("click", function () { language("id"); });
  document.getElementById("lang-en").addEventListener("click", function () { language("en"); });

  document.getElementById("simpan").addEventListener("click", function () {
    var answers = {};
    var orphans = 0;
    meta.questions.forEach(function (q) {
      var value = state.answers[q];
      var note = state.notes[q];
      if (value === undefined) { if (note) { orphans += 1; } return; }
      value = value === "na" ? "na" : parseInt(value, 10);
      answers[q] = note ? { value: value, note: note } : value;
    });
    var file = { questionnaire: meta.questionnaire, version: meta.version };
    if (meta.school) { file.school = meta.school; }
    file.answers = answers;
    file.form = { format: meta.format, hash: meta.hash, lang: state.lang, saved_at: new Date().toISOString() };
    var blob = new Blob([JSON.stringify(file, null, 2) + "\n"], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = meta.filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
    if (orphans) { say("orphans", orphans); } else { say("saved", Object.keys(answers).length); }
  });

  language(state.lang);
  show(state.domain);
  progress();
})();
