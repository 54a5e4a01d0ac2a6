// Live broadcast page: ask for the microphone, open a live session, send
// 20 ms frames of 16 kHz mono PCM over a websocket while showing the level
// and the time on air; Stop ends it and says which library item the
// recording became. window.loaLive exposes the session's state and, for
// the latency test, the instants (epoch ms) at which loud sound started
// after a pause, as the worklet handed it over.
(function () {
  'use strict';
  var L = window.Loa, t = L.t;
  var form = document.getElementById('oa-form');
  if (!form) return;
  var startBtn = document.getElementById('oa-start'), stopBtn = document.getElementById('oa-stop');
  var status = document.getElementById('oa-status'), meter = document.getElementById('oa-level');
  var elapsed = document.getElementById('oa-elapsed');
  var state = window.loaLive = { phase: 'idle', id: null, onsets: [], frames: 0, segment: 0 };
  var quiet = 0; // frames of quiet in a row
  var audio = null, ws = null, clock = null, onAirAt = 0;

  function checked(name) {
    return Array.prototype.filter.call(form.querySelectorAll('input[name=' + name + ']'), function (c) { return c.checked; })
      .map(function (c) { return c.value; });
  }

  function say(text) { status.textContent = text; }

  function setPhase(p) {
    state.phase = p;
    startBtn.disabled = p !== 'idle';
    stopBtn.disabled = p !== 'on';
    // What is on the air cannot be changed while it is.
    form.querySelectorAll('input, select').forEach(function (el) { el.disabled = p !== 'idle'; });
  }

  function tick() {
    var s = Math.floor((Date.now() - onAirAt) / 1000);
    elapsed.textContent = String(Math.floor(s / 60)).padStart(2, '0') + ':' + String(s % 60).padStart(2, '0');
  }

  // openMic asks for the microphone and starts the worklet; frames go to
  // send once the socket is open.
  function openMic() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return Promise.reject({ name: 'NoMediaDevices' }); // a page not served over https
    }
    return navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: true, autoGainControl: true } })
      .then(function (stream) {
        var ctx = new AudioContext({ latencyHint: 'interactive' });
        return ctx.audioWorklet.addModule('/static/onair-worklet.js').then(function () {
          var node = new AudioWorkletNode(ctx, 'loa-pcm16');
          node.port.onmessage = function (ev) { frame(ev.data); };
          ctx.createMediaStreamSource(stream).connect(node);
          node.connect(ctx.destination); // pulled by the graph; it outputs silence
          audio = { ctx: ctx, stream: stream, node: node };
          return ctx.resume();
        });
      });
  }

  function closeMic() {
    if (!audio) return;
    audio.node.port.onmessage = null;
    audio.stream.getTracks().forEach(function (tr) { tr.stop(); });
    audio.ctx.close();
    audio = null;
    meter.value = 0;
  }

  function frame(d) {
    meter.value = d.peak;
    if (!ws || ws.readyState !== WebSocket.OPEN || state.phase !== 'on') return;
    if (d.peak > 0.25) {
      if (quiet >= 15 && state.onsets.length < 100) state.onsets.push(performance.timeOrigin + performance.now());
      quiet = 0;
    } else {
      quiet++;
    }
    ws.send(d.pcm);
    state.frames++;
  }

  var closeText = { 1003: 'oa_err_text', 1007: 'oa_err_frame', 1009: 'oa_err_big', 1011: 'oa_err_failed', 4001: 'oa_err_long' };

  function connect(session) {
    state.id = session.id;
    ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + session.socket);
    ws.binaryType = 'arraybuffer';
    ws.onmessage = function (ev) {
      var m = JSON.parse(ev.data);
      if (m.type === 'started') {
        showTargets(m.command);
        setPhase('on');
        onAirAt = Date.now();
        clock = setInterval(tick, 500);
        say(t('oa_on', m.stations));
      } else if (m.type === 'saved') {
        state.segment = m.segment_id;
      }
    };
    ws.onclose = function (ev) {
      clearInterval(clock);
      closeMic();
      ws = null;
      setPhase('idle');
      if (closeText[ev.code]) say(t(closeText[ev.code]));
      else if (state.segment) say(t('oa_saved', state.segment));
      else say(t('oa_ended'));
    };
  }

  // Each target station's state of the live_start, as the live stream of
  // station updates reports it (a v1 agent shows failed, with why).
  var rows = document.getElementById('oa-rows'), command = null;

  function showTargets(id) {
    command = id;
    var all = form.elements.all.checked, groups = checked('groups'), picked = checked('stations');
    rows.textContent = '';
    form.querySelectorAll('input[name=stations]').forEach(function (c) {
      var in_ = (c.dataset.groups || '').split(',');
      if (!(all || picked.indexOf(c.value) >= 0 || groups.some(function (g) { return in_.indexOf(g) >= 0; }))) return;
      var tr = document.createElement('tr');
      tr.dataset.station = c.value;
      tr.innerHTML = '<td></td><td class="online"></td><td class="state"></td>';
      tr.firstChild.textContent = c.parentNode.textContent.trim();
      rows.appendChild(tr);
    });
    document.getElementById('oa-progress').hidden = false;
  }

  document.addEventListener('loa:stations', function (ev) {
    if (!command) return;
    ev.detail.forEach(function (st) {
      var tr = rows.querySelector('tr[data-station="' + CSS.escape(st.id) + '"]');
      if (!tr) return;
      tr.querySelector('.online').textContent = st.online ? t('online') : t('offline');
      var c = (st.commands || []).filter(function (x) { return x.id === command; })[0];
      if (c) {
        tr.querySelector('.state').textContent = t('state.' + c.state) + (c.error ? ' — ' + c.error : '');
        tr.dataset.state = c.state;
      }
    });
  });

  // problems says what the form lacks, before the microphone is asked for.
  function problems() {
    var out = [], max = Number(form.elements.max_minutes.value);
    if (!form.elements.title.value.trim()) out.push({ field: 'title', message: t('oa_need_title') });
    if (!form.elements.topic.value) out.push({ field: 'topic', message: t('oa_need_topic') });
    if (!form.elements.all.checked && !checked('groups').length && !checked('stations').length) out.push({ field: 'all', message: t('oa_need_targets') });
    if (!(max >= 1 && max <= 240)) out.push({ field: 'max_minutes', message: t('oa_need_max') });
    return out;
  }

  // micProblem words why the microphone could not be used: no microphone
  // at all is not a matter of permission.
  function micProblem(err) {
    var name = err && err.name ? err.name : '';
    if (name === 'NotFoundError' || name === 'DevicesNotFoundError' || name === 'OverconstrainedError') return t('oa_mic_none');
    if (name === 'NotAllowedError' || name === 'PermissionDeniedError' || name === 'SecurityError') return t('oa_mic_denied');
    if (name === 'NotReadableError' || name === 'TrackStartError') return t('oa_mic_busy');
    if (name === 'NoMediaDevices') return t('oa_mic_https');
    return t('oa_no_mic', name || String(err));
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    if (state.phase !== 'idle') return;
    L.clearErrors(form);
    var bad = problems();
    if (bad.length) {
      bad.reverse().forEach(function (p) { L.showError(form, p); }); // the focus ends on the first
      return;
    }
    setPhase('starting');
    state.onsets = []; state.frames = 0; state.segment = 0; quiet = 0;
    say(t('oa_mic'));
    openMic().then(function () {
      say(t('oa_connecting'));
      return L.api('POST', '/api/live', {
        title: form.elements.title.value, topic: form.elements.topic.value, all: form.elements.all.checked,
        groups: checked('groups'), stations: checked('stations'), max_minutes: Number(form.elements.max_minutes.value || 0)
      });
    }).then(function (res) {
      if (!res.ok) {
        closeMic();
        setPhase('idle');
        say(t('oa_idle'));
        L.showError(form, { message: res.error.message, field: res.error.field });
        return;
      }
      connect(res.data);
    }, function (err) {
      closeMic();
      setPhase('idle');
      say(micProblem(err));
    });
  });

  stopBtn.addEventListener('click', function () {
    if (state.phase !== 'on') return;
    setPhase('stopping');
    say(t('oa_stopping'));
    L.api('POST', '/api/live/' + encodeURIComponent(state.id) + '/stop', {}).then(function (res) {
      if (res.ok && res.data.segment_id) state.segment = res.data.segment_id;
      if (ws) ws.close(1000, 'stopped'); // the server has closed it already when it answered
      else if (state.segment) say(t('oa_saved', state.segment));
    });
  });
})();
