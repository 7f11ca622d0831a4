// Search page (/tim-kiem/): reads the static index shards written by bulletin/search.py.
// Queries are folded like the index (tones removed, đ -> d), so "duc pho" finds "Đức Phổ".
// A search fetches only the shards of its words and the records it shows.
(function () {
  "use strict";
  var results = document.querySelector("[data-search-results]");
  if (!results) return;
  var form = document.querySelector("[data-search-form]");
  var status = document.querySelector("[data-search-status]");
  var input = form.elements.q, kind = form.elements.loai, year = form.elements.nam;
  var root = new URL("../../", document.currentScript ? document.currentScript.src : location.href);
  var total = Number(results.dataset.docs), shardSize = Number(results.dataset.shard);
  var prefixes = new Set(results.dataset.prefixes.split(" "));  // shards that exist: no 404s
  var PAGE = 8, cache = {};

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[đĐ\u00d0\u00f0]/g, "d").toLowerCase();
  }
  function words(text) {
    return (fold(text).match(/[a-z0-9]+/g) || []).filter(function (w) { return w.length > 1; });
  }
  function fetchJSON(name) {
    if (!cache[name]) {
      cache[name] = fetch(new URL("tim-kiem/chi-muc/" + name, root)).then(function (r) {
        return r.ok ? r.json() : {};
      });
    }
    return cache[name];
  }

  // Postings of one query word: exact, or every word it begins (the last word, while typing).
  function postings(word, prefix) {
    if (!prefixes.has(word.slice(0, 2))) return Promise.resolve({});
    return fetchJSON("t-" + word.slice(0, 2) + ".json").then(function (terms) {
      var scores = {};
      Object.keys(terms).forEach(function (term) {
        if (term !== word && !(prefix && term.indexOf(word) === 0)) return;
        var flat = terms[term], doc = 0, bonus = term === word ? 2 : 1;
        for (var i = 0; i < flat.length; i += 2) {
          doc += flat[i];
          scores[doc] = (scores[doc] || 0) + flat[i + 1] * bonus;
        }
      });
      return scores;
    });
  }

  function rank(query) {
    var list = words(query);
    if (!list.length) return Promise.resolve([]);
    return Promise.all(list.map(function (w, i) { return postings(w, i === list.length - 1); })).then(function (all) {
      var combined = null;
      all.forEach(function (scores) {
        var matched = Object.keys(scores).length || 1;
        var idf = Math.log(1 + total / matched);
        var next = {};
        Object.keys(scores).forEach(function (doc) {
          if (combined === null || doc in combined) next[doc] = (combined ? combined[doc] : 0) + scores[doc] * idf;
        });
        combined = next;  // every word must match
      });
      return Object.keys(combined).map(Number).sort(function (a, b) { return combined[b] - combined[a] || a - b; });
    });
  }

  function filter(docs) {
    if (!kind.value && !year.value) return Promise.resolve(docs);
    return fetchJSON("a.json").then(function (attrs) {
      return docs.filter(function (doc) {
        return (!kind.value || attrs[doc][0] === Number(kind.value)) && (!year.value || attrs[doc][1] === Number(year.value));
      });
    });
  }

  function record(doc) {
    return fetchJSON("d-" + Math.floor(doc / shardSize) + ".json").then(function (rows) { return rows[doc % shardSize]; });
  }

  function highlight(element, text, queryWords) {
    text.split(/(\s+)/).forEach(function (part) {
      var folded = words(part)[0];
      var hit = folded && queryWords.some(function (w) { return folded.indexOf(w) === 0; });
      if (hit) {
        var mark = document.createElement("mark");
        mark.textContent = part;
        element.appendChild(mark);
      } else {
        element.appendChild(document.createTextNode(part));
      }
    });
  }

  function formatDate(iso) {
    var p = iso.split("-");
    return Number(p[2]) + "/" + Number(p[1]) + "/" + p[0];
  }

  function item(row, queryWords) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = new URL(row[0], root).href;
    highlight(link, row[1], queryWords);
    var meta = document.createElement("p");
    meta.className = "bulletin-search-results__meta";
    meta.textContent = [row[2], row[3] ? formatDate(row[3]) : ""].filter(Boolean).join(" · ");
    var snippet = document.createElement("p");
    highlight(snippet, row[4], queryWords);
    li.append(link, meta, snippet);
    return li;
  }

  var more = document.createElement("button");
  more.type = "button";
  more.className = "bulletin-search-more";
  more.textContent = "Xem thêm kết quả";
  more.hidden = true;
  results.after(more);
  var found = [], shown = 0, queryWords = [];

  function showMore() {
    var batch = found.slice(shown, shown + PAGE);
    shown += batch.length;
    more.hidden = shown >= found.length;
    return Promise.all(batch.map(record)).then(function (rows) {
      rows.forEach(function (row) { results.appendChild(item(row, queryWords)); });
    });
  }

  function search() {
    var query = input.value.trim();
    results.innerHTML = "";
    more.hidden = true;
    if (!query) { status.textContent = ""; return; }
    status.textContent = "Đang tìm…";
    queryWords = words(query);
    rank(query).then(filter).then(function (docs) {
      found = docs;
      shown = 0;
      return (docs.length ? showMore() : Promise.resolve()).then(function () {
        status.textContent = docs.length  // set last: the results are on the page when it changes
          ? "Tìm thấy " + docs.length + " kết quả cho «" + query + "»."
          : "Không tìm thấy kết quả nào cho «" + query + "». Hãy thử từ khác, hoặc bỏ bớt bộ lọc.";
      });
    }).catch(function () {
      status.textContent = "Không tải được chỉ mục tìm kiếm. Hãy thử lại sau.";
    });
  }

  more.addEventListener("click", showMore);
  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  kind.value = params.get("loai") || "";
  year.value = params.get("nam") || "";
  search();
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var url = new URL(location.href);
    url.search = new URLSearchParams({ q: input.value, loai: kind.value, nam: year.value }).toString();
    history.replaceState(null, "", url);
    search();
  });
})();
