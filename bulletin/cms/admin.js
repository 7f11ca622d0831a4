// The form speaks Vietnamese whatever the browser's language, unless the editor chose
// another in its settings (Sveltia CMS keeps that choice under "sveltia-cms.prefs").
(function () {
  var key = "sveltia-cms.prefs";
  try {
    var prefs = JSON.parse(localStorage.getItem(key) || "{}") || {};
    if (!prefs.locale) {
      prefs.locale = "vi";
      localStorage.setItem(key, JSON.stringify(prefs));
    }
  } catch (error) {
    // no storage (private window): the browser's language decides
  }
})();
