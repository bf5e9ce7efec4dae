// Every public page: with scripts, the phone layout folds the header's tools, navigation and
// search box behind the 菜单 button (site.css, .js rules); without scripts they stay open.
document.documentElement.classList.add("js");
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-menu]");
  if (!button) {
    return;
  }
  var header = button.closest(".site-header");
  var open = header.classList.toggle("menu-open");
  button.setAttribute("aria-expanded", open ? "true" : "false");
});
