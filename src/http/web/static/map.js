// aduan: optional map point on the report form's "where" step (loaded only there). The form works without it.
/* global document, window, fetch, Option */
(function () {
  'use strict';
  var box = document.querySelector('[data-region-map]');
  var lat = document.getElementById('f-lat');
  var lon = document.getElementById('f-lon');
  if (!box || !lat || !lon || !window.fetch) return;
  var details = box.closest('details');
  var loaded = '';
  var NS = 'http://www.w3.org/2000/svg';
  function region() {
    var k = document.getElementById('f-kab');
    var p = document.getElementById('f-prov');
    return (k && k.value) || (p && p.value) || '';
  }
  function say(text) {
    box.hidden = false;
    box.querySelector('p').textContent = text;
  }
  function wire(svg) {
    var k = Number(svg.getAttribute('data-k'));
    var vb = svg.viewBox.baseVal;
    var mark = document.createElementNS(NS, 'circle');
    mark.setAttribute('r', String(Math.max(vb.width, vb.height) * 0.012));
    mark.setAttribute('fill', '#d4351c');
    mark.setAttribute('stroke', '#fff');
    mark.setAttribute('data-point', '');
    function place() {
      var la = parseFloat(lat.value);
      var lo = parseFloat(lon.value);
      if (isNaN(la) || isNaN(lo)) return;
      mark.setAttribute('cx', String(lo * k));
      mark.setAttribute('cy', String(-la * k));
      if (!mark.parentNode) svg.appendChild(mark);
    }
    svg.addEventListener('click', function (e) {
      var pt = svg.createSVGPoint();
      pt.x = e.clientX;
      pt.y = e.clientY;
      var p = pt.matrixTransform(svg.getScreenCTM().inverse());
      lat.value = (-p.y / k).toFixed(5);
      lon.value = (p.x / k).toFixed(5);
      place();
      fill();
    });
    lat.addEventListener('change', place);
    lon.addEventListener('change', place);
    place();
  }
  // The point's province and kab/kota (server point-in-polygon) fill the selects.
  function options(sel, list) {
    if (!sel) return;
    while (sel.options.length > 1) sel.remove(1);
    (list || []).forEach(function (o) {
      sel.add(new Option(o.label, o.value));
    });
    sel.value = '';
  }
  function fill() {
    fetch('/lapor/wilayah-titik?lat=' + lat.value + '&lon=' + lon.value, { credentials: 'same-origin' })
      .then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      })
      .then(function (w) {
        var p = document.getElementById('f-prov');
        var k = document.getElementById('f-kab');
        if (!p || !k) return;
        var same = k.value === w.kab.code;
        if (p.value !== w.prov.code) options(k, w.kabOptions);
        p.value = w.prov.code;
        k.value = w.kab.code;
        if (!same) {
          options(document.getElementById('f-kec'), w.kecOptions);
          options(document.getElementById('f-desa'), []);
        }
        var s = box.querySelector('[data-map-status]');
        if (s) s.textContent = (s.getAttribute('data-filled') || '').replace('{name}', w.kab.name);
      })
      .catch(function () {});
  }
  function load() {
    var code = region();
    if (!code) return say(box.getAttribute('data-need'));
    if (loaded === code) return;
    loaded = code;
    fetch('/lapor/peta.svg?wilayah=' + encodeURIComponent(code), { credentials: 'same-origin' })
      .then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.text();
      })
      .then(function (text) {
        var old = box.querySelector('svg');
        if (old) old.remove();
        box.insertAdjacentHTML('beforeend', text);
        box.hidden = false;
        wire(box.querySelector('svg'));
      })
      .catch(function () {
        loaded = '';
        box.hidden = true;
      });
  }
  if (details) {
    details.addEventListener('toggle', function () {
      if (details.open) load();
    });
    if (details.open) load();
  } else load();
})();
