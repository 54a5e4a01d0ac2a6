// Reports page: print the page as it is (the print style hides the menu
// and the forms); a custom range clears the period list's choice.
(function () {
  'use strict';
  var print = document.getElementById('print');
  if (print) print.addEventListener('click', function () { window.print(); });
})();
