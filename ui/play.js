// Plays a chain graph in its own frame: a training (every stored snapshot) or a seeded walk.
//
// Reads PLAY (written by ui/player.py into the page, ui/graph.html, before this script): the frames' numbers, the drawn arrows and
// states, the texts of the controls. Every frame is drawn from those numbers in the browser: nothing is
// asked of the server while playing. When playing stops on another step than the page's, the step is
// handed once to the page (window.parent.babygptPlay[channel]), which reruns there and keeps it in the
// address. Texts reach the page with textContent only, never as markup.
(function () {
  if (typeof network === 'undefined' || typeof PLAY === 'undefined' || typeof chain === 'undefined') return;
  var P = PLAY, T = P.text;
  var reduce = !!(window.matchMedia && matchMedia('(prefers-reduced-motion: reduce)').matches);
  var SPEEDS = [0.5, 1, 2, 4], BASE_MS = 400, HIGHLIGHT = SCENE.colours.focus, PALEST = SCENE.colours.palest;
  var colour = {};  // each state's own colour, the scene's
  SCENE.nodes.forEach(function (n) { colour[n.id] = n.color.background; });
  var box = document.getElementById('mynetwork');

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  var ICONS = {  // 24 x 24 paths: no font is needed for the symbols
    back: 'M6 5h2v14H6zM20 5v14L9 12z', play: 'M7 4v16l13-8z', pause: 'M6 5h4v14H6zM14 5h4v14h-4z',
    forward: 'M16 5h2v14h-2zM4 5v14l11-7z'
  };
  function icon(b, name) {
    var svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    var path = document.createElementNS(svg.namespaceURI, 'path');
    path.setAttribute('d', ICONS[name]);
    svg.appendChild(path);
    b.replaceChildren(svg);
  }
  function button(cls, label, name) {
    var b = el('button', 'play-btn ' + cls);
    b.type = 'button';
    b.setAttribute('aria-label', label);
    b.title = label;
    icon(b, name);
    return b;
  }

  // ---- the numbers of one frame, and drawing them (tweened unless motion is reduced)
  var tr = P.training, wk = P.walk;
  var mode = null;
  var at = {training: tr ? tr.start : 0, walk: 0};
  function count() { return mode === 'training' ? tr.steps.length : wk.tokens.length + 1; }

  function mix(hex, amount) {  // `hex` towards the grey of its own lightness (labels stay legible): amount 1 is the colour
    var c = parseInt(hex.slice(1), 16), r = c >> 16, g = (c >> 8) & 255, b = c & 255;
    var grey = 0.299 * r + 0.587 * g + 0.114 * b;
    var f = function (x) { return Math.round(grey + (x - grey) * amount); };
    return 'rgb(' + f(r) + ',' + f(g) + ',' + f(b) + ')';
  }
  var drawn = {p: null, sure: null};  // the numbers on the canvas now (training), where a tween starts from

  function training(frame, mixing, from) {  // mixing in [0, 1]: from `from` to frame `frame`'s numbers
    var p = tr.probs[frame], sure = tr.sure[frame];
    from = from && from.p ? from : {p: p, sure: sure};
    var q = p.map(function (x, i) { return from.p[i] + (x - from.p[i]) * mixing; });
    var s = sure.map(function (x, i) { return from.sure[i] + (x - from.sure[i]) * mixing; });
    var pcts = q.map(function (x, i) { return mixing >= 1 ? tr.pct[frame][i] : Math.round(x / 10); });
    chain.arrows(pcts, q.map(function (x) { return x / 1000; }), mixing >= 1 ? tr.steps[frame] : undefined);
    chain.states(tr.nodes.map(function (id, i) { return [id, mix(colour[id], PALEST + (1 - PALEST) * s[i] / 1000)]; }));
    drawn = {p: q, sure: s};
  }

  var lit = {node: null, edge: null};
  function walk(i) {  // the walk after i tokens: the state it is in, the arrow it takes next, the text so far
    lightsOff();
    var state = wk.states[i], e = i < wk.tokens.length ? wk.edges[i] : null;
    var n = nodes.get(state);
    if (n) {
      lit.node = {id: state, color: n.color, borderWidth: n.borderWidth};
      nodes.update({id: state, color: {background: (n.color && n.color.background) || n.color, border: HIGHLIGHT},
                    borderWidth: SCENE.marks.walk});
    }
    if (e !== null && e !== undefined) {
      var x = edges.get(e);
      if (x) {
        lit.edge = {id: e, color: x.color, width: x.width};
        edges.update({id: e, color: {color: HIGHLIGHT, highlight: HIGHLIGHT}, width: Math.max(x.width || 1, SCENE.marks.least) + SCENE.marks.wider});
      }
    }
    text.textContent = wk.symbols.slice(0, i).join('');
    where.textContent = n ? '' : T.not_drawn;
  }

  var tween = null, report = null;
  function show(i, animate) {
    if (tween) {  // the running tween ends at once: every step reached is drawn exactly and shown
      cancelAnimationFrame(tween);
      tween = null;
      if (mode === 'training') { training(at.training, 1); readout(); }
    }
    at[mode] = i;
    if (mode === 'walk') { walk(i); readout(); return; }
    var ms = animate && !reduce ? 0.8 * BASE_MS / SPEEDS[speed.selectedIndex] : 0;
    if (!ms) { training(i, 1); readout(); return; }
    var t0 = performance.now(), from = drawn, named = false;
    var stepTo = function (now) {
      var m = Math.min(1, (now - t0) / ms), mixing = m * m * (3 - 2 * m);
      training(i, mixing, from);
      if (!named && mixing >= 0.5) { named = true; readout(); }  // the label names the step the arrows are nearer
      if (m < 1) tween = requestAnimationFrame(stepTo);
      else { tween = null; readout(); }
    };
    tween = requestAnimationFrame(stepTo);
  }

  // ---- the controls: below the graph, in the frame
  var bar = el('div', 'play-bar');
  bar.setAttribute('role', 'group');
  bar.setAttribute('aria-label', T.controls);
  var modes = null;
  if (tr && wk) {
    modes = el('div', 'play-modes');
    modes.setAttribute('role', 'radiogroup');
    [['training', T.training], ['walk', T.walk]].forEach(function (m) {
      var b = el('button', 'play-mode', m[1]);
      b.type = 'button';
      b.dataset.mode = m[0];
      b.setAttribute('role', 'radio');
      b.addEventListener('click', function () { setMode(m[0]); });
      modes.appendChild(b);
    });
    bar.appendChild(modes);
  }
  var back = button('play-back', T.back, 'back'), toggle = button('play-toggle', T.play, 'play');
  var fwd = button('play-fwd', T.forward, 'forward');
  var speed = el('select', 'play-speed');
  speed.setAttribute('aria-label', T.speed);
  speed.title = T.speed;
  SPEEDS.forEach(function (s) { var o = el('option', '', s + '\u00D7'); o.value = s; speed.appendChild(o); });
  speed.selectedIndex = 1;
  var status = el('span', 'play-status');  // not a live region: the step is said once playing stops (speak)
  var spark = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  spark.setAttribute('class', 'play-spark');
  spark.setAttribute('viewBox', '0 0 200 40');
  spark.setAttribute('preserveAspectRatio', 'none');
  spark.setAttribute('aria-hidden', 'true');
  var walkBox = el('div', 'play-walk'), text = el('output', 'play-text'), where = el('span', 'play-where');
  walkBox.appendChild(el('span', 'play-start', wk ? wk.start : ''));
  walkBox.appendChild(text);
  walkBox.appendChild(where);
  [back, toggle, fwd, speed, status, spark, walkBox].forEach(function (x) { bar.appendChild(x); });
  document.body.appendChild(bar);

  if (tr) {  // the loss curve with a cursor at the drawn step
    var pts = tr.loss, xs = pts.map(function (q) { return q[0]; }), ys = pts.map(function (q) { return q[1]; });
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs) || 1;
    var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    var X = function (x) { return 2 + 196 * (x - x0) / Math.max(x1 - x0, 1); };
    var Y = function (y) { return 36 - 32 * (y - y0) / Math.max(y1 - y0, 1e-9); };
    var path = document.createElementNS(spark.namespaceURI, 'path');
    path.setAttribute('d', pts.map(function (q, i) { return (i ? 'L' : 'M') + X(q[0]).toFixed(1) + ' ' + Y(q[1]).toFixed(1); }).join(''));
    path.setAttribute('class', 'play-curve');
    var cursor = document.createElementNS(spark.namespaceURI, 'line');
    cursor.setAttribute('class', 'play-cursor');
    cursor.setAttribute('y1', '0');
    cursor.setAttribute('y2', '40');
    spark.appendChild(path);
    spark.appendChild(cursor);
  }

  function readout() {
    var i = at[mode], n = count();
    if (mode === 'training') {
      var step = tr.steps[i];
      status.textContent = T.step.replace('{step}', step).replace('{last}', tr.steps[n - 1]);
      status.dataset.step = step;
      cursor.setAttribute('x1', X(step).toFixed(1));
      cursor.setAttribute('x2', X(step).toFixed(1));
    } else {
      status.textContent = T.token.replace('{i}', i).replace('{n}', n - 1);
      status.dataset.step = i;
    }
    back.disabled = i === 0;
    fwd.disabled = i === n - 1;
  }

  function lightsOff() {
    if (lit.node !== null) nodes.update({id: lit.node.id, color: lit.node.color, borderWidth: lit.node.borderWidth});
    if (lit.edge !== null) edges.update({id: lit.edge.id, color: lit.edge.color, width: lit.edge.width});
    lit = {node: null, edge: null};
  }
  function setMode(m) {
    if (m === mode) return;
    if (mode !== null) pause();
    lightsOff();
    mode = m;
    document.body.dataset.mode = m;
    if (modes) modes.querySelectorAll('button').forEach(function (b) {
      b.setAttribute('aria-checked', b.dataset.mode === m ? 'true' : 'false');
    });
    clearTimeout(report);
    if (m === 'walk') {
      if (tr) training(tr.start, 1);  // the walk goes through the page's chain: draw the page's step
      walk(at.walk);
    } else {
      training(at.training, 1);
    }
    readout();
    if (m === 'training' && wk) stopped();  // back from the walk on another step: the page follows
  }

  // ---- playing, and handing the step to the page once it stops
  var timer = null;
  function playing() { return timer !== null; }
  function tick() {
    var i = at[mode] + 1;
    if (i >= count()) { pause(); return; }
    show(i, true);
    if (i === count() - 1) pause();
  }
  function play() {
    if (playing()) return;
    if (at[mode] >= count() - 1) show(0, false);  // from the end: start again
    clearTimeout(report);
    timer = setInterval(tick, BASE_MS / SPEEDS[speed.selectedIndex]);
    icon(toggle, 'pause');
    toggle.setAttribute('aria-label', T.pause);
    toggle.title = T.pause;
    document.body.dataset.playing = 'true';
  }
  function pause() {
    var wasPlaying = timer !== null;
    if (timer !== null) { clearInterval(timer); timer = null; }
    icon(toggle, 'play');
    toggle.setAttribute('aria-label', T.play);
    toggle.title = T.play;
    document.body.dataset.playing = 'false';
    if (wasPlaying) speak();
    stopped();
  }
  function speak() {  // said once the player stops or steps, never every frame (WCAG 4.1.3 without the noise)
    var i = at[mode], words;
    if (mode === 'training') {
      var step = tr.steps[i], loss = tr.loss[0][1];
      tr.loss.forEach(function (q) { if (q[0] <= step) loss = q[1]; });
      words = T.spoken.replace('{step}', step).replace('{last}', tr.steps[count() - 1]).replace('{loss}', loss.toFixed(3));
    } else {
      words = T.token.replace('{i}', i).replace('{n}', count() - 1) + '. ' + (text.textContent || '');
    }
    var f = chain.focus();
    chain.say(f === null ? words : words + ' ' + T.in_focus.replace('{label}', chain.label(f)));
  }
  function stopped() {  // the page learns the step once, shortly after the last move (never while playing)
    clearTimeout(report);
    if (mode !== 'training' || !P.channel) return;
    report = setTimeout(function () {
      var step = tr.steps[at.training];
      if (playing() || step === tr.steps[tr.start]) return;
      try {
        var hand = window.parent.babygptPlay && window.parent.babygptPlay[P.channel];
        if (hand) { window.parent.babygptPlay.focus = document.activeElement && document.activeElement.className; hand(step); }
      } catch (err) { /* a standalone file or another origin: the step stays in the frame */ }
    }, 900);
  }
  function move(d) {
    pause();
    var i = Math.max(0, Math.min(count() - 1, at[mode] + d));
    show(i, true);
    speak();
  }
  toggle.addEventListener('click', function () { if (playing()) pause(); else play(); });
  back.addEventListener('click', function () { move(-1); });
  fwd.addEventListener('click', function () { move(1); });
  speed.addEventListener('change', function () { if (playing()) { pause(); play(); } });
  document.addEventListener('keydown', function (ev) {
    if (ev.target === speed || ev.target === box || ev.altKey || ev.ctrlKey || ev.metaKey) return;  // (the graph's own keys)
    if (ev.key === ' ' || ev.key === 'Spacebar') {
      ev.preventDefault();  // on a focused button too: space plays and pauses wherever focus is in the player
      if (ev.repeat) return;
      if (playing()) pause(); else play();
    } else if (ev.key === 'ArrowRight' || ev.key === 'ArrowLeft') {
      ev.preventDefault();
      move(ev.key === 'ArrowRight' ? 1 : -1);
    }
  });

  document.addEventListener('keyup', function (ev) {  // (a button would click on the space key's release)
    if ((ev.key === ' ' || ev.key === 'Spacebar') && ev.target !== speed && ev.target !== box) ev.preventDefault();
  });

  // the drawn page's state, for the page's own tests and for a person at the console
  window.player = {
    play: play, pause: pause, playing: playing, mode: function () { return mode; },
    moving: function () { return tween !== null; },
    frame: function () { return at[mode]; }, reduced: reduce,
    step: function () { return mode === 'training' ? tr.steps[at.training] : at.walk; }
  };
  setMode(tr ? 'training' : 'walk');
  try {  // back from a rerun that this frame asked for: the keyboard stays where it was
    var was = window.parent.babygptPlay && window.parent.babygptPlay.focus;
    if (was) { window.parent.babygptPlay.focus = null; var b = bar.getElementsByClassName(was.split(' ').pop())[0]; if (b) b.focus(); }
  } catch (err) { /* another origin */ }
})();
