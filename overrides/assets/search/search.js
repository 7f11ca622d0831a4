// Search page: Pagefind, with queries folded like the index (tones removed, đ -> d).
// Loaded on every page but does nothing outside /tim-kiem/; Pagefind is fetched only there.
(function () {
  "use strict";
  var results = document.querySelector("[data-search-results]");
  if (!results) return;
  var form = document.querySelector("[data-search-form]");
  var status = document.querySelector("[data-search-status]");
  var input = form.elements.q, kind = form.elements.loai, year = form.elements.nam;
  var root = new URL("../../", document.currentScript ? document.currentScript.src : location.href);
  var pagefind = null;
  var PAGE = 8;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[đĐ\u00d0\u00f0]/g, "d").toLowerCase();
  }

  // The index holds "Đức duc": drop each folded twin, moving its highlight to the word.
  function dropTwins(html) {
    var out = [];
    html.split(" ").forEach(function (token) {
      var plain = token.replace(/<\/?mark>/g, "");
      var prev = out.length ? out[out.length - 1].replace(/<\/?mark>/g, "") : "";
      var word = plain.replace(/[^\p{L}\p{N}]+$/u, "");
      var prevWord = prev.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
      if (prevWord && /[đĐ]/.test(prevWord) && fold(prevWord) === word) {
        var tail = plain.slice(word.length);
        var last = out[out.length - 1];
        if (token.indexOf("<mark>") >= 0 && last.indexOf("<mark>") < 0) last = "<mark>" + prev + "</mark>";
        out[out.length - 1] = last + tail;
        return;
      }
      out.push(token);
    });
    return out.join(" ");
  }

  function formatDate(iso) {
    var p = iso.split("-");
    return Number(p[2]) + "/" + Number(p[1]) + "/" + p[0];
  }

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
        // Exact words over prefixes, and less pull towards short pages (tuned on the sample site).
        return pf.options({ excerptLength: 30, ranking: { termSimilarity: 8, pageLength: 0.5, termSaturation: 2 } }).then(function () { return pf; });
      });
    }
    return pagefind;
  }

  function fillFilters(pf) {
    return pf.filters().then(function (filters) {
      [[kind, filters["loại"]], [year, filters["năm"]]].forEach(function (pair) {
        var select = pair[0], values = Object.keys(pair[1] || {}).sort().reverse();
        if (select === kind) values.sort();
        values.forEach(function (value) {
          var option = document.createElement("option");
          option.value = option.textContent = value;
          select.appendChild(option);
        });
      });
    });
  }

  var more = document.createElement("button");
  more.type = "button";
  more.className = "bulletin-search-more";
  more.textContent = "Xem thêm kết quả";
  more.hidden = true;
  results.after(more);
  var current = null, shown = 0;

  function item(data) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta.title || data.url;
    var meta = document.createElement("p");
    meta.className = "bulletin-search-results__meta";
    meta.textContent = [data.meta.kind || "Trang", data.meta.date ? formatDate(data.meta.date) : ""].filter(Boolean).join(" · ");
    var excerpt = document.createElement("p");
    excerpt.innerHTML = dropTwins(data.excerpt);  // Pagefind escapes the text; only <mark> is markup
    li.append(link, meta, excerpt);
    return li;
  }

  // Each result's data is one small fetch: show a page of results at a time.
  function showMore() {
    var batch = current.results.slice(shown, shown + PAGE);
    shown += batch.length;
    more.hidden = shown >= current.results.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
      items.forEach(function (data) { results.appendChild(item(data)); });
    });
  }

  function search() {
    var query = input.value.trim();
    results.innerHTML = "";
    more.hidden = true;
    if (!query) { status.textContent = ""; return; }
    status.textContent = "Đang tìm…";
    var filters = {};
    if (kind.value) filters["loại"] = kind.value;
    if (year.value) filters["năm"] = year.value;
    load().then(function (pf) {
      return pf.search(fold(query), { filters: filters });
    }).then(function (response) {
      current = response;
      shown = 0;
      var found = response.results.length;
      return (found ? showMore() : Promise.resolve()).then(function () {
        status.textContent = found  // set last: the results are on the page when it changes
          ? "Tìm thấy " + found + " kết quả cho «" + query + "»."
          : "Không tìm thấy kết quả nào cho «" + query + "». Hãy thử từ khác, hoặc bỏ bớt bộ lọc.";
      });
    }).catch(function () {
      status.textContent = "Không tải được chỉ mục tìm kiếm. Hãy thử lại sau.";
    });
  }

  more.addEventListener("click", showMore);

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  load().then(fillFilters).then(function () {
    kind.value = params.get("loai") || "";
    year.value = params.get("nam") || "";
    search();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var url = new URL(location.href);
    url.search = new URLSearchParams({ q: input.value, loai: kind.value, nam: year.value }).toString();
    history.replaceState(null, "", url);
    search();
  });
})();
