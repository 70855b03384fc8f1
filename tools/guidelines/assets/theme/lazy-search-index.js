/* Fetch the search index only when the reader starts a search. Material requests it on every page
 * load, and for these guidelines it is the largest file a first visit would download (about 170 KB
 * compressed per language, against a budget of 100 KB for the whole first visit). The request is
 * held back until the search box gets focus, its toggle is clicked, or a search shortcut is pressed.
 * It also goes to the page's own language index (named by a <meta> tag the toolkit writes), not to
 * the site root's: Material's base stays the root so that its version selector works. */
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
    var args = Array.prototype.slice.call(arguments);
    this.guidelinesIndex = INDEX.test(String(url));
    var own = document.querySelector('meta[name="guidelines:search-index"]');
    if (this.guidelinesIndex && own) args[1] = new URL(own.getAttribute("content"), location.href).href;
    return open.apply(this, args);
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
