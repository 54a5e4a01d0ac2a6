// Loa pages: a little plain JavaScript, no framework, no build step.
// Forms are sent to the JSON API; an error is shown next to its field and
// nothing typed is lost, because the page is not reloaded on an error.
(function () {
  'use strict';

  var M = {};
  try { M = JSON.parse(document.getElementById('messages').textContent || '{}'); } catch (e) { M = {}; }

  // t returns a text of the catalogue with %s / %d filled in order.
  function t(key) {
    var s = M[key] || key, args = Array.prototype.slice.call(arguments, 1);
    args.forEach(function (a) { s = s.replace(/%[sd]/, String(a)); });
    return s;
  }

  // headers adds what every API call carries: the page's language, so
  // that error messages come in it, and a CSRF token if the page has one.
  function headers(h) {
    h['Accept-Language'] = document.body.dataset.lang || 'vi';
    var m = document.querySelector('meta[name=csrf-token]');
    if (m) h['X-CSRF-Token'] = m.content;
    return h;
  }

  // api sends one JSON request; it always resolves, to {ok, status, data}
  // or {ok:false, status, error:{code, message, field}}.
  function api(method, url, body) {
    var opt = { method: method, credentials: 'same-origin', headers: headers({ 'Accept': 'application/json' }) };
    if (body !== undefined) {
      opt.headers['Content-Type'] = 'application/json';
      opt.body = JSON.stringify(body);
    }
    return fetch(url, opt).then(function (res) {
      var parse = res.status === 204 ? Promise.resolve(null) : res.json().catch(function () { return null; });
      return parse.then(function (data) {
        if (!res.ok) {
          return { ok: false, status: res.status, error: (data && data.error) || { code: 'http', message: res.status + ' ' + res.statusText } };
        }
        return { ok: true, status: res.status, data: data };
      });
    }, function () {
      return { ok: false, status: 0, error: { code: 'network', message: t('network') } };
    });
  }

  // ---- forms ----

  function setPath(obj, name, value) {
    var parts = name.split('.'), o = obj;
    for (var i = 0; i < parts.length - 1; i++) {
      o[parts[i]] = o[parts[i]] || {};
      o = o[parts[i]];
    }
    o[parts[parts.length - 1]] = value;
  }

  function getPath(obj, name) {
    return name.split('.').reduce(function (o, k) { return o && o[k]; }, obj);
  }

  // formBody reads a form into a JSON object. data-type on an input:
  // int (empty → 0, or left out with data-omit-empty), list (comma-separated),
  // bool (a checkbox); names with dots make nested objects.
  function formBody(form) {
    var body = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.type === 'submit' || el.type === 'button' || el.type === 'file') return;
      if (el.dataset.skip !== undefined) return; // only in the URL
      if (el.type === 'radio' && !el.checked) return;
      var v = el.value, type = el.dataset.type;
      if (type === 'set') { // a picker's boxes: the ticked values, once each
        var arr = getPath(body, el.name) || [];
        if (el.checked && arr.indexOf(v) < 0) arr.push(v);
        setPath(body, el.name, arr);
        return;
      }
      if (el.type === 'checkbox') v = el.checked;
      else if (type === 'int') v = v.trim() === '' ? 0 : Number(v);
      else if (type === 'list') v = v.split(',').map(function (x) { return x.trim(); }).filter(Boolean);
      if (el.dataset.omitEmpty !== undefined && (v === '' || v === 0 || (Array.isArray(v) && !v.length))) return;
      setPath(body, el.name, v);
    });
    return body;
  }

  function fieldFor(form, field) {
    if (!field) return null;
    var els = Array.prototype.filter.call(form.elements, function (el) {
      return el.name && (el.name === field || el.name.indexOf(field + '.') === 0 || el.name.slice(-field.length - 1) === '.' + field ||
        el.name === field.split('.').pop());
    });
    return els[0] || null;
  }

  function clearErrors(form) {
    form.querySelectorAll('[aria-invalid=true]').forEach(function (el) { el.removeAttribute('aria-invalid'); });
    form.querySelectorAll('.field-error, .form-error, .form-ok').forEach(function (el) { el.textContent = ''; });
  }

  // showError puts the message next to its field (or at the top of the
  // form) and moves the focus there.
  function showError(form, err) {
    var el = fieldFor(form, err.field);
    if (el) {
      var set = el.type === 'checkbox' ? el.closest('fieldset') : null;
      var box = document.getElementById(el.id + '-error') || (set && set.querySelector('.field-error'));
      if (!box) {
        box = document.createElement('p');
        box.className = 'field-error';
        box.id = el.id ? el.id + '-error' : '';
        el.insertAdjacentElement('afterend', box);
      }
      box.textContent = err.message;
      el.setAttribute('aria-invalid', 'true');
      if (box.id) el.setAttribute('aria-describedby', box.id);
      (set || el).focus();
      return;
    }
    var top = form.querySelector('.form-error');
    if (!top) {
      top = document.createElement('div');
      top.className = 'form-error';
      top.setAttribute('role', 'alert');
      form.insertBefore(top, form.firstChild);
    }
    top.textContent = err.message;
  }

  // ---- a confirmation that survives the reload it asks for ----
  // data-done on a form or button is what to say once it worked ({name}
  // is the form field's value); the page comes back at the same place.

  function doneText(el, form) {
    var msg = el.dataset.done || '';
    if (!msg) return t('saved');
    return msg.replace(/\{([\w.]+)\}/g, function (m, k) {
      var f = form && form.elements[k];
      return f ? (f.tagName === 'SELECT' && f.selectedIndex >= 0 ? f.options[f.selectedIndex].text : f.value).trim() : '';
    });
  }

  function reloadSaying(msg) {
    try { sessionStorage.setItem('loa.flash', JSON.stringify({ msg: msg, y: window.scrollY, path: location.pathname + location.search })); } catch (e) { /* private mode */ }
    location.reload();
  }

  function say(msg) {
    var box = document.getElementById('flash');
    if (!box) return;
    box.textContent = msg;
    box.hidden = false;
    clearTimeout(say.timer);
    say.timer = setTimeout(function () { box.hidden = true; }, 8000);
  }

  (function () {
    var f = null;
    try { f = JSON.parse(sessionStorage.getItem('loa.flash') || 'null'); sessionStorage.removeItem('loa.flash'); } catch (e) { f = null; }
    if (!f || f.path !== location.pathname + location.search) return;
    if (f.y) window.scrollTo(0, f.y);
    say(f.msg);
  })();

  function after(form, res) {
    var then = form.dataset.then || '';
    if (then === 'reload') { reloadSaying(doneText(form, form)); return; }
    if (then.indexOf('go:') === 0) { location.assign(then.slice(3) || '/'); return; }
    var ok = form.querySelector('.form-ok');
    if (ok) ok.textContent = doneText(form, form);
    form.dispatchEvent(new CustomEvent('api:done', { bubbles: true, detail: res.data }));
  }

  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (!form.matches('form[data-api]')) return;
    ev.preventDefault();
    if (ev.submitter && ev.submitter.value === 'cancel') { closeDialog(form); return; }
    clearErrors(form);
    // {id} is the opener's id, or like any {name} the form field's value.
    var url = form.dataset.api.replace(/\{(\w+)\}/g, function (m, k) {
      var v = k === 'id' && form.dataset.id ? form.dataset.id : (form.elements[k] ? form.elements[k].value.trim() : '');
      return encodeURIComponent(v);
    });
    var btns = form.querySelectorAll('button[type=submit]');
    btns.forEach(function (b) { b.disabled = true; });
    api(form.dataset.method || 'POST', url, formBody(form)).then(function (res) {
      btns.forEach(function (b) { b.disabled = false; });
      if (!res.ok) { showError(form, res.error); return; }
      after(form, res);
    });
  });

  function closeDialog(el) {
    var d = el.closest('dialog');
    if (d) d.close();
  }

  // ---- buttons that call the API: data-call="POST /api/x" ----

  document.addEventListener('click', function (ev) {
    var b = ev.target.closest('[data-call]');
    if (!b) return;
    if (b.dataset.confirm && !window.confirm(b.dataset.confirm)) return;
    var sp = b.dataset.call.split(' ');
    b.disabled = true;
    api(sp[0], sp[1], b.dataset.body ? JSON.parse(b.dataset.body) : undefined).then(function (res) {
      b.disabled = false;
      var out = b.closest('[data-result]') ? b.closest('[data-result]').querySelector('.form-error') : null;
      if (!res.ok) {
        if (out) out.textContent = res.error.message; else window.alert(res.error.message);
        return;
      }
      b.dispatchEvent(new CustomEvent('api:done', { bubbles: true, detail: res.data }));
      if (b.dataset.then === 'reload') reloadSaying(doneText(b));
      else if (b.dataset.done) say(doneText(b));
    });
  });

  // ---- dialogs: data-open="dialog-id" with data-fill='{"name":value}' ----

  document.addEventListener('click', function (ev) {
    var b = ev.target.closest('[data-open]');
    if (!b) return;
    var d = document.getElementById(b.dataset.open);
    if (!d) return;
    var form = d.querySelector('form');
    if (form) {
      clearErrors(form);
      form.reset();
      if (b.dataset.id) form.dataset.id = b.dataset.id;
      if (b.dataset.api) form.dataset.api = b.dataset.api;
      if (b.dataset.done) form.dataset.done = b.dataset.done;
      var label = form.querySelector('[data-submit-label]');
      if (label && b.dataset.submit) label.textContent = b.dataset.submit;
      if (b.dataset.fill) fill(form, JSON.parse(b.dataset.fill));
      syncPickers(form);
    }
    var title = d.querySelector('[data-title]');
    if (title && b.dataset.title) title.textContent = b.dataset.title;
    if (b.dataset.mode) d.dataset.mode = b.dataset.mode;
    // data-show: a copy of what the opener is about (an item's facts and
    // player) goes into the dialog's [data-shown].
    var shown = d.querySelector('[data-shown]'), src = b.dataset.show && document.getElementById(b.dataset.show);
    if (shown) {
      shown.textContent = '';
      if (src) {
        var copy = src.cloneNode(true);
        copy.removeAttribute('id');
        shown.appendChild(copy);
      }
    }
    d.showModal();
  });

  function fill(form, values, prefix) {
    Object.keys(values).forEach(function (k) {
      var v = values[k], name = prefix ? prefix + '.' + k : k;
      if (v && typeof v === 'object' && !Array.isArray(v)) { fill(form, v, name); return; }
      var el = form.elements[name];
      if (!el) return;
      var set = form.querySelectorAll('[data-type=set][name="' + name + '"]');
      if (set.length) {
        set.forEach(function (box) { box.disabled = false; delete box.dataset.was; box.checked = Array.isArray(v) && v.indexOf(box.value) >= 0; });
        return;
      }
      if (el.type === 'checkbox') el.checked = !!v;
      else if (Array.isArray(v)) el.value = v.join(', ');
      else el.value = v === null || v === undefined ? '' : v;
    });
  }

  // ---- pickers: a checkbox tree of areas with their stations ----
  // The whole ward covers every area, an area covers its stations: the
  // boxes covered are shown ticked and left out of the form.

  function syncPickers(root) {
    root.querySelectorAll('[data-picker]').forEach(function (p) {
      var all = p.querySelector('[data-pick-all]');
      var whole = !!(all && all.checked);
      p.querySelectorAll('[data-pick-area]').forEach(function (a) { a.disabled = whole; });
      var covered = {};
      p.querySelectorAll('.area').forEach(function (li) {
        var a = li.querySelector('[data-pick-area]');
        if (whole || (a && a.checked)) li.querySelectorAll('[data-pick-station]').forEach(function (s) { covered[s.value] = true; });
      });
      p.querySelectorAll('[data-pick-station]').forEach(function (s) {
        if (covered[s.value]) { if (!s.disabled) s.dataset.was = s.checked ? '1' : ''; s.checked = true; s.disabled = true; }
        else if (s.disabled) { s.disabled = false; s.checked = s.dataset.was === '1'; }
      });
    });
  }

  // fold makes a name comparable without its accents: "Phú" ~ "phu".
  function fold(s) {
    return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
  }

  // slug makes an id of at most max (64) characters from a name, as the
  // server takes ids: "Tổ dân phố 5" becomes "to-dan-pho-5".
  function slug(s, max) {
    return fold(s).replace(/[^a-z0-9]+/g, '-').replace(/^-+/, '').slice(0, max || 64).replace(/-+$/, '');
  }

  document.addEventListener('change', function (ev) {
    var p = ev.target.closest && ev.target.closest('[data-picker]');
    if (!p) return;
    var box = ev.target;
    if (box.dataset.pickStation !== undefined) { // the same station under two areas
      p.querySelectorAll('[data-pick-station][value="' + box.value + '"]').forEach(function (s) { s.checked = box.checked; });
    }
    syncPickers(p.parentNode);
  });
  document.addEventListener('input', function (ev) {
    if (!ev.target.matches || !ev.target.matches('[data-pick-search]')) return;
    var q = fold(ev.target.value.trim()), p = ev.target.closest('[data-picker]');
    p.querySelectorAll('.area').forEach(function (li) {
      var areaHit = !q || fold(li.querySelector('.area-name').textContent).indexOf(q) >= 0, any = areaHit;
      li.querySelectorAll('li').forEach(function (st) {
        var hit = areaHit || fold(st.textContent).indexOf(q) >= 0;
        st.hidden = !hit;
        any = any || hit;
      });
      li.hidden = !any;
    });
  });
  document.addEventListener('reset', function (ev) { setTimeout(function () { syncPickers(ev.target); }, 0); });
  syncPickers(document);

  // On a phone the menu is one row that scrolls sideways: the current
  // page's entry is brought into view.
  var here = document.querySelector('header nav a[aria-current=page]');
  if (here && window.matchMedia('(max-width: 40rem)').matches) {
    var bar = here.closest('nav');
    bar.scrollLeft = here.offsetLeft - (bar.clientWidth - here.offsetWidth) / 2;
  }

  // ---- sign out ----

  var logout = document.getElementById('logout');
  if (logout) logout.addEventListener('click', function () {
    api('POST', '/api/logout').then(function () { location.assign('/login'); });
  });

  // The page scripts below reach these.
  window.Loa = { t: t, api: api, headers: headers, formBody: formBody, showError: showError, clearErrors: clearErrors, fold: fold, slug: slug, syncPickers: syncPickers, say: say, reloadSaying: reloadSaying };
})();
