// Emergency page: choose, confirm, send; then watch every station's state
// of the command (queued → sent → delivered → playing → aired) as the live
// stream reports it, and stop it if needed.
(function () {
  'use strict';
  var L = window.Loa, t = L.t;
  var form = document.getElementById('em-form');
  if (!form) return;
  var confirmBox = document.getElementById('em-confirm');
  var progress = document.getElementById('em-progress');
  var rows = document.getElementById('emp-rows');
  var pending = null, sent = null; // the request to confirm; the one sent

  function checked(name) {
    return Array.prototype.filter.call(form.querySelectorAll('input[name=' + name + ']'), function (c) { return c.checked; })
      .map(function (c) { return c.value; });
  }

  function request() {
    return {
      kind: 'emergency_play', all: form.elements.all.checked, groups: checked('groups'), stations: checked('stations'),
      segment_id: Number(form.elements.segment_id.value || 0), repeat: Number(form.elements.repeat.value || 1)
    };
  }

  // stationsOf lists the stations a request reaches, as the page knows them.
  function stationsOf(req) {
    return Array.prototype.filter.call(form.querySelectorAll('input[name=stations]'), function (c) {
      var groups = (c.dataset.groups || '').split(',');
      return req.all || req.stations.indexOf(c.value) >= 0 || req.groups.some(function (g) { return groups.indexOf(g) >= 0; });
    }).map(function (c) { return { id: c.value, label: c.parentNode.textContent.trim() }; });
  }

  function fieldOf(f) { return f === 'segment_id' ? 'segment_id' : (f === 'targets' || f === 'stations' || f === 'groups' ? 'all' : f); }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    L.clearErrors(form);
    pending = request();
    var sel = form.elements.segment_id;
    document.getElementById('emc-item').textContent = sel.selectedIndex > 0 ? sel.options[sel.selectedIndex].text : '—';
    document.getElementById('emc-targets').textContent = stationsOf(pending).map(function (s) { return s.label; }).join(', ') || '—';
    confirmBox.showModal();
  });
  document.getElementById('emc-cancel').addEventListener('click', function () { confirmBox.close(); });
  document.getElementById('emc-go').addEventListener('click', function () {
    confirmBox.close();
    var req = pending;
    L.api('POST', '/api/commands', req).then(function (res) {
      if (!res.ok) { L.showError(form, { message: res.error.message, field: fieldOf(res.error.field) }); return; }
      sent = { id: res.data.id, req: req, stations: stationsOf(req) };
      document.getElementById('emp-summary').textContent = t('em_sent', res.data.stations);
      rows.textContent = '';
      sent.stations.forEach(function (s) {
        var tr = document.createElement('tr');
        tr.dataset.station = s.id;
        tr.innerHTML = '<td></td><td class="online"></td><td><span class="state"></span><div class="bad problem" role="alert"></div></td>';
        tr.firstChild.textContent = s.label;
        rows.appendChild(tr);
      });
      progress.hidden = false;
      progress.scrollIntoView();
    });
  });

  document.addEventListener('loa:stations', function (ev) {
    if (!sent) return;
    ev.detail.forEach(function (st) {
      var tr = rows.querySelector('tr[data-station="' + CSS.escape(st.id) + '"]');
      if (!tr) return;
      tr.querySelector('.online').textContent = st.online ? t('online') : t('offline');
      var cmd = (st.commands || []).filter(function (c) { return c.id === sent.id; })[0];
      if (cmd) {
        tr.querySelector('.state').textContent = t('state.' + cmd.state) + (cmd.error ? ' — ' + cmd.error : '');
        tr.dataset.state = cmd.state;
      }
    });
  });

  // A station that has the command but does not play it within the
  // server's bound is a problem, in red and in the server's words (its
  // command_not_playing alert), not progress.
  setInterval(function () {
    if (!sent) return;
    L.api('GET', '/api/alerts').then(function (res) {
      if (!res.ok) return;
      var stuck = {};
      res.data.forEach(function (a) {
        if (a.kind === 'command_not_playing' && (a.commands || []).some(function (c) { return c.id === sent.id; })) stuck[a.station] = a.message;
      });
      rows.querySelectorAll('tr[data-station]').forEach(function (tr) {
        var msg = stuck[tr.dataset.station] || '';
        tr.querySelector('.problem').textContent = msg;
        tr.classList.toggle('bad', msg !== '');
      });
    });
  }, 5000);

  document.getElementById('em-stop').addEventListener('click', function () {
    if (!sent) return;
    var req = { kind: 'emergency_stop', all: sent.req.all, groups: sent.req.groups, stations: sent.req.stations };
    L.api('POST', '/api/commands', req).then(function (res) {
      document.getElementById('em-stop-ok').textContent = res.ok ? t('em_stopped') : res.error.message;
    });
  });
})();
