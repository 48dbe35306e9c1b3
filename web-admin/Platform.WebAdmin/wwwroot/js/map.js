// Maps over pages that work without them: the complaint form's place (its address and coordinate fields stay the
// accessible alternative) and the public list of reports nearby. Leaflet is served by the site (/lib/leaflet); tiles and
// the address search come from the hosts the page names in its data attributes. No inline script: the CSP forbids it.
(function () {
  'use strict';
  if (typeof L === 'undefined') return;

  function text(el, name) { return el.getAttribute('data-text-' + name) || ''; }

  function say(status, message) {
    if (!status) return;
    status.textContent = message;
    status.hidden = !message;
  }

  function baseMap(el) {
    var block = el.closest('[data-map-block]');
    if (block) block.hidden = false;
    el.hidden = false;
    var map = L.map(el, { keyboard: true, keyboardPanDelta: 60, zoomControl: true })
      .setView([parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)], parseInt(el.dataset.zoom, 10));
    var loaded = 0, failed = 0;
    var layer = L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 19, minZoom: 7 });
    layer.on('tileload', function () { loaded++; });
    layer.on('tileerror', function () {
      failed++;
      if (loaded === 0 && failed >= 2) say(document.getElementById(el.dataset.status), text(el, 'tilesfailed'));
    });
    layer.addTo(map);
    return map;
  }

  function round(value) { return Math.round(value * 1e6) / 1e6; }

  // The complaint form: click, or focus the map, move it with the arrow keys and press Enter, to place the complaint.
  function placeMap(el) {
    var lat = document.getElementById('latitude'), lon = document.getElementById('longitude');
    var status = document.getElementById(el.dataset.status);
    var map = baseMap(el);
    var marker = null;
    el.setAttribute('aria-describedby', el.dataset.help);

    function place(latlng, how) {
      lat.value = round(latlng.lat).toString();
      lon.value = round(latlng.lng).toString();
      if (marker) marker.setLatLng(latlng);
      else marker = L.circleMarker(latlng, { radius: 9, weight: 3, color: '#b00020', fillOpacity: 0.5 }).addTo(map);
      say(status, text(el, 'placed').replace('{0}', lat.value).replace('{1}', lon.value) + (how ? ' ' + how : ''));
    }

    if (lat.value && lon.value) place(L.latLng(parseFloat(lat.value), parseFloat(lon.value)));
    map.on('click', function (e) { place(e.latlng); });
    el.addEventListener('keydown', function (e) {
      if (e.target !== el) return;
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        place(map.getCenter());
      }
    });
    var button = document.getElementById('map-place-centre');
    if (button) {
      button.hidden = false;
      button.addEventListener('click', function () { place(map.getCenter()); });
    }

    // The address search: a list of matches to choose from; choosing one fills the address and places the complaint.
    var form = document.getElementById('address-search'), results = document.getElementById('address-results');
    var geocoder = el.dataset.geocoder;
    if (!form || !geocoder) return;
    form.hidden = false;
    var input = document.getElementById('address-query');
    document.getElementById('address-search-go').addEventListener('click', function () {
      var q = input.value.trim();
      results.innerHTML = '';
      if (!q) return;
      var url = geocoder + (geocoder.indexOf('?') < 0 ? '?' : '&') + 'rows=5&q=' + encodeURIComponent(q);
      fetch(url, { headers: { Accept: 'application/json' } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (json) {
          var docs = (json.response && json.response.docs) || [];
          var found = docs.map(function (d) {
            var m = /POINT\(([-\d.]+) ([-\d.]+)\)/.exec(d.centroide_ll || '');
            return m ? { label: d.weergavenaam, lat: parseFloat(m[2]), lon: parseFloat(m[1]) } : null;
          }).filter(Boolean);
          say(document.getElementById('address-status'), found.length ? text(el, 'found').replace('{0}', found.length) : text(el, 'nothingfound'));
          found.forEach(function (f) {
            var li = document.createElement('li');
            var choose = document.createElement('button');
            choose.type = 'button';
            choose.className = 'link';
            choose.textContent = f.label;
            choose.addEventListener('click', function () {
              document.getElementById('address').value = f.label;
              map.setView([f.lat, f.lon], 17);
              place(L.latLng(f.lat, f.lon));
              results.innerHTML = '';
              el.focus();
            });
            li.appendChild(choose);
            results.appendChild(li);
          });
          var first = results.querySelector('button');
          if (first) first.focus();
        })
        .catch(function () { say(document.getElementById('address-status'), text(el, 'searchfailed')); });
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') { e.preventDefault(); document.getElementById('address-search-go').click(); }
    });
  }

  // The public list: each row with a place becomes a marker; the table stays the way to read them.
  function reportsMap(el) {
    var map = baseMap(el);
    var points = [];
    document.querySelectorAll('[data-report-lat]').forEach(function (row) {
      var p = L.latLng(parseFloat(row.dataset.reportLat), parseFloat(row.dataset.reportLon));
      points.push(p);
      L.circleMarker(p, { radius: 7, weight: 2, color: row.dataset.reportOpen === 'true' ? '#b00020' : '#555' })
        .bindTooltip(row.dataset.reportLabel || '')
        .addTo(map);
    });
    if (points.length > 0) map.fitBounds(L.latLngBounds(points).pad(0.2), { maxZoom: 17 });
  }

  document.querySelectorAll('[data-map="place"]').forEach(placeMap);
  document.querySelectorAll('[data-map="reports"]').forEach(reportsMap);
})();
