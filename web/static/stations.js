// Stations page: a new station's token (or a rotated one) is shown once,
// inside a ready-to-paste agent configuration.
(function () {
  'use strict';
  var L = window.Loa, t = L.t;
  var dialog = document.getElementById('token-dialog');
  if (!dialog) return;
  var box = document.getElementById('td-config');

  function showToken(station, token) {
    var title = document.getElementById('token-title').dataset.text.replace('%s', station);
    document.getElementById('td-h').textContent = title;
    // The README's install steps ("Install on a station"): the settings in
    // /etc/loa-agent/loa-agent.env, the token alone in /etc/loa-agent/token
    // (handed to the agent as a credential, never on a command line).
    box.value = [
      '# ' + station,
      'sudo install -d -m 0750 /etc/loa-agent',
      "sudo sh -c 'printf \"LOA_AGENT_SERVER=%s\\nLOA_AGENT_OUTPUT=speaker\\n\" \"" + location.origin + "\" > /etc/loa-agent/loa-agent.env'",
      "sudo sh -c 'umask 077; printf %s \"" + token + "\" > /etc/loa-agent/token'",
      'sudo systemctl restart loa-agent'
    ].join('\n');
    dialog.showModal();
    box.focus();
    box.select();
  }

  var add = document.getElementById('station-add');
  add.addEventListener('api:done', function (ev) {
    showToken(ev.detail.station.id, ev.detail.token);
  });
  document.addEventListener('click', function (ev) {
    var b = ev.target.closest('[data-token]');
    if (!b) return;
    if (!window.confirm(b.dataset.confirm)) return;
    var sp = b.dataset.token.split(' ');
    L.api(sp[0], sp[1]).then(function (res) {
      var out = b.closest('[data-result]').querySelector('.form-error');
      if (!res.ok) { out.textContent = res.error.message; return; }
      showToken(b.dataset.station, res.data.token);
    });
  });
  document.getElementById('td-copy').addEventListener('click', function () {
    box.select();
    var ok = dialog.querySelector('.form-ok');
    (navigator.clipboard ? navigator.clipboard.writeText(box.value) : Promise.reject()).then(
      function () { ok.textContent = t('copied'); },
      function () { document.execCommand('copy'); ok.textContent = t('copied'); });
  });
  // A new group's id is made from its name when left empty: "Khu An Phú"
  // becomes "khu-an-phu".
  var group = document.getElementById('group-form');
  if (group) group.addEventListener('submit', function () {
    var id = group.elements.id;
    if (id.value.trim()) return;
    id.value = L.slug(group.elements.name.value);
  }, true);

  // A new station's id follows its name as it is typed ("Tổ dân phố 5"
  // becomes "to-dan-pho-5", "to-dan-pho-5-2" when taken) until someone
  // types an id of their own.
  var addName = add.elements.name, addID = add.elements.id;
  addID.addEventListener('input', function () {
    if (addID.value.trim()) addID.dataset.typed = '1'; else delete addID.dataset.typed;
  });
  addName.addEventListener('input', function () {
    if (addID.dataset.typed) return;
    var id = L.slug(addName.value, 32), n = 1; // stations' ids are at most 32 long
    while (id && document.getElementById('station-' + id)) {
      var suffix = '-' + (++n);
      id = L.slug(addName.value, 32 - suffix.length) + suffix;
    }
    addID.value = id;
  });

  document.getElementById('td-close').addEventListener('click', function () {
    dialog.close();
    location.reload();
  });
})();
