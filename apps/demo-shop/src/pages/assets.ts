/**
 * Static assets, served from memory under /assets (bundled with the server; nothing to copy at build time).
 * The browser scripts are plain ES2017 without a build step; each reads its configuration from data
 * attributes, so pages need no inline script and the Content-Security-Policy can forbid them.
 */

export const SHOP_CSS = `
:root {
  --ink: #2b2118; --muted: #76685b; --line: #e8dfd4; --paper: #fffdf9; --bg: #f7f1ea;
  --accent: #a0522d; --accent-dark: #7d3f22; --ok: #2f7d4f; --warn: #9a6a00; --bad: #b3261e; --radius: 14px;
  font-family: ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); line-height: 1.5; min-height: 100vh; display: flex; flex-direction: column; }
main { flex: 1; width: 100%; }
main.wrap { padding-top: 1.5rem; padding-bottom: 3rem; }
a { color: var(--accent-dark); }
h1 { font-size: 1.7rem; margin: .2rem 0 1rem; letter-spacing: -.01em; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .6rem; }
.wrap { max-width: 1040px; margin: 0 auto; padding: 0 1.2rem; }
.site-header { background: var(--paper); border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 2; }
.header-row { display: flex; align-items: center; justify-content: space-between; height: 64px; }
.brand { font-weight: 700; font-size: 1.2rem; text-decoration: none; color: var(--ink); display: flex; align-items: center; gap: .45rem; }
.brand .logo { font-size: 1.4rem; }
.brand .tag { font-size: .7rem; font-weight: 600; text-transform: uppercase; letter-spacing: .08em; color: var(--accent); border: 1px solid currentColor; border-radius: 99px; padding: .05rem .5rem; }
nav { display: flex; gap: 1.2rem; align-items: center; }
nav a { text-decoration: none; color: var(--ink); font-weight: 500; }
.badge { display: inline-block; min-width: 1.5rem; text-align: center; background: var(--accent); color: #fff; border-radius: 99px; font-size: .8rem; padding: 0 .45rem; margin-left: .2rem; }
.site-footer { border-top: 1px solid var(--line); color: var(--muted); font-size: .85rem; padding: 1.2rem 0; background: var(--paper); }
.hero { display: flex; justify-content: space-between; align-items: end; gap: 1rem; margin-bottom: 1.2rem; }
.hero p { color: var(--muted); margin: 0; }
.grid { list-style: none; padding: 0; margin: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 1.1rem; }
.card { background: var(--paper); border: 1px solid var(--line); border-radius: var(--radius); overflow: hidden; display: flex; flex-direction: column; }
.card img { width: 100%; aspect-ratio: 16 / 10; display: block; object-fit: cover; }
.card .body { padding: .9rem 1rem 1rem; display: flex; flex-direction: column; gap: .4rem; flex: 1; }
.card h2 { font-size: 1rem; margin: 0; }
.card p { margin: 0; color: var(--muted); font-size: .9rem; flex: 1; }
.price { font-weight: 700; font-size: 1.05rem; }
.buy { display: flex; justify-content: space-between; align-items: center; margin-top: .4rem; }
.panel > h2:first-child, aside.panel > h2:first-child { margin-top: 0; }
.hint.spaced { margin-top: 1rem; }
.panel { background: var(--paper); border: 1px solid var(--line); border-radius: var(--radius); padding: 1.2rem 1.3rem; }
.two-col { display: grid; grid-template-columns: minmax(0, 1.6fr) minmax(260px, 1fr); gap: 1.2rem; align-items: start; }
@media (max-width: 760px) { .two-col { grid-template-columns: 1fr; } .hero { display: block; } }
button, .button { font: inherit; font-weight: 600; border: 0; border-radius: 10px; padding: .6rem 1.1rem; cursor: pointer; background: var(--accent); color: #fff; text-decoration: none; display: inline-block; text-align: center; }
button:hover, .button:hover { background: var(--accent-dark); }
button:disabled { opacity: .55; cursor: progress; }
button.secondary, .button.secondary { background: transparent; color: var(--accent-dark); border: 1px solid var(--line); }
button.link { background: none; color: var(--accent-dark); padding: 0; font-weight: 500; text-decoration: underline; }
button.wide, .button.wide { width: 100%; padding: .8rem; font-size: 1.05rem; }
table.lines { width: 100%; border-collapse: collapse; }
table.lines th { text-align: left; color: var(--muted); font-weight: 500; font-size: .85rem; border-bottom: 1px solid var(--line); padding: .4rem .3rem; }
table.lines td { border-bottom: 1px solid var(--line); padding: .6rem .3rem; vertical-align: middle; }
table.lines td.num, table.lines th.num { text-align: right; white-space: nowrap; }
.qty { display: flex; gap: .3rem; align-items: center; }
.qty input { width: 4rem; }
input, select { font: inherit; padding: .55rem .65rem; border: 1px solid #d6cabd; border-radius: 9px; background: #fff; width: 100%; }
input:focus, select:focus { outline: 2px solid #e0b089; border-color: var(--accent); }
label { display: block; font-weight: 500; font-size: .9rem; margin-bottom: .2rem; }
.field { margin-bottom: .85rem; }
.field .problem { color: var(--bad); font-size: .85rem; }
.row { display: grid; grid-template-columns: 1fr 1fr; gap: .8rem; }
.row3 { display: grid; grid-template-columns: 1fr 1fr 1fr; gap: .8rem; }
.totals { display: grid; grid-template-columns: 1fr auto; gap: .25rem .8rem; margin: .8rem 0 1rem; }
.totals .grand { font-weight: 700; font-size: 1.15rem; border-top: 1px solid var(--line); padding-top: .4rem; }
.muted { color: var(--muted); }
.small { font-size: .85rem; }
.flash { background: #fff4e0; border: 1px solid #f0d9ae; border-radius: 10px; padding: .6rem .9rem; }
.alert { background: #fdecea; border: 1px solid #f4c7c3; color: #6d1b15; border-radius: 10px; padding: .7rem .9rem; margin-bottom: 1rem; }
.alert ul { margin: .3rem 0 0; padding-left: 1.2rem; }
.hint { background: #f3f7f3; border: 1px dashed #b9cdb9; border-radius: 10px; padding: .7rem .9rem; font-size: .9rem; }
.hint table { border-collapse: collapse; width: 100%; margin-top: .3rem; }
.hint td { padding: .2rem .3rem; }
.hint code { font-size: .95rem; letter-spacing: .04em; }
.secure { display: flex; gap: .5rem; align-items: center; color: var(--ok); font-size: .85rem; margin: .2rem 0 1rem; }
.steps { list-style: none; display: flex; gap: .4rem; padding: 0; margin: 0 0 1.2rem; counter-reset: step; flex-wrap: wrap; }
.steps li { counter-increment: step; color: var(--muted); font-size: .9rem; display: flex; align-items: center; gap: .4rem; }
.steps li::before { content: counter(step); width: 1.6rem; height: 1.6rem; border-radius: 50%; display: inline-grid; place-items: center; border: 1px solid var(--line); background: var(--paper); font-size: .8rem; }
.steps li + li::after { order: -1; content: ""; width: 1.6rem; height: 1px; background: var(--line); }
.steps li.done::before { content: "✓"; background: var(--ok); color: #fff; border-color: var(--ok); }
.steps li.current { color: var(--ink); font-weight: 600; }
.steps li.current::before { background: var(--accent); color: #fff; border-color: var(--accent); }
.result { text-align: center; padding: 2rem 1.3rem; }
.result .icon { font-size: 2.6rem; width: 4.4rem; height: 4.4rem; border-radius: 50%; display: inline-grid; place-items: center; margin-bottom: .5rem; }
.result[data-tone="ok"] .icon { background: #e3f3e8; color: var(--ok); }
.result[data-tone="wait"] .icon { background: #fff4e0; color: var(--warn); }
.result[data-tone="bad"] .icon { background: #fdecea; color: var(--bad); }
.result dl { display: inline-grid; grid-template-columns: auto auto; gap: .2rem 1rem; text-align: left; margin: 1rem auto; }
.result dt { color: var(--muted); }
.result dd { margin: 0; font-weight: 500; }
.result .actions { display: flex; gap: .6rem; justify-content: center; flex-wrap: wrap; margin-top: 1rem; }
.spinner { display: inline-block; width: 1rem; height: 1rem; border: 2px solid #e8cfa0; border-top-color: var(--warn); border-radius: 50%; animation: spin 1s linear infinite; vertical-align: -2px; margin-right: .3rem; }
@keyframes spin { to { transform: rotate(360deg); } }
.cardline { display: flex; align-items: center; gap: .7rem; font-size: 1.05rem; }
.cardline .brandmark { font-weight: 700; font-size: .8rem; border: 1px solid var(--line); border-radius: 6px; padding: .15rem .45rem; background: #fff; }
.empty { text-align: center; padding: 2.5rem 1rem; }
`;

