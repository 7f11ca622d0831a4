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
  // shards that exist: no 404s. Commas, not spaces: "84 85 86 87 88 89" would read as a phone number
  var keys = new Set(results.dataset.prefixes.split(","));
  var PAGE = 8, PAIR = "_", cache = {};

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

  // The shard holding a term: the one whose key is the longest prefix of the term (keys are
  // two letters, longer where bulletin/search.py split a big shard). null: no such term.
  function shardOf(term) {
    for (var length = term.length; length >= 2; length--) {
      if (keys.has(term.slice(0, length))) return term.slice(0, length);
    }
    return null;
  }

  // Postings of one query term (a word, or two adjacent words "pho_van"). The last word may
  // be unfinished: when it is not a word of the index, it matches the words it begins (in its
  // shard). A record scores its best matching term.
  function postings(term, last) {
    var key = shardOf(term);
    if (!key) return Promise.resolve({ scores: {}, expanded: false });
    return fetchJSON("t-" + key + ".json").then(function (terms) {
      var scores = {}, expanded = last && !Object.prototype.hasOwnProperty.call(terms, term);
      Object.keys(terms).forEach(function (candidate) {
        var begins = expanded && candidate.indexOf(term) === 0 && candidate.indexOf(PAIR, term.length) < 0;
        if (candidate !== term && !begins) return;
        var flat = terms[candidate], doc = 0;
        for (var i = 0; i < flat.length; i += 2) {
          doc += flat[i];
          scores[doc] = Math.max(scores[doc] || 0, flat[i + 1]);
        }
      });
      return { scores: scores, expanded: expanded };
    });
  }

  function idf(scores) {
    return Math.log(1 + total / (Object.keys(scores).length || 1));
  }

  // Every word must match; adjacent query words found side by side in a title, a name or an
  // honour add to the score, so a whole phrase outranks the same words scattered. A word
  // typed twice ("người tốt việc tốt") counts once. Resolves to the ranked records and
  // whether the last word was taken as a beginning.
  function rank(list) {
    var last = list.length - 1;
    if (!list.length) return Promise.resolve({ docs: [], expanded: false });
    var single = list.filter(function (w, i) { return list.indexOf(w) === i; });
    var pairs = list.slice(1).map(function (w, i) { return [list[i] + PAIR + w, i + 1 === last]; })
      .filter(function (p, i, all) { return all.findIndex(function (q) { return q[0] === p[0]; }) === i; });
    var lookups = single.map(function (w) { return postings(w, w === list[last]); })
      .concat(pairs.map(function (p) { return postings(p[0], p[1]); }));
    return Promise.all(lookups).then(function (all) {
      var combined = null;
      all.slice(0, single.length).forEach(function (found) {
        var weight = idf(found.scores), next = {};
        Object.keys(found.scores).forEach(function (doc) {
          if (combined === null || doc in combined) next[doc] = (combined ? combined[doc] : 0) + found.scores[doc] * weight;
        });
        combined = next;
      });
      all.slice(single.length).forEach(function (found) {
        var weight = idf(found.scores);
        Object.keys(found.scores).forEach(function (doc) {
          if (doc in combined) combined[doc] += found.scores[doc] * weight;
        });
      });
      var docs = Object.keys(combined).map(Number).sort(function (a, b) { return combined[b] - combined[a] || a - b; });
      return { docs: docs, expanded: all[single.indexOf(list[last])].expanded };
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

  // Whether a folded word of a result is one the query asked for: the same word, or, when
  // the last query word was unfinished, a word it begins.
  function asked(folded, w) {
    return folded === w || (w === queryWords[queryWords.length - 1] && expandedLast && folded.indexOf(w) === 0);
  }

  // Marks the words the query matched.
  function highlight(element, text) {
    text.split(/(\s+)/).forEach(function (part) {
      var folded = words(part)[0];
      var hit = folded && queryWords.some(function (w) { return asked(folded, w); });
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

  // Why a record matched when its title does not say it: the facts it is known by (an honour
  // and its years, a tag, a former name, a person) holding the most query words, at most two;
  // none holding a single word of a longer query ("Huỳnh Thị Mai" for "sa huynh").
  function reasons(row) {
    function hits(text) {
      var found = words(text);
      return queryWords.filter(function (w, i) {
        return queryWords.indexOf(w) === i && found.some(function (f) { return asked(f, w); });
      }).length;
    }
    var wanted = new Set(queryWords).size, title = hits(row[1]);
    if (title === wanted) return [];
    var scored = (row[5] || []).map(function (reason) { return { reason: reason, hits: hits(reason[1]) }; });
    var best = Math.max.apply(null, scored.map(function (r) { return r.hits; }).concat(Math.min(2, wanted), title + 1));
    return scored.filter(function (r) { return r.hits === best; }).slice(0, 2).map(function (r) { return r.reason; });
  }

  function item(row) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = new URL(row[0], root).href;
    highlight(link, row[1]);
    var meta = document.createElement("p");
    meta.className = "bulletin-search-results__meta";
    meta.textContent = [row[2], row[3] ? formatDate(row[3]) : ""].filter(Boolean).join(" · ");
    li.append(link, meta);
    reasons(row).forEach(function (reason) {
      var why = document.createElement("p");
      why.className = "bulletin-search-results__why";
      why.append(reason[0] + ": ");
      highlight(why, reason[1]);
      li.append(why);
    });
    var snippet = document.createElement("p");
    highlight(snippet, row[4]);
    li.append(snippet);
    return li;
  }

  var more = document.createElement("button");
  more.type = "button";
  more.className = "bulletin-search-more";
  more.textContent = "Xem thêm kết quả";
  more.hidden = true;
  results.after(more);
  var found = [], shown = 0, queryWords = [], expandedLast = false, generation = 0;

  function showMore() {
    var batch = found.slice(shown, shown + PAGE), current = generation;
    shown += batch.length;
    more.hidden = shown >= found.length;
    return Promise.all(batch.map(record)).then(function (rows) {
      if (current !== generation) return;  // a newer search started meanwhile
      rows.forEach(function (row) { results.appendChild(item(row)); });
    });
  }

  function search() {
    var query = input.value.trim(), current = ++generation;
    results.innerHTML = "";
    more.hidden = true;
    found = [];
    if (!query) { status.textContent = ""; return; }
    status.textContent = "Đang tìm…";
    var list = words(query);
    rank(list).then(function (ranked) {
      return filter(ranked.docs).then(function (docs) {
        if (current !== generation) return;
        queryWords = list;
        expandedLast = ranked.expanded;
        found = docs;
        shown = 0;
        return (docs.length ? showMore() : Promise.resolve()).then(function () {
          if (current !== generation) return;
          status.textContent = docs.length  // set last: the results are on the page when it changes
            ? "Tìm thấy " + docs.length + " kết quả cho «" + query + "»."
            : "Không tìm thấy kết quả nào cho «" + query + "». Hãy thử từ khác, hoặc bỏ bớt bộ lọc.";
        });
      });
    }).catch(function () {
      if (current === generation) status.textContent = "Không tải được chỉ mục tìm kiếm. Hãy thử lại sau.";
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
