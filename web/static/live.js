// Live station state for the overview, stations and emergency pages, over
// Server-Sent Events. Elements opt in with data attributes:
//   [data-live-station="id"] [data-live=online|last_seen|now_playing|doing|volume|faults]
//   [data-live-count=online|offline]
//   [data-live-command="command id"] with [data-live-command-station="id"]
// Every update also fires "loa:stations" on document with the list.
(function () {
  'use strict';
  if (!window.EventSource) return;
  var t = window.Loa.t;
  var status = document.getElementById('live-status');
  // The page's language, not the browser's: an English browser on a
  // Vietnamese page must keep Vietnamese words in the live cells.
  var es = new EventSource('/api/events?lang=' + encodeURIComponent(document.body.dataset.lang || 'vi'));

  es.addEventListener('open', function () { if (status) status.textContent = t('live_on'); });
  es.addEventListener('error', function () { if (status) status.textContent = t('live_off'); });
  es.addEventListener('stations', function (ev) {
    var list = JSON.parse(ev.data);
    var online = 0;
    list.forEach(function (st) {
      if (st.online) online++;
      document.querySelectorAll('[data-live-station="' + CSS.escape(st.id) + '"]').forEach(function (box) { show(box, st); });
    });
    set('[data-live-count=online]', String(online));
    set('[data-live-count=offline]', String(list.length - online));
    document.dispatchEvent(new CustomEvent('loa:stations', { detail: list }));
  });

  function set(sel, text) { document.querySelectorAll(sel).forEach(function (el) { el.textContent = text; }); }

  function show(box, st) {
    box.dataset.online = st.online ? 'yes' : 'no';
    box.querySelectorAll('[data-live]').forEach(function (el) {
      switch (el.dataset.live) {
        case 'online':
          el.textContent = st.online ? t('online') : t('offline');
          el.className = 'badge ' + (st.online ? 'online' : 'offline');
          break;
        case 'faults': el.textContent = (st.faults || []).join(', '); break;
        default: el.textContent = st[el.dataset.live] === undefined ? '' : String(st[el.dataset.live]);
      }
    });
  }
})();
