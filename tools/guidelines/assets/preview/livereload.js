// The preview's live reload (guidelines serve): MkDocs' own script, loaded as a file of the site
// because the pages' Content-Security-Policy refuses inline scripts. The server writes the
// version of the site the page shows and the page's request id on the script tag.
(function () {
  var tag = document.currentScript;
  var epoch = parseFloat(tag.dataset.epoch);
  var requestId = tag.dataset.request;
  var req, timeout;

  var poll = function () {
    req = new XMLHttpRequest();
    req.onloadend = function () {
      if (parseFloat(this.responseText) > epoch) {
        location.reload();
      } else {
        timeout = setTimeout(poll, this.status === 200 ? 0 : 3000);
      }
    };
    req.open("GET", "/livereload/" + epoch + "/" + requestId);
    req.send();
  };

  var stop = function () {
    if (req) {
      req.abort();
    }
    if (timeout) {
      clearTimeout(timeout);
    }
    req = timeout = undefined;
  };

  window.addEventListener("load", function () {
    if (document.visibilityState === "visible") {
      poll();
    }
  });
  window.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      poll();
    } else {
      stop();
    }
  });
  window.addEventListener("beforeunload", stop);
})();
