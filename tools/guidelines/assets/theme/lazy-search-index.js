/* Fetch the search index only when the reader starts a search. Material requests it on every page
 * load, and for these guidelines it is the largest file a first visit would download (about 170 KB
 * compressed per language, against a budget of 100 KB for the whole first visit). The request is
 * held back until the search box gets focus, its toggle is clicked, or a search shortcut is pressed. */
(function () {
  var held = [];
  var armed = false;
  var INDEX = /\/search\/search_index\.json(?:$|\?)/;
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;

  function arm() {
    if (armed) return;
    armed = true;
    held.splice(0).forEach(function (release) { release(); });
  }

  XMLHttpRequest.prototype.open = function (method, url) {
    this.guidelinesIndex = INDEX.test(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this;
    var args = arguments;
    if (!request.guidelinesIndex || armed) return send.apply(request, args);
    held.push(function () { send.apply(request, args); });
  };

  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches(".md-search__input")) arm();
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[for=__search], .md-search")) arm();
  });
  document.addEventListener("keydown", function (event) {
    if (["/", "s", "f", "S", "F"].indexOf(event.key) !== -1) arm();  // Material's search shortcuts
  });
})();
