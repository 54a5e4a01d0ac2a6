// The overview's station map follows the live station updates: a station
// that goes offline, comes back, or starts or stops playing changes
// colour. Items overdue are known only to the server; a station it found
// silent keeps that colour while online until the page reloads.
(function () {
  'use strict';
  var t = window.Loa.t;
  var colours = {};
  document.querySelectorAll('#station-map [data-legend]').forEach(function (el) {
    colours[el.dataset.legend] = el.querySelector('circle').getAttribute('fill');
  });
  document.querySelectorAll('#station-map [data-state=overdue]').forEach(function (g) { g.dataset.overdue = 'yes'; });
  document.addEventListener('loa:stations', function (ev) {
    ev.detail.forEach(function (st) {
      var g = document.querySelector('#station-map [data-map-station="' + CSS.escape(st.id) + '"]');
      if (!g) return;
      var state = !st.online ? 'offline' : g.dataset.overdue ? 'overdue' : st.now_playing ? 'playing' : 'idle';
      g.dataset.state = state;
      g.querySelector('circle').setAttribute('fill', colours[state]);
      g.querySelector('title').textContent = g.querySelector('text').textContent + ' — ' + t('map.state.' + state);
    });
  });
})();
