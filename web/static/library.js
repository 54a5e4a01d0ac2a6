// Library page: several files uploaded one after another, each with its
// own progress bar (XMLHttpRequest upload progress) and, once the server
// has analysed it, its figures and warnings.
(function () {
  'use strict';
  var tts = document.getElementById('tts-form');
  if (tts) tts.addEventListener('api:done', function (ev) {
    var seg = ev.detail;
    document.getElementById('tts-done').textContent = window.Loa.t('tts_done', seg.id, seg.title);
    document.getElementById('tts-spoken').textContent = seg.spoken || '';
    document.getElementById('tts-result').hidden = false;
  });

  var form = document.getElementById('upload-form');
  if (!form) return;
  var t = window.Loa.t;
  var input = document.getElementById('upload-files');
  var drop = document.getElementById('drop');
  var list = document.getElementById('uploads');
  var refresh = document.getElementById('upload-refresh');
  var queue = [], busy = false;

  function hms(ms) {
    var s = Math.round(ms / 1000);
    var m = Math.floor(s / 60) % 60, h = Math.floor(s / 3600);
    return h + ':' + String(m).padStart(2, '0') + ':' + String(s % 60).padStart(2, '0');
  }

  // check reads the shared fields before any file is sent: a missing
  // topic or a date that cannot be read is said at once, not after the
  // whole file went up at a phone's speed.
  function check() {
    window.Loa.clearErrors(form);
    var date = /^(\d{1,2}\/\d{1,2}\/\d{4}|\d{4}-\d{2}-\d{2})$/, errs = [];
    if (!form.elements.topic.value) errs.push({ field: 'topic', message: t('required') });
    ['valid_from', 'valid_to'].forEach(function (n) {
      var v = form.elements[n].value.trim();
      if (v && !date.test(v)) errs.push({ field: n, message: t('bad_date') });
    });
    ['min_per_day', 'max_per_day', 'min_per_week'].forEach(function (n) {
      var v = form.elements[n].value.trim();
      if (v && !/^\d+$/.test(v)) errs.push({ field: n, message: t('bad_count') });
    });
    errs.reverse().forEach(function (e) { window.Loa.showError(form, e); }); // the focus ends on the first
    return errs.length === 0;
  }

  function add(files) {
    if (!files.length || !check()) return;
    Array.prototype.forEach.call(files, function (file) {
      var li = document.createElement('li');
      var name = document.createElement('strong');
      name.textContent = file.name;
      var bar = document.createElement('progress');
      bar.max = 100; bar.value = 0;
      bar.setAttribute('aria-label', file.name);
      var status = document.createElement('p');
      status.className = 'status';
      status.textContent = t('uploading');
      li.append(name, bar, status);
      list.appendChild(li);
      queue.push({ file: file, li: li, bar: bar, status: status });
    });
    next();
  }

  function next() {
    if (busy || !queue.length) return;
    busy = true;
    send(queue.shift(), function () { busy = false; next(); if (!busy && !queue.length) finished(); });
  }

  // finished runs when the last file of a batch is answered: the title
  // (one file's) is cleared and the list below shows the new items, in
  // place, so the person stays where they are.
  var stored = 0;
  function finished() {
    if (!stored) return;
    stored = 0;
    form.elements.title.value = '';
    fetch(location.href, { credentials: 'same-origin' }).then(function (res) { return res.text(); }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, 'text/html');
      ['items', 'lib-count'].forEach(function (id) {
        var now = document.getElementById(id), fresh = doc.getElementById(id);
        if (now && fresh) now.replaceWith(fresh);
      });
      if (refresh) refresh.hidden = true;
      var ok = document.getElementById('upload-ok');
      if (ok) ok.textContent = t('list_updated');
    }, function () { if (refresh) refresh.hidden = false; });
  }

  // send posts one file with the form's fields as multipart/form-data.
  function send(job, done) {
    var data = new FormData();
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === 'file' || el.disabled || el.value.trim() === '') return;
      if (el.type === 'checkbox' && !el.checked) return; // the pickers' boxes
      data.append(el.name, el.value.trim());
    });
    data.append('file', job.file, job.file.name);
    var xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/segments');
    var h = window.Loa.headers({ 'Accept': 'application/json' });
    Object.keys(h).forEach(function (k) { xhr.setRequestHeader(k, h[k]); });
    xhr.upload.onprogress = function (ev) {
      if (!ev.lengthComputable) return;
      job.bar.value = Math.round(100 * ev.loaded / ev.total);
      job.li.dataset.progress = String(job.bar.value);
      if (ev.loaded === ev.total) job.status.textContent = t('analysing');
    };
    xhr.onload = function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      if (xhr.status === 201 && body) shown(job, body);
      else failed(job, (body && body.error) || { message: xhr.status + ' ' + xhr.statusText });
      done();
    };
    xhr.onerror = function () { failed(job, { message: t('network') }); done(); };
    xhr.send(data);
  }

  function shown(job, seg) {
    stored++;
    job.bar.value = 100;
    job.li.classList.add('done');
    var lufs = seg.audio.loudness_lufs === null ? '—' : seg.audio.loudness_lufs.toFixed(1);
    job.status.className = 'status ok';
    job.status.textContent = t('uploaded', seg.id, hms(seg.audio.duration_ms), lufs);
    var notes = document.createElement('ul');
    notes.className = 'notes';
    (seg.notes || []).forEach(function (n) {
      var li = document.createElement('li');
      li.textContent = n.text;
      if (n.detail) {
        var d = document.createElement('span');
        d.className = 'muted detail';
        d.textContent = n.detail;
        li.append(document.createElement('br'), d);
      }
      notes.appendChild(li);
    });
    if (!seg.notes || !seg.notes.length) {
      var p = document.createElement('p');
      p.className = 'muted';
      p.textContent = t('no_warnings');
      job.li.appendChild(p);
    } else {
      job.li.appendChild(notes);
    }
  }

  // failed shows the error on the file's row, and next to the form field
  // it is about when it is one of the shared fields.
  function failed(job, err) {
    job.li.classList.add('failed');
    job.status.className = 'status bad';
    job.status.setAttribute('role', 'alert');
    job.status.textContent = err.message;
    if (err.field && err.field !== 'file') window.Loa.showError(form, err);
  }

  input.addEventListener('change', function () {
    add(input.files);
    input.value = '';
  });
  ['dragenter', 'dragover'].forEach(function (type) {
    drop.addEventListener(type, function (ev) { ev.preventDefault(); drop.classList.add('over'); });
  });
  ['dragleave', 'drop'].forEach(function (type) {
    drop.addEventListener(type, function () { drop.classList.remove('over'); });
  });
  drop.addEventListener('drop', function (ev) {
    ev.preventDefault();
    if (ev.dataTransfer && ev.dataTransfer.files.length) add(ev.dataTransfer.files);
  });
  form.addEventListener('submit', function (ev) { ev.preventDefault(); });
})();
