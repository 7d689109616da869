// One history entry per page the learner opens, holding that page's settings (the Back button's promise).
//
// Streamlit adds an entry whenever the script writes the address (pushState on the same page: the language on
// first open, a tab's code), and while leaving a page it first writes the old page's address without its settings,
// then adds the new page's. Here, on the same page, an entry is replaced instead of added, and while a link is
// being followed the old page's entry is left as the learner saw it. Installed once per browser tab.
(function () {
  if (window.__babygptHistory) return;
  window.__babygptHistory = true;
  var h = window.history, push = h.pushState.bind(h), replace = h.replaceState.bind(h);
  var leaving = 0;  // the time a link to another page was followed (0: none)
  document.addEventListener('click', function (ev) {
    var a = ev.target.closest && ev.target.closest('a[href]');
    if (!a || a.target === '_blank') return;
    var url = new URL(a.href, location.href);
    if (url.origin === location.origin && url.pathname !== location.pathname) leaving = Date.now();
  }, true);
  h.pushState = function (state, title, u) {
    var url = new URL(u, location.href);
    if (url.pathname !== location.pathname) { leaving = 0; return push(state, title, u); }
    if (leaving && Date.now() - leaving < 10000) return undefined;  // the old page keeps its entry as it was
    return replace(state, title, u);
  };
})();