export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="15" fill="#a0522d"/><text x="16" y="22" font-size="17" text-anchor="middle" fill="#fff">☕</text></svg>
`;

/**
 * The card form (PROTOCOL.md §5): card data is handed to the gateway's `QentaCEE_DataStorage` in the browser and
 * never posted to the shop (the inputs have no `name`, the form no action). On status 0 the browser goes on
 * to the review page; otherwise the gateway's consumer messages are shown.
 */
export const CARD_FORM_JS = `(function () {
  'use strict';
  var form = document.getElementById('card-form');
  if (!form) return;
  var errorsBox = document.getElementById('card-errors');
  var submit = document.getElementById('store-card');
  var busy = document.getElementById('card-busy');
  function field(id) { return document.getElementById(id); }
  function value(id) { var el = field(id); return el ? String(el.value || '').trim() : ''; }
  function showErrors(messages) {
    errorsBox.textContent = '';
    if (!messages.length) { errorsBox.hidden = true; return; }
    var title = document.createElement('strong');
    title.textContent = 'Your card could not be saved:';
    var list = document.createElement('ul');
    messages.forEach(function (m) { var li = document.createElement('li'); li.textContent = m; list.appendChild(li); });
    errorsBox.appendChild(title);
    errorsBox.appendChild(list);
    errorsBox.hidden = false;
  }
  Array.prototype.forEach.call(document.querySelectorAll('[data-demo-pan]'), function (button) {
    button.addEventListener('click', function () {
      field('card-number').value = button.getAttribute('data-demo-pan');
      if (!value('card-holder')) field('card-holder').value = 'Jane Doe';
      if (!value('card-cvc')) field('card-cvc').value = '123';
      field('card-number').focus();
    });
  });
  var DataStorage = window.QentaCEE_DataStorage || window.WirecardCEE_DataStorage;
  if (typeof DataStorage !== 'function') {
    showErrors(['The secure card form of the payment provider could not be loaded. Please reload the page or try again later.']);
    submit.disabled = true;
    form.setAttribute('data-ready', 'error');
    return;
  }
  form.setAttribute('data-ready', 'true');
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    showErrors([]);
    submit.disabled = true;
    busy.hidden = false;
    var paymentInformation = {
      pan: value('card-number').replace(/[\\s-]+/g, ''),
      expirationMonth: value('card-expiry-month'),
      expirationYear: value('card-expiry-year'),
      cardholdername: value('card-holder'),
      cardverifycode: value('card-cvc')
    };
    new DataStorage().storeCreditCardInformation(paymentInformation, function (response) {
      busy.hidden = true;
      if (Number(response.getStatus()) === 0) {
        field('card-number').value = '';
        field('card-cvc').value = '';
        form.setAttribute('data-stored', 'true');
        window.location.assign(form.getAttribute('data-next'));
        return;
      }
      var errors = response.getErrors() || [];
      showErrors(errors.length ? errors.map(function (e) { return e.consumerMessage || e.message || ('error ' + e.errorCode); }) : ['The card could not be saved. Please try again.']);
      submit.disabled = false;
    });
  });
})();
`;

/**
 * The result page while the payment is not final: asks the shop (which asks the ingester) every second or so,
 * replaces the panel with the server's rendering, and stops when the state is final or on hold, or after
 * \`data-poll-timeout-ms\` with a message.
 */
export const RESULT_JS = `(function () {
  'use strict';
  function panel() { return document.getElementById('payment-result'); }
  var first = panel();
  if (!first || first.getAttribute('data-settled') === 'true' || !first.getAttribute('data-poll-url')) return;
  var url = first.getAttribute('data-poll-url');
  var timeoutMs = Number(first.getAttribute('data-poll-timeout-ms')) || 60000;
  var started = Date.now();
  var delay = 1000;
  function giveUp() {
    var p = panel();
    p.setAttribute('data-timeout', 'true');
    var note = document.getElementById('result-timeout');
    if (note) note.hidden = false;
    var waiting = document.getElementById('result-waiting');
    if (waiting) waiting.hidden = true;
  }
  function schedule() {
    if (Date.now() - started >= timeoutMs) { giveUp(); return; }
    setTimeout(tick, delay);
    delay = Math.min(Math.round(delay * 1.3), 4000);
  }
  function tick() {
    fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (res) { if (!res.ok) throw new Error('HTTP ' + res.status); return res.json(); })
      .then(function (status) {
        if (typeof status.html === 'string') {
          var wrapper = document.createElement('div');
          wrapper.innerHTML = status.html;
          var next = wrapper.firstElementChild;
          if (next) panel().replaceWith(next);
        }
        var badge = document.querySelector('[data-testid="cart-count"]');
        if (badge && typeof status.cartCount === 'number') badge.textContent = String(status.cartCount);
        if (status.settled) return;
        schedule();
      }, schedule);
  }
  schedule();
})();
`;

/** PROTOCOL.md §5.4: the gateway's CORS fallback posts its answer here; hand it to the parent page's request object. */
export const STORAGE_FALLBACK_JS = `(function () {
  'use strict';
  var holder = document.getElementById('fallback-response');
  var response = holder ? holder.getAttribute('data-response') || '' : '';
  var parentWindow = window.parent;
  var target = parentWindow && parentWindow !== window ? (parentWindow.QentaCEE_Fallback_Request_Object || parentWindow.WirecardCEE_Fallback_Request_Object) : null;
  if (target && typeof target.setResponseText === 'function') target.setResponseText(response);
})();
`;
