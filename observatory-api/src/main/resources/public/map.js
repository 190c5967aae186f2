/*
 * The observatory's live map: a choropleth of the latest bucket of each area (or of the bucket the
 * time slider picks), drawn from /api/v1/layers/{level}; or, in "4 ‰ progress" mode, of each area's
 * relative annual change of SOC stock from /api/v1/progress, joined on the area code with the layer's
 * geometries, with the areas ranked beside the map. No tiles and no CDN: boundaries come with the layer, Leaflet from the
 * API's own classpath. Server-Sent Events from /api/v1/live say when a layer changed, and the layer
 * is fetched then; without them (no EventSource, a proxy that cuts streams) the layer is asked for
 * every 10 s with If-None-Match, so an unchanged layer costs a 304 and no redraw.
 */
(function () {
  'use strict';

  var REFRESH_MS = 10000;
  // With live events a poll is only a safety net against a missed event.
  var LIVE_REFRESH_MS = 60000;
  // Events for one layer can come in bursts (one per sink batch): fetch once per burst.
  var LIVE_DEBOUNCE_MS = 200;
  var NO_DATA = '#cfd4d8';
  // The slider offers at most this many buckets back from the newest: a month of hours, a year of days.
  var MAX_STEPS = { PT1H: 744, P1D: 366 };
  var STEP_MS = { PT1H: 3600000, P1D: 86400000 };
  var SLIDER_DEBOUNCE_MS = 150;
  var TARGET_RATE = 0.004;
  // ColorBrewer PuOr (colour-blind safe), diverging at the 4 ‰ target: oranges below it, purples above.
  var PROGRESS_CLASSES = [
    { upTo: -0.004, colour: '#b35806', label: 'below −4 ‰ (losing fast)' },
    { upTo: 0, colour: '#e08214', label: '−4 to 0 ‰ (losing)' },
    { upTo: 0.002, colour: '#fdb863', label: '0 to 2 ‰' },
    { upTo: TARGET_RATE, colour: '#fee0b6', label: '2 to 4 ‰' },
    { upTo: 0.006, colour: '#b2abd2', label: '4 to 6 ‰ (on track)' },
    { upTo: 0.008, colour: '#8073ac', label: '6 to 8 ‰' },
    { upTo: Infinity, colour: '#542788', label: '8 ‰ and above' }
  ];
  var STATUS_LABELS = {
    on_track: 'on track',
    not_on_track: 'gaining, below target',
    losing: 'losing carbon',
    insufficient_data: 'insufficient data'
  };

  // ColorBrewer sequential schemes (7 classes) and viridis: all readable with colour-vision deficiencies.
  var QUANTITIES = {
    soc: { label: 'Soil organic carbon', unit: 'g/kg', digits: 1,
      colours: ['#ffffd4', '#fee391', '#fec44f', '#fe9929', '#ec7014', '#cc4c02', '#8c2d04'] },
    // cividis: designed to read the same with and without colour-vision deficiencies.
    soc_stock: { label: 'SOC stock', unit: 't C/ha', digits: 1,
      colours: ['#00224e', '#233e6c', '#575c6d', '#7c7b78', '#a69d75', '#d3c164', '#fee838'] },
    vwc: { label: 'Volumetric water content', unit: 'm³/m³', digits: 3,
      colours: ['#ffffcc', '#c7e9b4', '#7fcdbb', '#41b6c4', '#1d91c0', '#225ea8', '#0c2c84'] },
    soil_temperature: { label: 'Soil temperature', unit: '°C', digits: 1,
      colours: ['#ffffb2', '#fed976', '#feb24c', '#fd8d3c', '#fc4e2a', '#e31a1c', '#b10026'] },
    ec: { label: 'Electrical conductivity', unit: 'dS/m', digits: 2,
      colours: ['#f1eef6', '#d0d1e6', '#a6bddb', '#74a9cf', '#3690c0', '#0570b0', '#034e7b'] },
    ph: { label: 'Soil pH', unit: 'pH', digits: 2,
      colours: ['#440154', '#443983', '#31688e', '#21918c', '#35b779', '#90d743', '#fde725'] }
  };

  var LEVELS = {
    country: { plural: 'countries', valueNote: 'area-weighted mean of fields' },
    subregion: { plural: 'sub-regions', valueNote: 'area-weighted mean of fields' },
    region: { plural: 'regions', valueNote: 'area-weighted mean of fields' },
    field: { plural: 'fields', valueNote: 'mean of good readings' }
  };

  var FLAG_LABELS = {
    G: 'good',
    C01: 'below physical range',
    C02: 'above physical range',
    C03: 'above saturation',
    D01: 'soil frozen',
    D06: 'spike',
    D07: 'drop',
    D08: 'jump',
    D09: 'low plateau',
    D10: 'saturated plateau'
  };

  var controls = {
    mode: document.getElementById('mode'),
    quantity: document.getElementById('quantity'),
    level: document.getElementById('level'),
    resolution: document.getElementById('resolution')
  };
  var statusEl = document.getElementById('status');
  var form = document.getElementById('controls');
  var slider = document.getElementById('time');
  var latestButton = document.getElementById('latest');
  var timeLabel = document.getElementById('time-label');
  var ranking = document.getElementById('ranking');
  var rankingList = document.getElementById('ranking-list');

  var renderer = L.canvas({ padding: 0.5 });
  var map = L.map('map', {
    preferCanvas: true,
    renderer: renderer,
    minZoom: 2,
    maxZoom: 10,
    worldCopyJump: false,
    maxBounds: [[-85, -220], [85, 220]],
    zoomSnap: 0.5
  }).setView([25, 10], 2.5);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution('Boundaries: Natural Earth · Hierarchy: UN M49');

  var state = {
    key: null,          // level|quantity|resolution of what is drawn
    etag: null,
    layer: null,        // the drawn L.GeoJSON
    byId: {},           // feature id -> Leaflet layer
    base: null,         // country outlines under the field markers
    scale: null,
    updatedAt: null,
    summary: '',
    live: false,
    liveTimer: null,
    timer: null,
    inFlight: null,
    time: null,         // ISO start of the bucket the slider picks; null follows the latest
    range: null,        // { key, first, last, steps } of the slider, from /api/v1/layers/{level}/buckets
    rangeKey: null,
    sliderTimer: null,
    progress: null      // code -> progress entry, in progress mode
  };

  var legend = L.control({ position: 'bottomright' });
  legend.onAdd = function () {
    this.div = L.DomUtil.create('div', 'legend');
    L.DomEvent.disableClickPropagation(this.div);
    return this.div;
  };
  legend.addTo(map);

  readHash();
  Object.keys(controls).forEach(function (name) {
    controls[name].addEventListener('change', function () {
      if (name !== 'level' && name !== 'mode') {
        state.time = null;
      }
      writeHash();
      showMode();
      refresh(true);
    });
  });
  slider.addEventListener('input', function () {
    clearTimeout(state.sliderTimer);
    var range = state.range;
    if (!range) {
      return;
    }
    var index = Number(slider.value);
    state.time = index >= range.steps - 1 ? null : bucketAt(range, index);
    showTime();
    state.sliderTimer = setTimeout(function () {
      writeHash();
      refresh(true);
    }, SLIDER_DEBOUNCE_MS);
  });
  latestButton.addEventListener('click', function () {
    state.time = null;
    writeHash();
    showTime();
    refresh(true);
  });
  showMode();
  refresh(true);
  connectLive();

  // A view of what is drawn (the value and fill of each area), for the headless-browser test and for
  // anyone debugging from the console.
  window.soilMap = {
    drawn: function () {
      var features = {};
      Object.keys(state.byId).forEach(function (id) {
        var layer = state.byId[id];
        features[id] = { value: valueOf(layer.feature), fill: layer.options.fillColor };
      });
      return { key: state.key, live: state.live, time: state.time, range: state.range, features: features };
    },
    // Opens an area's popup, as a click would: the browser test cannot aim at canvas pixels.
    openPopup: function (id) {
      state.byId[id].openPopup();
    }
  };

  // ---- fetching ---------------------------------------------------------------------------------

  function selection() {
    var progress = controls.mode.value === 'progress';
    return {
      mode: controls.mode.value,
      // Progress is drawn on the layer's geometries; its SOC stock layer comes with them.
      quantity: progress ? 'soc_stock' : controls.quantity.value,
      level: controls.level.value,
      resolution: progress ? 'P1D' : controls.resolution.value,
      time: progress ? null : state.time
    };
  }

  function keyOf(s) {
    return s.mode + '|' + s.level + '|' + s.quantity + '|' + s.resolution + (s.time ? '|' + s.time : '');
  }

  function layerUrl(s) {
    return 'api/v1/layers/' + encodeURIComponent(s.level) + '?quantity=' + encodeURIComponent(s.quantity) +
      '&resolution=' + encodeURIComponent(s.resolution) + (s.time ? '&time=' + encodeURIComponent(s.time) : '');
  }

  function showMode() {
    var progress = controls.mode.value === 'progress';
    form.classList.toggle('progress-mode', progress);
    ranking.hidden = !progress;
  }

  function refresh(reset) {
    clearTimeout(state.timer);
    if (state.inFlight) {
      state.inFlight.abort();
    }
    var s = selection();
    var key = keyOf(s);
    if (reset && key !== state.key) {
      state.etag = null;
    }
    var headers = {};
    if (state.etag && key === state.key) {
      headers['If-None-Match'] = state.etag;
    }
    var abort = new AbortController();
    state.inFlight = abort;
    // no-store: the browser neither adds its own validators nor turns our 304 into a cached 200.
    fetch(layerUrl(s), { headers: headers, cache: 'no-store', signal: abort.signal })
      .then(function (response) {
        if (response.status === 304) {
          return null;
        }
        if (!response.ok) {
          return problemText(response).then(function (text) {
            throw new Error(text);
          });
        }
        state.etag = response.headers.get('ETag');
        return response.json();
      })
      .then(function (collection) {
        if (s.mode !== 'progress') {
          return collection;
        }
        return fetchProgress(s, abort).then(function () { return collection; });
      })
      .then(function (collection) {
        if (collection) {
          draw(key, s, collection);
          state.updatedAt = new Date();
        } else if (s.mode === 'progress' && state.layer) {
          restyle();
        }
        if (s.mode === 'progress') {
          renderRanking();
        } else {
          refreshRange(s);
        }
        showStatus(false);
        if (s.level === 'field') {
          ensureBase(s);
        }
      })
      .catch(function (error) {
        if (error.name === 'AbortError') {
          return;
        }
        showStatus(true, error.message);
      })
      .then(function () {
        if (state.inFlight === abort) {
          state.inFlight = null;
          state.timer = setTimeout(function () { refresh(false); }, state.live ? LIVE_REFRESH_MS : REFRESH_MS);
        }
      });
  }

  // The 4 ‰ progress of every area of the level, ranked by the API; kept by code for the join.
  function fetchProgress(s, abort) {
    return fetch('api/v1/progress?level=' + encodeURIComponent(s.level), { cache: 'no-store', signal: abort.signal })
      .then(function (response) {
        if (!response.ok) {
          return problemText(response).then(function (text) { throw new Error(text); });
        }
        return response.json();
      })
      .then(function (body) {
        var byCode = {};
        (body.areas || []).forEach(function (entry, index) {
          entry.rank = index + 1;
          byCode[entry.code] = entry;
        });
        state.progress = { byCode: byCode, areas: body.areas || [], asOf: body.as_of, target: body.target_rate };
      });
  }

  // The buckets the slider offers: from the layer's first bucket with data (at most MAX_STEPS back) to
  // its newest. Asked again after every draw, since new data moves the newest bucket.
  function refreshRange(s) {
    var rangeKey = s.level + '|' + s.quantity + '|' + s.resolution;
    fetch('api/v1/layers/' + encodeURIComponent(s.level) + '/buckets?quantity=' + encodeURIComponent(s.quantity) +
      '&resolution=' + encodeURIComponent(s.resolution), { cache: 'no-store' })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body || rangeKey !== selection().level + '|' + selection().quantity + '|' + selection().resolution) {
          return;
        }
        if (!body.last) {
          state.range = null;
        } else {
          var step = STEP_MS[s.resolution];
          var last = Date.parse(body.last);
          var first = Math.max(Date.parse(body.first), last - (MAX_STEPS[s.resolution] - 1) * step);
          state.range = { resolution: s.resolution, last: last, step: step,
            steps: Math.round((last - first) / step) + 1 };
        }
        showTime();
      })
      .catch(function () { /* the slider keeps its range until the next draw */ });
  }

  function bucketAt(range, index) {
    return new Date(range.last - (range.steps - 1 - index) * range.step).toISOString().replace('.000Z', 'Z');
  }

  function showTime() {
    var range = state.range;
    latestButton.setAttribute('aria-pressed', String(!state.time));
    if (!range) {
      slider.disabled = true;
      slider.max = '0';
      slider.value = '0';
      timeLabel.textContent = 'latest (no buckets yet)';
      return;
    }
    slider.disabled = false;
    slider.max = String(range.steps - 1);
    if (!state.time) {
      slider.value = String(range.steps - 1);
      timeLabel.textContent = 'latest of each area';
      return;
    }
    var index = range.steps - 1 - Math.round((range.last - Date.parse(state.time)) / range.step);
    slider.value = String(Math.max(0, Math.min(range.steps - 1, index)));
    timeLabel.textContent = formatBucket(state.time, range.resolution);
  }

  function connectLive() {
    if (!window.EventSource) {
      return;
    }
    var source = new EventSource('api/v1/live');
    // A layer may have changed between the first fetch and the stream's start: ask once (a 304 if not).
    source.addEventListener('versions', function () {
      state.live = true;
      if (!state.inFlight) {
        refresh(false);
      }
    });
    source.addEventListener('layer-changed', function (event) {
      var change = JSON.parse(event.data);
      if (change.level !== controls.level.value) {
        return;
      }
      clearTimeout(state.liveTimer);
      state.liveTimer = setTimeout(function () { refresh(false); }, LIVE_DEBOUNCE_MS);
    });
    // EventSource reconnects by itself; until then the map polls.
    source.addEventListener('error', function () {
      if (state.live) {
        state.live = false;
        refresh(false);
      }
    });
  }

  function problemText(response) {
    return response.json().then(function (problem) {
      return 'HTTP ' + response.status + ': ' + (problem.detail || problem.title || response.statusText);
    }, function () {
      return 'HTTP ' + response.status + ' ' + response.statusText;
    });
  }

  // Country outlines beneath the field markers, fetched once: their shapes do not change.
  function ensureBase(s) {
    if (state.base) {
      if (!map.hasLayer(state.base)) {
        state.base.addTo(map).bringToBack();
      }
      return;
    }
    fetch('api/v1/layers/country?quantity=' + encodeURIComponent(s.quantity), { cache: 'no-store' })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (collection) {
        if (!collection || state.base) {
          return;
        }
        state.base = L.geoJSON(collection, {
          renderer: renderer,
          interactive: false,
          style: { color: '#ffffff', weight: 0.6, fillColor: '#d9dee2', fillOpacity: 1 }
        });
        if (selection().level === 'field') {
          state.base.addTo(map).bringToBack();
        }
      })
      .catch(function () { /* the markers are still drawn; the outlines come with the next try */ });
  }

  // ---- drawing ----------------------------------------------------------------------------------

  function progressMode() {
    return controls.mode.value === 'progress';
  }

  // What an area is coloured by: its progress rate in progress mode, else the layer's value.
  function valueOf(feature) {
    if (progressMode()) {
      var entry = state.progress && state.progress.byCode[feature.id];
      return entry && typeof entry.rate === 'number' ? entry.rate : null;
    }
    return feature.properties.value;
  }

  function progressColour(rate) {
    for (var i = 0; i < PROGRESS_CLASSES.length; i++) {
      if (rate < PROGRESS_CLASSES[i].upTo) {
        return PROGRESS_CLASSES[i].colour;
      }
    }
    return PROGRESS_CLASSES[PROGRESS_CLASSES.length - 1].colour;
  }

  function restyle() {
    Object.keys(state.byId).forEach(function (id) {
      var layer = state.byId[id];
      layer.setStyle(style(layer.feature));
      layer.setTooltipContent(tooltip(layer.feature));
    });
  }

  function draw(key, s, collection) {
    var features = collection.features || [];
    var values = features
      .map(valueOf)
      .filter(function (v) { return typeof v === 'number' && isFinite(v); });
    state.scale = s.mode === 'progress' ? null : classes(values, QUANTITIES[s.quantity]);
    var withData = values.length;

    if (s.level !== 'field' && state.base && map.hasLayer(state.base)) {
      map.removeLayer(state.base);
    }

    var sameAreas = key === state.key && state.layer &&
      features.length === Object.keys(state.byId).length &&
      features.every(function (f) { return state.byId[f.id]; });
    if (sameAreas) {
      // Same layer, newer numbers: restyle in place so that an open popup stays open.
      features.forEach(function (feature) {
        var layer = state.byId[feature.id];
        if (layer) {
          layer.feature = feature;
          layer.setStyle(style(feature));
          layer.setTooltipContent(tooltip(feature));
          if (layer.isPopupOpen()) {
            layer.setPopupContent(popup(feature));
          }
        }
      });
    } else {
      if (state.layer) {
        map.removeLayer(state.layer);
      }
      state.byId = {};
      state.layer = L.geoJSON(collection, {
        renderer: renderer,
        style: style,
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, { renderer: renderer, radius: 6 });
        },
        onEachFeature: function (feature, layer) {
          state.byId[feature.id] = layer;
          layer.bindTooltip(tooltip(feature), { sticky: true, className: 'area-tip', direction: 'top' });
          layer.bindPopup(function (l) { return popup(l.feature); }, { maxWidth: 320 });
          layer.on('mouseover', function () {
            layer.setStyle({ weight: 2.2, color: '#1f2a33' });
            if (layer.bringToFront) {
              layer.bringToFront();
            }
          });
          layer.on('mouseout', function () { layer.setStyle(style(layer.feature)); });
          layer.on('popupopen', function () { layer.closeTooltip(); });
        }
      }).addTo(map);
      state.key = key;
    }
    renderLegend(s);
    var newest = features
      .map(function (f) { return f.properties.bucket; })
      .filter(Boolean)
      .sort()
      .pop();
    if (s.mode === 'progress') {
      state.summary = withData + ' of ' + features.length + ' ' + LEVELS[s.level].plural + ' with a SOC trend' +
        (state.progress && state.progress.asOf ? ' · as of ' + formatBucket(state.progress.asOf, 'P1D') : '');
    } else {
      state.summary = withData + ' of ' + features.length + ' ' + LEVELS[s.level].plural + ' with data' +
        (s.time ? ' · bucket ' + formatBucket(s.time, s.resolution)
          : newest ? ' · newest bucket ' + formatBucket(newest, s.resolution) : '');
    }
  }

  function style(feature) {
    var value = valueOf(feature);
    var hasValue = typeof value === 'number' && isFinite(value);
    var fill = !hasValue ? NO_DATA : progressMode() ? progressColour(value) : colourOf(value);
    if (feature.geometry && feature.geometry.type === 'Point') {
      return { color: hasValue ? '#263238' : '#8a949b', weight: 1, fillColor: fill, fillOpacity: 0.95, radius: 6 };
    }
    return { color: '#ffffff', weight: 0.7, fillColor: fill, fillOpacity: hasValue ? 0.92 : 0.75 };
  }

  // Seven equal-interval classes over the values on the map now.
  function classes(values, quantity) {
    if (values.length === 0) {
      return null;
    }
    var min = Math.min.apply(null, values);
    var max = Math.max.apply(null, values);
    var n = quantity.colours.length;
    if (max === min) {
      return { min: min, max: max, step: 0, colours: quantity.colours, digits: quantity.digits };
    }
    return { min: min, max: max, step: (max - min) / n, colours: quantity.colours, digits: quantity.digits };
  }

  function colourOf(value) {
    var scale = state.scale;
    if (!scale) {
      return NO_DATA;
    }
    if (scale.step === 0) {
      return scale.colours[Math.floor(scale.colours.length / 2)];
    }
    var index = Math.floor((value - scale.min) / scale.step);
    index = Math.max(0, Math.min(scale.colours.length - 1, index));
    return scale.colours[index];
  }

  function renderLegend(s) {
    var quantity = QUANTITIES[s.quantity];
    var div = legend.div;
    div.textContent = '';
    if (s.mode === 'progress') {
      div.appendChild(el('h2', null, 'SOC stock change (‰ a year)'));
      for (var c = PROGRESS_CLASSES.length - 1; c >= 0; c--) {
        div.appendChild(legendRow(PROGRESS_CLASSES[c].colour, PROGRESS_CLASSES[c].label));
      }
      div.appendChild(legendRow(NO_DATA, 'insufficient data'));
      div.appendChild(el('div', 'note', 'Relative annual change of the 0–30 cm SOC stock; the "4 per 1000" ' +
        'target is +4 ‰ a year.'));
      return;
    }
    var title = el('h2', null, quantity.label + ' (' + quantity.unit + ')');
    div.appendChild(title);
    var scale = state.scale;
    if (scale) {
      if (scale.step === 0) {
        div.appendChild(legendRow(scale.colours[Math.floor(scale.colours.length / 2)], fmt(scale.min, scale.digits)));
      } else {
        for (var i = scale.colours.length - 1; i >= 0; i--) {
          var lower = scale.min + i * scale.step;
          var upper = i === scale.colours.length - 1 ? scale.max : lower + scale.step;
          div.appendChild(legendRow(scale.colours[i], fmt(lower, scale.digits) + ' – ' + fmt(upper, scale.digits)));
        }
      }
    }
    div.appendChild(legendRow(NO_DATA, 'no data'));
    div.appendChild(el('div', 'note', LEVELS[s.level].valueNote + ', ' +
      (s.time ? formatBucket(s.time, s.resolution) : 'latest ' + (s.resolution === 'P1D' ? 'daily' : 'hourly') +
        ' bucket') + '; classes span the values shown'));
  }

  function legendRow(colour, text) {
    var row = el('div', 'row');
    var swatch = el('span', 'swatch');
    swatch.style.background = colour;
    row.appendChild(swatch);
    row.appendChild(el('span', null, text));
    return row;
  }

  function tooltip(feature) {
    var p = feature.properties;
    if (progressMode()) {
      var entry = state.progress && state.progress.byCode[feature.id];
      var tip = document.createElement('span');
      tip.textContent = p.name + ': ' + (entry && typeof entry.rate === 'number'
        ? permille(entry.rate) + ' a year (' + STATUS_LABELS[entry.status] + ')' : 'insufficient data');
      return tip;
    }
    var quantity = QUANTITIES[p.quantity];
    var text = p.name + ': ' + (typeof p.value === 'number' ? fmt(p.value, quantity.digits) + ' ' + quantity.unit : 'no data');
    var span = document.createElement('span');
    span.textContent = text;
    return span;
  }

  function popup(feature) {
    if (progressMode()) {
      return progressPopup(feature);
    }
    var p = feature.properties;
    var quantity = QUANTITIES[p.quantity];
    var root = el('div', 'popup');
    root.appendChild(el('h3', null, p.name + (p.code !== p.name ? ' (' + p.code + ')' : '')));
    if (typeof p.value !== 'number') {
      root.appendChild(el('p', 'nodata', 'No ' + quantity.label.toLowerCase() + ' data yet.'));
      return root;
    }
    root.appendChild(el('div', 'headline', fmt(p.value, quantity.digits) + ' ' + quantity.unit));
    var table = el('table');
    addRow(table, 'Bucket', formatBucket(p.bucket, p.resolution));
    addRow(table, 'Good readings', String(p.count));
    if (typeof p.mean === 'number' && p.level !== 'field') {
      addRow(table, 'Plain mean', fmt(p.mean, quantity.digits) + ' ' + quantity.unit);
    }
    if (typeof p.min === 'number') {
      addRow(table, 'Range', fmt(p.min, quantity.digits) + ' – ' + fmt(p.max, quantity.digits) + ' ' + quantity.unit);
    }
    if (p.level !== 'field') {
      addRow(table, 'Contributing', p.members + ' ' + (p.level === 'country' ? 'field' : 'area') +
        (p.members === 1 ? '' : 's') + ', ' + fmt(p.area_ha, 1) + ' ha');
    } else if (p.country) {
      addRow(table, 'Country', p.country);
    }
    var flags = el('ul', 'flags');
    Object.keys(p.flags || {}).sort(function (a, b) {
      return a === 'G' ? -1 : b === 'G' ? 1 : a < b ? -1 : a > b ? 1 : 0;
    }).forEach(function (code) {
      var label = FLAG_LABELS[code] ? code + ' ' + FLAG_LABELS[code] : code;
      flags.appendChild(el('li', null, label + ': ' + p.flags[code]));
    });
    addRow(table, 'QC (' + p.flagged + ' readings)', flags);
    root.appendChild(table);
    var chart = el('div', 'chart', 'Loading the last ' + (p.resolution === 'P1D' ? '30 days' : '48 hours') + '…');
    root.appendChild(chart);
    drawSeries(chart, p);
    return root;
  }

  function progressPopup(feature) {
    var p = feature.properties;
    var entry = state.progress && state.progress.byCode[feature.id];
    var root = el('div', 'popup');
    root.appendChild(el('h3', null, p.name + (p.code !== p.name ? ' (' + p.code + ')' : '')));
    if (!entry) {
      root.appendChild(el('p', 'nodata', 'No SOC stock trend for this area yet.'));
      return root;
    }
    if (typeof entry.rate === 'number') {
      root.appendChild(el('div', 'headline', permille(entry.rate) + ' a year'));
    }
    var table = el('table');
    if (typeof entry.rate_low === 'number' && typeof entry.rate_high === 'number') {
      addRow(table, '95 % interval', permille(entry.rate_low) + ' to ' + permille(entry.rate_high));
    }
    addRow(table, 'Status', el('span', 'status-' + entry.status, STATUS_LABELS[entry.status] || entry.status));
    addRow(table, 'Rank', entry.rank + ' of ' + state.progress.areas.length);
    if (typeof entry.stock_t === 'number') {
      addRow(table, 'SOC stock', fmt(entry.stock_t, 0) + ' t C' +
        (typeof entry.stock_density_t_ha === 'number' ? ' (' + fmt(entry.stock_density_t_ha, 1) + ' t C/ha)' : ''));
    }
    if (typeof entry.delta_t_per_year === 'number') {
      addRow(table, 'Change', (entry.delta_t_per_year >= 0 ? '+' : '') + fmt(entry.delta_t_per_year, 1) +
        ' t C a year');
    }
    if (typeof entry.area_ha === 'number') {
      addRow(table, 'Area', fmt(entry.area_ha, 1) + ' ha');
    }
    var statuses = el('ul', 'flags');
    Object.keys(entry.fields_by_status || {}).forEach(function (status) {
      statuses.appendChild(el('li', null, (STATUS_LABELS[status] || status) + ': ' + entry.fields_by_status[status]));
    });
    addRow(table, 'Fields (' + entry.fields + ')', statuses);
    if (typeof entry.coverage === 'number') {
      addRow(table, 'Coverage', Math.round(entry.coverage * 100) + ' % of fields have a trend');
    }
    root.appendChild(table);
    return root;
  }

  function renderRanking() {
    rankingList.textContent = '';
    if (!state.progress) {
      return;
    }
    state.progress.areas.forEach(function (entry) {
      var item = el('li');
      var swatch = el('span', 'swatch');
      swatch.style.background = typeof entry.rate === 'number' ? progressColour(entry.rate) : NO_DATA;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(entry.name));
      item.appendChild(el('span', 'rate', typeof entry.rate === 'number' ? permille(entry.rate) : '–'));
      item.title = STATUS_LABELS[entry.status] || entry.status;
      item.addEventListener('click', function () {
        var layer = state.byId[entry.code];
        if (layer) {
          layer.openPopup();
        }
      });
      rankingList.appendChild(item);
    });
  }

  function permille(rate) {
    var text = (rate * 1000).toLocaleString(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    return (rate > 0 ? '+' : '') + text + ' ‰';
  }

  // The buckets up to the one shown: 48 hours or 30 days, as a small line chart (inline SVG).
  function drawSeries(chart, p) {
    var daily = p.resolution === 'P1D';
    var to = new Date(new Date(p.bucket).getTime() + (daily ? 86400000 : 3600000));
    var from = new Date(to.getTime() - (daily ? 30 * 86400000 : 48 * 3600000));
    var url = 'api/v1/series?level=' + encodeURIComponent(p.level) + '&area=' + encodeURIComponent(p.code) +
      '&quantity=' + encodeURIComponent(p.quantity) + '&resolution=' + encodeURIComponent(p.resolution) +
      '&from=' + from.toISOString() + '&to=' + to.toISOString();
    fetch(url, { cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) {
          throw new Error('HTTP ' + response.status);
        }
        return response.json();
      })
      .then(function (series) {
        var points = series.points.filter(function (point) { return typeof point.value === 'number'; });
        chart.textContent = '';
        if (points.length < 2) {
          chart.appendChild(el('span', 'note', 'Not enough history for a chart yet.'));
          return;
        }
        var quantity = QUANTITIES[p.quantity];
        var values = points.map(function (point) { return point.value; });
        var min = Math.min.apply(null, values);
        var max = Math.max.apply(null, values);
        var span = max - min || 1;
        var width = 260;
        var height = 64;
        var t0 = from.getTime();
        var t1 = to.getTime();
        var svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
        svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
        svg.setAttribute('width', String(width));
        svg.setAttribute('height', String(height));
        svg.setAttribute('role', 'img');
        svg.setAttribute('aria-label', quantity.label + ' over the last ' + points.length + ' buckets');
        var line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
        line.setAttribute('points', points.map(function (point) {
          var x = (new Date(point.bucket).getTime() - t0) / (t1 - t0) * (width - 8) + 4;
          var y = height - 6 - (point.value - min) / span * (height - 12);
          return x.toFixed(1) + ',' + y.toFixed(1);
        }).join(' '));
        line.setAttribute('fill', 'none');
        line.setAttribute('stroke', quantity.colours[5]);
        line.setAttribute('stroke-width', '2');
        svg.appendChild(line);
        chart.appendChild(svg);
        chart.appendChild(el('span', 'note', fmt(min, quantity.digits) + ' – ' + fmt(max, quantity.digits) + ' ' +
          quantity.unit + ' over ' + (daily ? '30 days' : '48 hours') + ' (' + points.length + ' buckets)'));
      })
      .catch(function (error) {
        chart.textContent = 'No chart (' + error.message + ').';
      });
  }

  function addRow(table, label, content) {
    var tr = el('tr');
    tr.appendChild(el('th', null, label));
    var td = el('td');
    if (typeof content === 'string') {
      td.textContent = content;
    } else {
      td.appendChild(content);
    }
    tr.appendChild(td);
    table.appendChild(tr);
  }

  // ---- status, formatting, URL ------------------------------------------------------------------

  function showStatus(failed, message) {
    var now = new Date();
    statusEl.textContent = '';
    statusEl.className = failed ? 'status error' : 'status';
    statusEl.appendChild(el('span', 'dot'));
    var text;
    if (failed) {
      text = 'Cannot refresh (' + message + ') · retrying every ' + REFRESH_MS / 1000 + ' s';
      if (state.updatedAt) {
        text += ' · showing data from ' + clock(state.updatedAt);
      }
    } else {
      text = 'Updated ' + clock(state.updatedAt || now) + ' · ' + state.summary + ' · checked ' + clock(now) +
        (state.live ? ' · live' : ' · every ' + REFRESH_MS / 1000 + ' s');
    }
    statusEl.appendChild(document.createTextNode(text));
  }

  function formatBucket(iso, resolution) {
    var d = new Date(iso);
    var day = d.toISOString().slice(0, 10);
    return resolution === 'P1D' ? day + ' (UTC day)' : day + ' ' + d.toISOString().slice(11, 16) + ' UTC';
  }

  function clock(date) {
    return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  }

  function fmt(value, digits) {
    return Number(value).toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function readHash() {
    var params = new URLSearchParams(location.hash.slice(1));
    Object.keys(controls).forEach(function (name) {
      var value = params.get(name);
      if (value && Array.prototype.some.call(controls[name].options, function (o) { return o.value === value; })) {
        controls[name].value = value;
      }
    });
    var time = params.get('time');
    state.time = time && !isNaN(Date.parse(time)) ? time : null;
  }

  function writeHash() {
    var hash = '#mode=' + controls.mode.value + '&level=' + controls.level.value + '&quantity=' +
      controls.quantity.value + '&resolution=' + controls.resolution.value;
    if (state.time) {
      hash += '&time=' + state.time;
    }
    history.replaceState(null, '', hash);
  }
})();
