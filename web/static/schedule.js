// Schedule page: a slot or an exception is added to its programme by
// reading the programme, changing it and writing it back with the revision
// read, so two operators cannot overwrite each other unknowingly.
(function () {
  'use strict';
  var L = window.Loa, t = L.t;
  var slotForm = document.getElementById('slot-form');
  var excForm = document.getElementById('exception-form');
  if (!slotForm) return;

  function val(form, name) { return (form.elements[name].value || '').trim(); }

  // isoDate turns dd/mm/yyyy into yyyy-mm-dd; anything else goes as typed
  // and the server says what is wrong with it.
  function isoDate(s) {
    var m = s.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/);
    return m ? m[3] + '-' + m[2].padStart(2, '0') + '-' + m[1].padStart(2, '0') : s;
  }

  // fieldOf maps a programme error field (slots.2.start) to the form's.
  function fieldOf(f, form) {
    if (!f) return f;
    var m = f.match(/^(slots|exceptions)\.\d+\.(.+)$/);
    if (m) return m[2] === 'id' ? 'slot_id' : m[2];
    if (f === 'id') return 'programme';
    if (f.indexOf('targets') === 0) return 'targets.all';
    return f;
  }
  function fail(form, err) {
    L.showError(form, { message: err.message, field: fieldOf(err.field, form) });
  }

  function slotOf(form) {
    var slot = { id: val(form, 'slot_id'), kind: val(form, 'kind'), start: val(form, 'start'), minutes: Number(val(form, 'minutes') || 0) };
    var days = Array.prototype.map.call(form.querySelectorAll('input[name=days]:checked'), function (x) { return Number(x.value); });
    var topics = Array.prototype.map.call(form.elements.topics.selectedOptions, function (o) { return o.value; });
    if (days.length) slot.days = days;
    if (topics.length) slot.topics = topics;
    ['url', 'date', 'from', 'to'].forEach(function (k) {
      var v = val(form, k);
      if (v) slot[k] = k === 'url' ? v : isoDate(v);
    });
    return slot;
  }

  // programmeOf is the programme id the form names: the one picked, or
  // for a new programme one made from the name typed ("Chuyên mục CCHC"
  // becomes "chuyen-muc-cchc", "chuyen-muc-cchc-2" when taken). A new
  // name that is an existing programme's picks that programme.
  function programmeOf(form) {
    var sel = form.elements.programme, id = sel.value;
    if (id || !form.elements.name) return id;
    var name = val(form, 'name'), taken = {};
    Array.prototype.forEach.call(sel.options, function (o) {
      if (o.value) taken[o.value] = true;
      if (o.value && L.fold(o.dataset.name || '') === L.fold(name)) id = o.value;
    });
    if (id) return id;
    var base = L.slug(name), n = 1;
    id = base;
    while (id && taken[id]) id = base + '-' + (++n);
    return id;
  }

  // withProgramme reads the programme (or starts a new one), lets change
  // edit it, and writes it back.
  function withProgramme(form, change) {
    L.clearErrors(form);
    var id = programmeOf(form);
    if (!id) {
      var field = form.elements.programme.value || !form.elements.name ? 'programme' : 'name';
      fail(form, { message: t('required'), field: field });
      return;
    }
    var url = '/api/programmes/' + encodeURIComponent(id);
    // The list, not GET of the one, so that a new id is not a 404.
    L.api('GET', '/api/programmes').then(function (res) {
      if (!res.ok) { fail(form, res.error); return; }
      var prog = (res.data.programmes || []).filter(function (p) { return p.id === id; })[0];
      if (!prog) prog = { name: '', targets: targetsOf(form), slots: [], revision: 0 };
      // Where it airs is the form's, for a programme that exists too
      // (it used to apply to new programmes only, silently).
      if (form.querySelector('[data-picker]')) prog.targets = targetsOf(form);
      if (form.elements.name && val(form, 'name')) prog.name = val(form, 'name');
      if (!prog.name) prog.name = id;
      prog.slots = prog.slots || [];
      prog.exceptions = prog.exceptions || [];
      if (change(prog) === false) return;
      return L.api('PUT', url, prog).then(function (put) {
        if (!put.ok) { fail(form, put.error); return; }
        L.reloadSaying(form.dataset.saying.replace('{name}', prog.name));
      });
    });
  }

  function targetsOf(form) {
    if (!form.querySelector('[data-picker]')) return { all: true };
    var b = L.formBody(form).targets || {};
    return { all: !!b.all, groups: b.groups || [], stations: b.stations || [] };
  }

  slotForm.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var slot = slotOf(slotForm);
    if (!/^\d{1,2}:\d{2}$/.test(slot.start)) {
      L.clearErrors(slotForm);
      fail(slotForm, { message: t('bad_time'), field: 'start' });
      return;
    }
    withProgramme(slotForm, function (prog) {
      if (!slot.id) slot.id = freeID(prog, 's' + slot.start.replace(':', ''));
      slotForm.dataset.saying = t('slot_saved', slot.start, '{name}');
      var i = prog.slots.findIndex(function (s) { return s.id === slot.id; });
      if (i >= 0) prog.slots[i] = slot; else prog.slots.push(slot);
    });
  });

  document.getElementById('slot-delete').addEventListener('click', function () {
    var id = val(slotForm, 'slot_id');
    if (!window.confirm(t('confirm_delete_slot'))) return;
    withProgramme(slotForm, function (prog) {
      var n = prog.slots.length;
      prog.slots = prog.slots.filter(function (s) { return s.id !== id; });
      slotForm.dataset.saying = t('slot_deleted', val(slotForm, 'start'), '{name}');
      if (prog.slots.length === n) { fail(slotForm, { message: t('no_such_slot'), field: 'slot_id' }); return false; }
    });
  });

  excForm.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var exc = { date: isoDate(val(excForm, 'date')) };
    var slots = Array.prototype.map.call(excForm.elements.slots.selectedOptions, function (o) { return o.value; }), note = val(excForm, 'note');
    if (slots.length) exc.slots = slots;
    if (note) exc.note = note;
    excForm.dataset.saying = t('exc_saved', val(excForm, 'date'), '{name}');
    withProgramme(excForm, function (prog) { prog.exceptions.push(exc); });
  });

  // The cancelled slots are picked from the chosen programme's.
  function showSlotsOf() {
    var id = val(excForm, 'programme');
    excForm.querySelectorAll('#ex-slots optgroup').forEach(function (g) {
      g.hidden = !!id && g.dataset.programme !== id;
      if (g.hidden) g.querySelectorAll('option').forEach(function (o) { o.selected = false; });
    });
  }
  excForm.elements.programme.addEventListener('change', showSlotsOf);

  // Picking a programme shows its name, to keep or change; a new
  // programme starts with none.
  slotForm.elements.programme.addEventListener('change', function () {
    var o = this.options[this.selectedIndex];
    slotForm.elements.name.value = (o && o.dataset.name) || '';
    if (!this.value) slotForm.elements.name.focus();
  });

  // The ward's minimum gap between two plays of one item.
  var rulesForm = document.getElementById('rules-form');
  rulesForm.addEventListener('submit', function (ev) {
    ev.preventDefault();
    L.clearErrors(rulesForm);
    var v = val(rulesForm, 'separation_minutes');
    if (v === '') { fail(rulesForm, { message: t('required'), field: 'separation_minutes' }); return; }
    L.api('PUT', '/api/schedule/rules', { separation_minutes: Number(v) }).then(function (res) {
      if (!res.ok) { fail(rulesForm, res.error); return; }
      L.reloadSaying(t('rules_saved', res.data.separation_text));
    });
  });

  document.getElementById('rebuild').addEventListener('click', function () {
    var ok = slotForm.querySelector('.form-ok');
    L.api('POST', '/api/playlists/rebuild', {}).then(function (res) {
      ok.textContent = res.ok ? t('rebuild_sent') : res.error.message;
    });
  });

  // freeID is base, or base-2, base-3… if the programme has it already:
  // a new slot needs no id typed.
  function freeID(prog, base) {
    var id = base, n = 1;
    while (prog.slots.some(function (s) { return s.id === id; })) id = base + '-' + (++n);
    return id;
  }

  // Edit: fill the form with a slot from the grid.
  document.addEventListener('click', function (ev) {
    var b = ev.target.closest('[data-slot]');
    if (!b) return;
    var s = JSON.parse(b.dataset.slot);
    L.clearErrors(slotForm);
    slotForm.elements.programme.value = s.programme;
    slotForm.elements.name.value = s.name || '';
    var tg = s.targets || { all: true };
    slotForm.querySelectorAll('[data-picker] input[type=checkbox]').forEach(function (c) {
      c.disabled = false;
      delete c.dataset.was;
      if (c.dataset.pickAll !== undefined) c.checked = !!tg.all;
      else if (c.dataset.pickArea !== undefined) c.checked = (tg.groups || []).indexOf(c.value) >= 0;
      else c.checked = (tg.stations || []).indexOf(c.value) >= 0;
    });
    L.syncPickers(slotForm);
    slotForm.elements.slot_id.value = s.slot_id;
    slotForm.elements.kind.value = s.kind;
    slotForm.elements.start.value = s.start;
    slotForm.elements.minutes.value = s.minutes;
    ['url', 'date', 'from', 'to'].forEach(function (k) { slotForm.elements[k].value = s[k] || ''; });
    slotForm.querySelectorAll('input[name=days]').forEach(function (c) { c.checked = (s.days || []).indexOf(Number(c.value)) >= 0; });
    Array.prototype.forEach.call(slotForm.elements.topics.options, function (o) { o.selected = (s.topics || []).indexOf(o.value) >= 0; });
    slotForm.scrollIntoView();
    slotForm.elements.start.focus();
  });
})();
