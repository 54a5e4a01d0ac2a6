// Emergency page: choose, check, confirm (the focus on Cancel), send;
// then watch every target station's state of the command (queued → sent →
// delivered → playing → aired) as the live stream reports it, and stop it
// if needed. The page itself lists the recent emergencies with their
// states, so the progress is still there after leaving and coming back.
(function () {
  'use strict';
  var L = window.Loa, t = L.t;
  var form = document.getElementById('em-form');
  if (!form) return;
  var confirmBox = document.getElementById('em-confirm');
  var progress = document.getElementById('em-progress');
  var rows = document.getElementById('emp-rows');
  var recent = document.querySelector('#em-recent tbody');
  var finalStates = ['done', 'failed', 'expired', ''];
  var pending = null; // the request to confirm

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

  // problems says what is missing before anything is confirmed.
  function problems(req) {
    var out = [];
    if (!req.segment_id) out.push({ field: 'segment_id', message: t('em_need_item') });
    if (!stationsOf(req).length && !req.groups.length) out.push({ field: 'all', message: t('em_need_targets') });
    if (!(req.repeat >= 1 && req.repeat <= 10)) out.push({ field: 'repeat', message: t('em_need_repeat') });
    return out;
  }

  function fieldOf(f) { return f === 'segment_id' ? 'segment_id' : (f === 'targets' || f === 'stations' || f === 'groups' ? 'all' : f); }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    L.clearErrors(form);
    pending = request();
    var bad = problems(pending);
    if (bad.length) {
      bad.reverse().forEach(function (p) { L.showError(form, p); }); // the focus ends on the first
      return;
    }
    var sel = form.elements.segment_id;
    document.getElementById('emc-item').textContent = sel.options[sel.selectedIndex].text;
    document.getElementById('emc-targets').textContent = stationsOf(pending).map(function (s) { return s.label; }).join(', ');
    confirmBox.showModal();
    document.getElementById('emc-cancel').focus(); // a slip of Enter must not broadcast
  });
  document.getElementById('emc-cancel').addEventListener('click', function () { confirmBox.close(); });
  document.getElementById('emc-go').addEventListener('click', function () {
    confirmBox.close();
    var req = pending;
    L.api('POST', '/api/commands', req).then(function (res) {
      if (!res.ok) { L.showError(form, { message: res.error.message, field: fieldOf(res.error.field) }); return; }
      show(res.data.id, stationsOf(req), res.data.stations);
      listed(res.data.id, stationsOf(req), form.elements.segment_id);
    });
  });

  // show makes the progress section follow a command just sent.
  function show(id, stations, n) {
    progress.dataset.command = id;
    progress.dataset.stations = stations.map(function (s) { return s.id; }).join(',');
    document.getElementById('emp-summary').textContent = t('em_sent', n);
    rows.textContent = '';
    stations.forEach(function (s) {
      var tr = document.createElement('tr');
      tr.dataset.station = s.id;
      tr.innerHTML = '<td></td><td class="online"></td><td><span class="state"></span><div class="bad problem" role="alert"></div></td>';
      tr.firstChild.textContent = s.label;
      tr.children[1].dataset.label = rows.dataset.labelOnline; // the phone's stacked rows name each cell
      tr.children[2].dataset.label = rows.dataset.labelState;
      rows.appendChild(tr);
    });
    progress.hidden = false;
    progress.scrollIntoView();
  }

  // listed puts an emergency just sent at the top of the recent ones, as
  // the server lists it on the next visit.
  function listed(id, stations, sel) {
    var box = document.getElementById('em-recent'), body = box.querySelector('tbody');
    if (!body) {
      box.querySelectorAll('p.muted').forEach(function (p) { p.remove(); });
      box.insertAdjacentHTML('beforeend', '<div class="table-wrap"><table class="stack"><tbody></tbody></table></div>');
      body = recent = box.querySelector('tbody');
    }
    var when = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false })
      .format(new Date()).replace(',', '');
    var tr = document.createElement('tr');
    tr.dataset.command = id;
    tr.dataset.stations = stations.map(function (s) { return s.id; }).join(',');
    tr.innerHTML = '<td></td><td></td><td></td><td class="em-counts"></td>';
    tr.children[0].textContent = when;
    tr.children[1].textContent = sel.options[sel.selectedIndex].text;
    tr.children[2].textContent = t('em_you');
    body.insertBefore(tr, body.firstChild);
  }

  function stateText(c) { return t('state.' + c.state) + (c.error ? ' — ' + c.error : ''); }

  document.addEventListener('loa:stations', function (ev) {
    var byCommand = {}; // command id → station id → its state
    ev.detail.forEach(function (st) {
      (st.commands || []).forEach(function (c) { (byCommand[c.id] = byCommand[c.id] || {})[st.id] = c; });
    });
    var id = progress.dataset.command;
    if (id) {
      ev.detail.forEach(function (st) {
        var tr = rows.querySelector('tr[data-station="' + CSS.escape(st.id) + '"]');
        if (!tr) return;
        tr.querySelector('.online').textContent = st.online ? t('online') : t('offline');
        var c = (byCommand[id] || {})[st.id];
        if (c) {
          tr.querySelector('.state').textContent = stateText(c);
          tr.dataset.state = c.state;
        }
      });
    }
    if (recent) recent.querySelectorAll('tr[data-command]').forEach(function (tr) { count(tr, byCommand[tr.dataset.command] || {}); });
  });

  // count words how many of an emergency's stations are in each state.
  function count(tr, states) {
    var n = {};
    tr.dataset.stations.split(',').forEach(function (s) {
      var st = states[s] ? states[s].state : '';
      n[st] = (n[st] || 0) + 1;
    });
    var all = ['queued', 'sent', 'delivered', 'playing', 'done', 'failed', 'expired', ''];
    tr.querySelector('.em-counts').textContent = all.filter(function (s) { return s in n; })
      .map(function (s) { return t('state.' + s) + ': ' + n[s]; }).join(', ');
  }

  // A station that has the command but does not play it within the
  // server's bound is a problem, in red and in the server's words (its
  // command_not_playing alert), not progress.
  setInterval(function () {
    var id = progress.dataset.command;
    if (!id) return;
    var done = Array.prototype.every.call(rows.querySelectorAll('tr[data-station]'), function (tr) { return finalStates.indexOf(tr.dataset.state || '') >= 0 && tr.dataset.state; });
    if (done) return;
    L.api('GET', '/api/alerts').then(function (res) {
      if (!res.ok) return;
      var stuck = {};
      res.data.forEach(function (a) {
        if (a.kind === 'command_not_playing' && (a.commands || []).some(function (c) { return c.id === id; })) stuck[a.station] = a.message;
      });
      rows.querySelectorAll('tr[data-station]').forEach(function (tr) {
        var msg = stuck[tr.dataset.station] || '';
        tr.querySelector('.problem').textContent = msg;
        tr.classList.toggle('bad', msg !== '');
      });
    });
  }, 5000);

  document.getElementById('em-stop').addEventListener('click', function () {
    var stations = (progress.dataset.stations || '').split(',').filter(Boolean);
    if (!stations.length) return;
    L.api('POST', '/api/commands', { kind: 'emergency_stop', stations: stations }).then(function (res) {
      document.getElementById('em-stop-ok').textContent = res.ok ? t('em_stopped') : res.error.message;
    });
  });

  // Who may send an emergency: the administrator's setting.
  var who = document.getElementById('em-who');
  if (who) who.addEventListener('submit', function (ev) {
    ev.preventDefault();
    L.clearErrors(who);
    var roles = Array.prototype.filter.call(who.querySelectorAll('input[name=roles]'), function (c) { return c.checked; })
      .map(function (c) { return c.value; });
    L.api('PUT', '/api/settings/emergency', { roles: roles }).then(function (res) {
      if (!res.ok) { L.showError(who, { message: res.error.message, field: res.error.field }); return; }
      var names = res.data.roles.map(function (r) { return who.querySelector('input[value="' + r + '"]').parentNode.textContent.trim(); });
      document.getElementById('em-who-ok').textContent = t('em_who_saved', names.join(', '));
    });
  });
})();
