// A print button ([data-print]) on the printable pages: a booking form, a pledge certificate.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
