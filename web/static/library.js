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

  function add(files) {
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
    send(queue.shift(), function () { busy = false; next(); });
  }

  // send posts one file with the form's fields as multipart/form-data.
  function send(job, done) {
    var data = new FormData();
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.type !== 'file' && el.value.trim() !== '') data.append(el.name, el.value.trim());
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
    if (refresh) refresh.hidden = false;
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
    window.Loa.clearErrors(form);
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
    window.Loa.clearErrors(form);
    if (ev.dataTransfer && ev.dataTransfer.files.length) add(ev.dataTransfer.files);
  });
  form.addEventListener('submit', function (ev) { ev.preventDefault(); });
})();
