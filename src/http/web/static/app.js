// aduan progressive enhancement: every page works without this file.
/* global document */
(function () {
  'use strict';
  // Move focus to the error summary so screen-reader and keyboard users hear the problems first (GOV.UK).
  var summary = document.querySelector('[data-module="error-summary"]');
  if (summary) summary.focus();
  // Early privacy hint: warn while typing when the text looks like a NIK, phone number or email.
  var pii = /\b\d{16}\b|(\+62|\b0)8\d{7,11}\b|[^\s@]+@[^\s@]+\.[^\s@]+/;
  document.querySelectorAll('[data-pii-warning]').forEach(function (el) {
    var note = document.getElementById(el.getAttribute('data-pii-warning'));
    if (!note) return;
    var check = function () {
      note.hidden = !pii.test(el.value);
    };
    el.addEventListener('input', check);
    check();
  });
})();
