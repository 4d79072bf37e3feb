/**
 * The web chat widget, served by the relay. `widget.js` is the snippet a business pastes into its
 * site: a chat button in the corner that opens an iframe pointing back at the relay, so the
 * visitor's token lives in the relay's origin (never readable by the host page) and the frame
 * needs no CORS at all. The chat fits small screens, stays open or closed across the visitor's
 * page loads, and the button says so when a reply arrives while it is closed.
 */

export const widgetScript = `(() => {
  const script = document.currentScript;
  if (!script) return;
  const key = script.getAttribute('data-ares-widget');
  const origin = new URL(script.src).origin;
  if (!key || document.getElementById('ares-chat-launcher')) return;
  const title = script.getAttribute('data-title') || 'Chat with us';
  const openKey = 'ares-chat-open:' + key;
  // Styles go through the CSSOM, which a host page's CSP allows even where it forbids style attributes.
  const styled = (element, css) => { for (const [name, value] of Object.entries(css)) element.style.setProperty(name, value); return element; };
  const layer = { 'z-index': '2147483647', position: 'fixed', right: '16px' };
  const frame = styled(document.createElement('iframe'), { ...layer, bottom: '76px', width: 'min(340px, calc(100vw - 32px))', height: 'min(460px, calc(100vh - 96px))', border: '1px solid #ccd', 'border-radius': '12px', 'box-shadow': '0 4px 24px rgba(0,0,0,.18)', background: '#fff', display: 'none' });
  frame.id = 'ares-chat-frame';
  frame.title = title;
  frame.src = origin + '/widget/frame?key=' + encodeURIComponent(key);
  const launcher = styled(document.createElement('button'), { ...layer, bottom: '16px', height: '48px', padding: '0 20px', border: '0', 'border-radius': '24px', background: '#2b4acb', color: '#fff', font: '600 15px system-ui, sans-serif', 'box-shadow': '0 4px 16px rgba(0,0,0,.2)', cursor: 'pointer' });
  launcher.id = 'ares-chat-launcher';
  launcher.type = 'button';
  launcher.setAttribute('aria-controls', frame.id);
  let open = false;
  const show = (next, unread) => {
    open = next;
    frame.style.display = open ? 'block' : 'none';
    launcher.setAttribute('aria-expanded', String(open));
    launcher.textContent = open ? 'Close chat' : unread ? title + ' · new reply' : title;
    try { sessionStorage.setItem(openKey, open ? 'open' : ''); } catch {}
  };
  launcher.addEventListener('click', () => show(!open, false));
  // The frame says when a reply arrives; only the frame of this widget, from the relay's origin, counts.
  window.addEventListener('message', (event) => {
    if (event.origin === origin && event.source === frame.contentWindow && event.data && event.data.type === 'ares-chat-reply' && !open) show(false, true);
  });
  let wasOpen = false;
  try { wasOpen = sessionStorage.getItem(openKey) === 'open'; } catch {}
  document.body.appendChild(frame);
  document.body.appendChild(launcher);
  show(wasOpen, false);
})();
`;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/**
 * The chat frame, headed with the business's name, so a visitor sees whom they write to. For a
 * widget key the relay does not know (a mistyped snippet), a notice instead of a composer that
 * could never send.
 */
