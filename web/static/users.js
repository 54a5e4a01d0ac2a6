// Users page: the API tokens (for scripts and other systems), listed,
// made (the secret is shown once) and revoked.
(function () {
  'use strict';
  var L = window.Loa, t = L.t;
  var list = document.querySelector('#token-list tbody');
  if (!list) return;

  // ddmmyyyy writes an instant as the ward reads it (dd/mm/yyyy HH:MM, ward time).
  function ddmmyyyy(iso) {
    if (!iso) return '—';
    var parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso));
    var p = {};
    parts.forEach(function (x) { p[x.type] = x.value; });
    return p.day + '/' + p.month + '/' + p.year + ' ' + p.hour + ':' + p.minute;
  }

  function cell(tr, text) {
    var td = document.createElement('td');
    td.textContent = text;
    tr.appendChild(td);
    return td;
  }

  function load() {
    L.api('GET', '/api/tokens').then(function (res) {
      if (!res.ok) return;
      list.textContent = '';
      (res.data || []).forEach(function (tok) {
        var tr = document.createElement('tr');
        tr.id = 'token-' + tok.id;
        tr.dataset.result = '';
        cell(tr, tok.name);
        cell(tr, t('role.' + tok.role));
        cell(tr, ddmmyyyy(tok.created_at) + ' · ' + tok.created_by);
        cell(tr, ddmmyyyy(tok.last_used));
        cell(tr, tok.expires ? ddmmyyyy(tok.expires) : t('tok_no_end'));
        var b = document.createElement('button');
        b.type = 'button';
        b.className = 'danger';
        b.textContent = t('tok_revoke');
        b.dataset.call = 'DELETE /api/tokens/' + encodeURIComponent(tok.id);
        b.dataset.confirm = t('tok_confirm_revoke', tok.name);
        b.dataset.done = t('tok_revoked', tok.name);
        var td = cell(tr, '');
        td.appendChild(b);
        var err = document.createElement('div');
        err.className = 'form-error';
        td.appendChild(err);
        list.appendChild(tr);
      });
      document.getElementById('token-none').hidden = (res.data || []).length > 0;
    });
  }

  var form = document.getElementById('token-form');
  form.addEventListener('api:done', function (ev) {
    document.getElementById('token-new').hidden = false;
    var secret = document.getElementById('tk-secret');
    secret.value = ev.detail.token;
    secret.focus();
    secret.select();
    form.querySelector('.form-ok').textContent = t('tok_made', ev.detail.name);
    form.elements.name.value = '';
    load();
  });
  document.addEventListener('api:done', function (ev) {
    if (ev.target.closest && ev.target.closest('#token-list')) load();
  });
  load();
})();
