// Search for boletin: fetches only the index files a query needs. No library, no CDN.
(function () {
  "use strict";
  var form = document.querySelector("form.buscador");
  if (!form || !window.fetch) return;
  var base = form.getAttribute("data-base");
  var prefixes = (form.getAttribute("data-prefijos") || "").split(" ");
  var chunk = parseInt(form.getAttribute("data-bloque"), 10) || 500;
  var input = form.querySelector("input");
  var out = document.getElementById("resultados");
  var cache = {};

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .split(/[^a-z0-9]+/).filter(function (t) { return t.length >= 2; });
  }
  function get(path) {
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (r) { return r.ok ? r.json() : {}; });
    }
    return cache[path];
  }
  function postings(term, last) {
    var prefix = term.slice(0, 2);
    if (prefixes.indexOf(prefix) < 0) return Promise.resolve({});
    return get("buscar/indice/" + prefix + ".json").then(function (shard) {
      var found = {};
      Object.keys(shard).forEach(function (token) {
        // The last word may be unfinished: it matches tokens that start with it.
        if (token === term || (last && token.indexOf(term) === 0)) {
          // "title|summary|text": each a list of base-36 differences between document numbers.
          shard[token].split("|").forEach(function (group, g) {
            var id = 0;
            if (!group) return;
            group.split(",").forEach(function (delta) {
              id += parseInt(delta, 36);
              found[id] = Math.max(found[id] || 0, 3 - g);
            });
          });
        }
      });
      return found;
    });
  }
  function text(tag, content, cls) {
    var el = document.createElement(tag);
    el.textContent = content;
    if (cls) el.className = cls;
    return el;
  }
  function show(query, docs) {
    out.textContent = "";
    var n = docs.length;
    out.appendChild(text("p", n === 0 ? "No se encontró nada para «" + query + "»." :
      n + (n === 1 ? " resultado" : " resultados") + " para «" + query + "».", "resultados__resumen"));
    var list = document.createElement("ol");
    list.className = "resultados__lista";
    docs.slice(0, 50).forEach(function (d) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = d[0];
      a.textContent = d[1];
      li.appendChild(a);
      li.appendChild(text("span", " · " + d[2], "cantidad"));
      if (d[3]) li.appendChild(text("p", d[3]));
      list.appendChild(li);
    });
    out.appendChild(list);
  }
  function search(query) {
    var terms = fold(query);
    if (!terms.length) { out.textContent = ""; return; }
    Promise.all(terms.map(function (t, i) { return postings(t, i === terms.length - 1); })).then(function (lists) {
      var score = {};
      Object.keys(lists[0]).forEach(function (d) {
        var total = 0;
        for (var i = 0; i < lists.length; i++) {
          if (!(d in lists[i])) return;
          total += lists[i][d];
        }
        score[d] = total;
      });
      var ids = Object.keys(score).map(Number).sort(function (a, b) { return score[b] - score[a] || a - b; }).slice(0, 50);
      var chunks = {};
      ids.forEach(function (id) { chunks[Math.floor(id / chunk)] = true; });
      return Promise.all(Object.keys(chunks).map(function (c) {
        return get("buscar/docs/" + c + ".json").then(function (list) { return [Number(c), list]; });
      })).then(function (loaded) {
        var byChunk = {};
        loaded.forEach(function (l) { byChunk[l[0]] = l[1]; });
        show(query, ids.map(function (id) { return byChunk[Math.floor(id / chunk)][id % chunk]; }).filter(Boolean));
      });
    });
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var q = input.value.trim();
    history.replaceState(null, "", "?q=" + encodeURIComponent(q));
    search(q);
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; search(initial); }
})();
