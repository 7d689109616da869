// A chain's graph in its frame: placed and sized to be legible, and a chain every visitor can walk.
//
// Reads SCENE (written by ui/graph.py before this script, from core.babygpt.scene): one ring of the states per
// width-to-height ratio, every state's and arrow's numbers, whether every arrow is labelled or only those of the
// state in focus, the texts in the page's language. Every text reaches the page with textContent, never as markup.
//
// - Fit: the ring whose labels come out largest in this frame is drawn, centred, never below MIN_PX on screen.
// - Asked, a state answers (hover, tap, or the keyboard): a panel with its arrows, GPT beside data, and for a
//   never-seen state why the GPT has an arrow at all, with a link to the explanation.
// - Keyboard: Tab reaches the graph; Up / Down choose one of the state's arrows, Right follows it, Left goes back;
//   Enter reads the state's arrows; Escape leaves. The state in focus has an orange border.
// - A screen reader reads the chain as a table right after the graph, in step with the player.
// - The player (ui/play.js) calls chain.arrows(pcts, probs, step) for every frame it draws, chain.say(text) when it
//   stops or steps.
(function () {
  if (typeof network === 'undefined' || typeof SCENE === 'undefined') return;
  var S = SCENE, T = S.text, FOCUS = S.colours.focus;
  var box = document.getElementById('mynetwork');
  var byId = {}, out = {};
  S.nodes.forEach(function (n) { byId[n.id] = n; out[n.id] = []; });
  var edge = {}, reverse = {}, pair = {};
  S.edges.forEach(function (e) { edge[e.id] = e; out[e.from].push(e.id); pair[e.from + '>' + e.to] = e.id; });
  S.edges.forEach(function (e) { if (e.from !== e.to && pair[e.to + '>' + e.from]) reverse[e.id] = pair[e.to + '>' + e.from]; });

  function el(tag, cls, text) {
    var x = document.createElement(tag);
    if (cls) x.className = cls;
    if (text !== undefined) x.textContent = text;
    return x;
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? values[k] : m; });
  }
  function arrowText(e) { return fill(S.arrowLabel, {sym: e.sym, pct: e.pct}) + (e.data ? '\n' + e.data : ''); }

  // ---- fit: the ring that draws the labels largest, centred in the frame
  var grown = 1;
  function fit() {
    var w = box.clientWidth, h = box.clientHeight;
    if (!w || !h) return;
    var best = S.rings[0], scale = 0;
    S.rings.forEach(function (r) {
      var s = Math.min(w / r.width, h / r.height);
      if (s > scale) { scale = s; best = r; }
    });
    if (best !== S.drawn) {
      S.drawn = best;
      nodes.update(S.nodes.map(function (n, i) { return {id: n.id, x: best.pos[i][0], y: best.pos[i][1]}; }));
      edges.update(S.edges.map(function (e) {
        var a = best.pos[S.index[e.from]], b = best.pos[S.index[e.to]];
        if (e.from === e.to) return {id: e.id, selfReference: {angle: best.loops[S.index[e.from]], size: S.loop, renderBehindTheNode: true}};
        // two arrows between the same states bow apart far enough for their labels to pass each other,
        // and a short arrow bows until its label clears both states
        var len = Math.hypot(a[0] - b[0], a[1] - b[1]), bow = S.bow;
        if (S.labelAll && reverse[e.id]) bow = Math.max(bow, 2 * (S.labelHeight + S.bowRoom[0]) / len);
        if (S.labelAll && len < S.shortArrow) bow = Math.max(bow, (S.labelHeight + S.boxHeight + S.bowRoom[1]) / len);
        bow = Math.min(S.bowRoom[2], bow);
        return {id: e.id, smooth: {type: 'curvedCW', roundness: bow}};
      }));
    }
    network.moveTo({position: {x: 0, y: 0}, scale: scale, animation: false});
    var grow = Math.max(1, (S.minPx + 0.05) / (S.smallest * scale));  // a frame too small for the ring: the labels grow
    if (Math.abs(grow - grown) > 0.01) {
      grown = grow;
      var sized = function (size) {  // the font's other settings kept (face, colour, background)
        return function (x) { return {id: x.id, font: Object.assign({}, x.font, {size: Math.round(size * grow)})}; };
      };
      nodes.update(nodes.get().map(sized(S.nodeFont)));
      edges.update(edges.get().map(sized(S.edgeFont)));
    }
    box.dataset.scale = scale.toFixed(3);
    if (S.labelAll) network.once('afterDrawing', untangle);
  }

  // ---- an arrow's label that lands on a state or on another label: its arrow bows further, or the other way,
  // until the label is clear (the label sits on the arrow's middle; vis-network's curvedCW / curvedCCW geometry)
  function middle(e, type, bow) {
    var a = network.body.nodes[e.from], b = network.body.nodes[e.to];
    var dx = b.x - a.x, dy = a.y - b.y, len = Math.hypot(dx, dy), pi = Math.PI;
    var g = (Math.atan2(dy, dx) + ((type === 'curvedCW' ? 0.5 : -0.5) * bow + 0.5) * pi) % (2 * pi);
    var via = {x: a.x + (0.5 * bow + 0.5) * len * Math.sin(g), y: a.y + (0.5 * bow + 0.5) * len * Math.cos(g)};
    return {x: 0.25 * a.x + 0.5 * via.x + 0.25 * b.x, y: 0.25 * a.y + 0.5 * via.y + 0.25 * b.y};
  }
  var CHOICES = [['curvedCW', 0.3], ['curvedCW', 0.45], ['curvedCCW', 0.15], ['curvedCCW', 0.3], ['curvedCW', 0.6],
                 ['curvedCCW', 0.45], ['curvedCW', 0.75], ['curvedCCW', 0.6]];
  function untangle() {
    var boxes = nodes.getIds().map(function (id) {
      var b = network.getBoundingBox(id);
      return {l: b.left - 3, t: b.top - 3, r: b.right + 3, b: b.bottom + 3};
    });
    var hit = function (a) {
      return boxes.some(function (b) { return a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b; });
    };
    var labelled = S.edges.map(function (e) { return {e: e, x: network.body.edges[e.id]}; }).filter(function (p) {
      return p.x && p.x.labelModule && p.x.labelModule.size.width;
    });
    labelled.sort(function (a, b) { return (b.e.from === b.e.to) - (a.e.from === a.e.to); });  // loops cannot move
    var moves = [];
    labelled.forEach(function (p) {
      var z = p.x.labelModule.size, box = {l: z.left, t: z.top, r: z.left + z.width, b: z.top + z.height};
      if (p.e.from !== p.e.to && hit(box)) {
        var sm = p.x.options.smooth, now = middle(p.e, sm.type, sm.roundness);
        for (var i = 0; i < CHOICES.length; i++) {
          var m = middle(p.e, CHOICES[i][0], CHOICES[i][1]), dx = m.x - now.x, dy = m.y - now.y;
          var moved = {l: box.l + dx, t: box.t + dy, r: box.r + dx, b: box.b + dy};
          if (!hit(moved)) {
            box = moved;
            moves.push({id: p.e.id, smooth: {type: CHOICES[i][0], roundness: CHOICES[i][1]}});
            break;
          }
        }
      }
      boxes.push(box);
    });
    if (moves.length) edges.update(moves);
  }

  // ---- labels: every arrow's, or the state in focus's only
  var focus = null, chosen = 0, trail = [];
  function shown(id) { return S.labelAll || (focus !== null && (edge[id].from === focus)); }
  function relabel(ids) {
    edges.update((ids || Object.keys(edge)).map(function (id) {
      return {id: id, label: shown(id) ? arrowText(edge[id]) : ''};
    }));
  }

  // ---- the panel: what a state says when asked
  var panel = el('div', 'state-info');
  panel.id = 'state-info';
  panel.hidden = true;
  var live = el('div', 'sr-only');
  live.setAttribute('aria-live', 'polite');
  live.id = 'chain-live';
  box.appendChild(panel);
  document.body.appendChild(live);
  function seenText(n) { return n.says; }
  function arrowLine(e) {
    return fill(T.arrow, {sym: e.sym, to: byId[e.to].label, pct: e.pct}) + (e.data ? ' · ' + e.data : '');
  }
  function describe(id) {  // one line per fact: what a screen reader says on Enter
    var n = byId[id], lines = [fill(T.state, {label: n.label}) + ' · ' + seenText(n)];
    out[id].forEach(function (eid) { lines.push(arrowLine(edge[eid])); });
    if (n.deterministic) lines.push(T.deterministic);
    if (!n.seen && !n.end) lines.push(T.why);
    return lines;
  }
  function showPanel(id) {
    if (id === null || byId[id] === undefined) { panel.hidden = true; return; }
    var n = byId[id], lines = describe(id);
    panel.replaceChildren();
    panel.appendChild(el('div', 'state-title', lines[0]));
    var list = el('ul', 'state-arrows');
    out[id].forEach(function (eid, i) {
      var li = el('li', i === chosen && keyboard ? 'chosen' : '', arrowLine(edge[eid]));
      list.appendChild(li);
    });
    if (out[id].length) panel.appendChild(list);
    lines.slice(1 + out[id].length).forEach(function (line) { panel.appendChild(el('p', '', line)); });
    if (!n.seen && !n.end && S.explain) {
      var href = explainLink(n.label);
      if (href) {
        var a = el('a', 'state-link', fill(T.why_link, {label: n.label}));
        a.href = href;
        a.target = '_top';
        panel.appendChild(a);
      }
    }
    panel.hidden = false;
  }
  function explainLink(label) {  // the page's own address with the explanation's tab open on this state
    try {
      var here = new URL(window.parent.location.href), url = new URL(S.explain.page, here.href);
      if (url.pathname === here.pathname) url.search = here.search;  // this page's own settings
      else if (here.searchParams.has('lang')) url.searchParams.set('lang', here.searchParams.get('lang'));
      url.searchParams.set(S.explain.tab[0], S.explain.tab[1]);
      url.searchParams.set(S.explain.state, label);
      return url.href;
    } catch (err) { return null; }  // a standalone file: no page to open
  }

  // ---- focus: the state asked about (hover, tap, keyboard), drawn with an orange border
  var keyboard = false, ring = null, shade = {};
  function paint(id) {  // a state keeps its colour hovered or selected (vis would pale it); in focus, an orange border
    var n = byId[id], c = {background: shade[id] || n.color.background, border: id === ring ? FOCUS : n.color.border};
    return {id: id, color: {background: c.background, border: c.border, highlight: c, hover: c},
            borderWidth: id === ring ? S.marks.focus : n.borderWidth};
  }
  function setFocus(id) {
    var before = focus, was = ring;
    focus = id;
    ring = id;
    nodes.update([was, id].filter(function (x) { return x !== null && byId[x]; }).map(paint));
    if (!S.labelAll) relabel([].concat(before !== null ? out[before] : [], id !== null ? out[id] : []));
    highlightChosen();
    showPanel(id);
  }
  var lit = null;
  function highlightChosen() {
    if (lit !== null) { edges.update({id: lit, color: S.colours.edge}); lit = null; }
    if (!keyboard || focus === null || !out[focus].length) return;
    lit = out[focus][chosen % out[focus].length];
    edges.update({id: lit, color: {color: FOCUS, highlight: FOCUS, hover: FOCUS}});
  }
  network.on('hoverNode', function (p) { if (!keyboard) setFocus(p.node); });
  network.on('blurNode', function () { if (!keyboard) setFocus(pinned); });  // back to the tapped state, if any
  var pinned = null;
  network.on('click', function (p) {  // a tap or a click keeps the state's panel open; elsewhere closes it
    keyboard = false;
    pinned = p.nodes.length ? p.nodes[0] : null;
    setFocus(pinned);
  });

  // ---- the keyboard
  box.tabIndex = 0;
  box.setAttribute('role', 'group');
  box.setAttribute('aria-label', fill(T.graph, {n: S.nodes.length}));
  box.setAttribute('aria-describedby', 'chain-keys');
  var keys = el('p', 'sr-only', T.keys);
  keys.id = 'chain-keys';
  document.body.appendChild(keys);
  box.addEventListener('focus', function () {
    keyboard = true;
    if (focus === null) { chosen = 0; trail = []; setFocus(S.start); }
  });
  box.addEventListener('blur', function (ev) {
    if (panel.contains(ev.relatedTarget)) return;  // the panel's link
    keyboard = false;
    highlightChosen();
  });
  box.addEventListener('keydown', function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey || focus === null) return;
    var arrows = out[focus], k = ev.key;
    if (k === 'ArrowDown' || k === 'ArrowUp') {
      if (!arrows.length) return;
      chosen = (chosen + (k === 'ArrowDown' ? 1 : arrows.length - 1)) % arrows.length;
      highlightChosen();
      showPanel(focus);
      say(arrowLine(edge[arrows[chosen]]));
    } else if (k === 'ArrowRight') {
      if (!arrows.length) return;
      var to = edge[arrows[chosen % arrows.length]].to;
      if (to === focus || byId[to].end) {  // a loop, or a state drawn without its arrows: the walk stays here
        say(fill(to === focus ? T.stays : T.outside, {label: byId[to].label}));
        ev.preventDefault();
        return;
      }
      trail.push(focus);
      chosen = 0;
      setFocus(to);
      say(describe(to)[0]);
    } else if (k === 'ArrowLeft') {
      if (!trail.length) { say(T.first); ev.preventDefault(); return; }
      chosen = 0;
      setFocus(trail.pop());
      say(describe(focus)[0]);
    } else if (k === 'Enter' || k === ' ') {
      say(describe(focus).join('. '));
    } else if (k === 'Escape') {
      keyboard = false;
      setFocus(null);
      var next = document.querySelector('.play-bar button, button');
      if (next) next.focus(); else box.blur();
    } else return;
    ev.preventDefault();
    ev.stopPropagation();
  });
  function say(text) { live.textContent = ''; setTimeout(function () { live.textContent = text; }, 30); }

  // ---- the chain as a table, for a screen reader (after the graph, in step with the player)
  var table = el('table', 'sr-only');
  table.id = 'chain-table';
  var caption = el('caption');
  table.appendChild(caption);
  var head = el('tr');
  [T.col_state, T.col_seen, T.col_arrows].forEach(function (c) { var th = el('th', '', c); th.scope = 'col'; head.appendChild(th); });
  var thead = el('thead');
  thead.appendChild(head);
  table.appendChild(thead);
  var tbody = el('tbody');
  table.appendChild(tbody);
  box.parentNode.insertBefore(table, box.nextSibling);
  function tabulate() {
    caption.textContent = S.step === null || S.step === undefined ? T.caption_plain : fill(T.caption, {step: S.step, T: S.T});
    tbody.replaceChildren();
    S.nodes.forEach(function (n) {
      var tr = el('tr'), th = el('th', '', n.label);
      th.scope = 'row';
      tr.appendChild(th);
      tr.appendChild(el('td', '', seenText(n)));
      tr.appendChild(el('td', '', out[n.id].map(function (eid) { return arrowLine(edge[eid]); }).join('; ')));
      tbody.appendChild(tr);
    });
  }

  // ---- what the player calls
  var pending = null;
  window.chain = {
    arrows: function (pcts, probs, step) {  // a frame's numbers, every arrow in SCENE's order: percent, probability
      S.edges.forEach(function (e, i) { e.pct = pcts[i]; });
      edges.update(S.edges.map(function (e, i) {
        return {id: e.id, label: shown(e.id) ? arrowText(e) : '', width: S.width[0] + S.width[1] * probs[i]};
      }));
      if (step !== undefined) S.step = step;
      if (focus !== null) showPanel(focus);
      clearTimeout(pending);  // the table follows once the frames stop coming
      pending = setTimeout(tabulate, 250);
    },
    states: function (shades) {  // [id, background] of the states the player pales (a focused one keeps its ring)
      shades.forEach(function (x) { shade[x[0]] = x[1]; });
      nodes.update(shades.filter(function (x) { return byId[x[0]]; }).map(function (x) { return paint(x[0]); }));
    },
    say: say,
    focus: function () { return focus; },
    label: function (id) { return byId[id] ? byId[id].label : ''; }
  };

  relabel();
  tabulate();
  new ResizeObserver(fit).observe(box);
  fit();
})();
