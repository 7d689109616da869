// Touch screens: where the primary pointer is coarse the graph was built still (ui/graph.html), so a swipe scrolls
// the page; this button turns "move and zoom" on and off. Its texts (PAN_ZOOM) are set with textContent: never markup.
(function () {
  if (!touchScroll || typeof network === 'undefined') return;
  var box = document.getElementById('mynetwork');
  var text = PAN_ZOOM;
  var button = document.createElement('button');
  button.type = 'button';
  button.className = 'pan-zoom';
  button.title = text.help;
  function show(on) {
    box.classList.toggle('page-scrolls', !on);
    button.textContent = on ? text.off : text.on;
    button.setAttribute('aria-pressed', on ? 'true' : 'false');
  }
  button.addEventListener('click', function () {
    var on = button.getAttribute('aria-pressed') !== 'true';
    network.setOptions({interaction: {dragView: on, zoomView: on, dragNodes: on}});
    show(on);
  });
  show(false);
  box.appendChild(button);
})();
