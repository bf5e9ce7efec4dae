// Reading tools of the articles, certificates and booking forms: a print button ([data-print]) and
// A−/A+ ([data-text-size]) that step the article's text size, remembered on this device.
(function () {
  var SIZES = ["1rem", "1.15rem", "1.3rem", "1.45rem"];
  var KEY = "qingfeng-text-size";

  function apply(step) {
    var article = document.getElementById("article");
    if (article) {
      article.style.fontSize = SIZES[step];
    }
  }

  function stored() {
    try {
      var value = parseInt(window.localStorage.getItem(KEY) || "0", 10);
      return Math.min(Math.max(isNaN(value) ? 0 : value, 0), SIZES.length - 1);
    } catch (error) {
      return 0;
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    apply(stored());
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
      return;
    }
    var sizer = event.target.closest("[data-text-size]");
    if (sizer) {
      var step = Math.min(Math.max(stored() + parseInt(sizer.getAttribute("data-text-size"), 10), 0), SIZES.length - 1);
      try {
        window.localStorage.setItem(KEY, String(step));
      } catch (error) {
        // private browsing: the size holds for this page only
      }
      apply(step);
    }
  });
})();