export function frameHtml(businessName: string | null): string {
  const unavailable = businessName === null;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chat</title>
<link rel="stylesheet" href="/widget/frame.css">
</head>
<body>
<header id="title">${unavailable ? 'Chat' : escapeHtml(businessName)}</header>
<ol id="messages" role="log" aria-live="polite" aria-label="Conversation"></ol>
<p id="status" role="status">${unavailable ? 'This chat is not available: the website uses a widget key this relay does not know.' : ''}</p>
<form id="composer">
<input id="text" name="text" aria-label="Message" placeholder="Write a message…" autocomplete="off" maxlength="2000" required${unavailable ? ' disabled' : ''}>
<button type="submit"${unavailable ? ' disabled' : ''}>Send</button>
</form>
<script src="/widget/frame.js"></script>
</body>
</html>
`;
}

export const frameStyles = `
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; display: flex; flex-direction: column; height: 100vh; color: #1d2433; }
header { background: #2b4acb; color: #fff; padding: 10px 14px; font-weight: 600; }
#messages { flex: 1; overflow-y: auto; list-style: none; margin: 0; padding: 10px; display: flex; flex-direction: column; gap: 6px; }
#messages li { max-width: 80%; padding: 6px 10px; border-radius: 10px; background: #eef1f8; white-space: pre-wrap; word-wrap: break-word; }
#messages li[data-from='visitor'] { align-self: flex-end; background: #2b4acb; color: #fff; }
#messages li[data-pending='true'] { opacity: 0.6; }
#messages .author { display: block; font-size: 11px; opacity: 0.75; }
#status { margin: 0; padding: 0 10px; font-size: 12px; color: #8a4b00; min-height: 1em; }
form { display: flex; gap: 6px; padding: 8px; border-top: 1px solid #dde; }
input { flex: 1; padding: 8px; border: 1px solid #ccd; border-radius: 8px; font: inherit; }
button { padding: 8px 12px; border: 0; border-radius: 8px; background: #2b4acb; color: #fff; font: inherit; cursor: pointer; }
`;

export const frameScript = `(() => {
  const key = new URLSearchParams(location.search).get('key') || '';
  const storageKey = 'ares-visitor:' + key;
  const list = document.getElementById('messages');
  const status = document.getElementById('status');
  const form = document.getElementById('composer');
  const input = document.getElementById('text');
  const shown = new Map();
  let session = null;
  let afterSeq = 0;
  // A visitor who never writes never gets a session: the relay sees page views only as the widget's files.
  const sessionWaiters = [];
  const sessionStarted = () => new Promise((resolve) => sessionWaiters.push(resolve));

  const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const readSession = () => { try { return JSON.parse(localStorage.getItem(storageKey) || 'null'); } catch { return null; } };

  async function call(path, options) {
    const headers = { 'Content-Type': 'application/json' };
    if (session) headers.Authorization = 'Bearer ' + session.visitorToken;
    const response = await fetch(path, { ...options, headers });
    if (response.status === 401) { localStorage.removeItem(storageKey); session = null; afterSeq = 0; list.textContent = ''; shown.clear(); throw new Error('session'); }
    if (!response.ok) throw new Error('status ' + response.status);
    return response.json();
  }

  async function ensureSession() {
    session = session || readSession();
    if (session) return;
    const created = await call('/widget/v1/session', { method: 'POST', body: JSON.stringify({ widgetKey: key }) });
    session = { visitorToken: created.visitorToken, conversationId: created.conversationId };
    localStorage.setItem(storageKey, JSON.stringify(session));
    for (const resolve of sessionWaiters.splice(0)) resolve();
  }

  function render(message, pending) {
    let item = shown.get(message.messageId);
    if (!item) {
      item = document.createElement('li');
      shown.set(message.messageId, item);
      list.appendChild(item);
    }
    item.dataset.from = message.from;
    item.dataset.pending = pending ? 'true' : 'false';
    item.textContent = '';
    if (message.from === 'staff' && message.authorName) {
      const author = document.createElement('span');
      author.className = 'author';
      author.textContent = message.authorName;
      item.appendChild(author);
    }
    item.appendChild(document.createTextNode(message.text));
    list.scrollTop = list.scrollHeight;
  }

  async function listen() {
    let caughtUp = false;
    for (;;) {
      session = session || readSession();
      if (!session) await sessionStarted();
      try {
        const page = await call('/widget/v1/messages?after=' + afterSeq + '&wait=1', { method: 'GET' });
        for (const message of page.messages) render(message, false);
        // Replies that arrive while the visitor is here (not the history shown on load): the host page marks the closed chat.
        if (caughtUp && page.messages.some((message) => message.from !== 'visitor')) parent.postMessage({ type: 'ares-chat-reply' }, '*');
        caughtUp = true;
        afterSeq = Math.max(afterSeq, page.throughSeq);
        status.textContent = '';
      } catch (error) {
        if (String(error && error.message) !== 'session') status.textContent = 'Reconnecting…';
        await wait(1000);
      }
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    const clientMessageId = crypto.randomUUID();
    render({ messageId: 'web:pending:' + clientMessageId, from: 'visitor', text }, true);
    // Retried with the same id until the relay has it: the relay stores it exactly once.
    for (let attempt = 0; ; attempt += 1) {
      try {
        await ensureSession();
        const sent = await call('/widget/v1/messages', { method: 'POST', body: JSON.stringify({ clientMessageId, text }) });
        status.textContent = '';
        const pendingItem = shown.get('web:pending:' + clientMessageId);
        shown.delete('web:pending:' + clientMessageId);
        if (pendingItem && shown.has(sent.messageId)) pendingItem.remove();
        else if (pendingItem) { pendingItem.dataset.pending = 'false'; shown.set(sent.messageId, pendingItem); }
        return;
      } catch {
        status.textContent = 'Not sent yet, retrying…';
        await wait(Math.min(5000, 500 * (attempt + 1)));
      }
    }
  });

  void listen();
})();
`;
