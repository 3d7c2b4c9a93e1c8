// Sizes each embedded playground to its content. The playground (embed=1) posts
// {type: "lr-playground:height", height} to its parent whenever its height changes; this is
// the small script a host page needs (see README "Embedding").
window.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.type !== 'lr-playground:height' || typeof data.height !== 'number') return;
  for (const frame of document.querySelectorAll('iframe.lr-playground')) {
    if (frame.contentWindow === event.source) {
      const h = Math.max(120, Math.min(4000, Math.ceil(data.height)));
      frame.style.height = `${h}px`;
      frame.dataset.sized = 'true';
    }
  }
});

// A playground that has not posted its height 15 s after its frame loaded has not started. The
// usual cause: the server does not send `Access-Control-Allow-Origin: *`, so the browser blocks
// the app's files in the sandboxed (opaque-origin) frame and it stays on "Loading…". Put a note
// over such a frame, with a link that opens the playground in a new tab (where no header is
// needed); remove it if the frame reports after all.
{
  const WAIT_MS = 15000;
  const timers = new Map();
  const reported = new WeakSet();
  const frames = () => [...document.querySelectorAll('iframe.lr-playground')];

  // The frame's URL without the embed-only keys: the full app with the same set-up.
  const fullAppUrl = (frame) => {
    const url = new URL(frame.src, document.baseURI);
    const keep = url.hash.slice(1).split('&').filter((kv) => kv && !/^(embed|show|controls)(=|$)/.test(kv));
    url.hash = keep.join('&');
    return url.href.replace(/#$/, '');
  };

  const showNote = (frame) => {
    const next = frame.nextElementSibling;
    if (reported.has(frame) || (next && next.classList.contains('lrp-note'))) return;
    const note = document.createElement('div');
    note.className = 'lrp-note';
    note.id = `lrp-note-${frames().indexOf(frame) + 1}`;
    note.setAttribute('role', 'status');
    const p1 = document.createElement('p');
    const strong = document.createElement('strong');
    strong.textContent = 'This playground has not started.';
    const link = document.createElement('a');
    link.href = fullAppUrl(frame);
    link.target = '_blank';
    link.rel = 'noopener';
    link.textContent = 'Open it in a new tab\u00a0↗';
    p1.append(strong, ' ', link);
    const p2 = document.createElement('p');
    const code = document.createElement('code');
    code.textContent = 'Access-Control-Allow-Origin: *';
    p2.append('If it stays like this, the web server probably does not send the header ', code,
      ', which sandboxed embeds like this one need. LR Playground\'s docs/embedding.md shows how to set it.');
    note.append(p1, p2);
    frame.after(note);
    if (!frame.hasAttribute('aria-describedby')) frame.setAttribute('aria-describedby', note.id);
  };

  const removeNote = (frame) => {
    const next = frame.nextElementSibling;
    if (!next || !next.classList.contains('lrp-note')) return;
    if (frame.getAttribute('aria-describedby') === next.id) frame.removeAttribute('aria-describedby');
    next.remove();
  };

  const arm = (frame) => {
    if (reported.has(frame)) return;
    clearTimeout(timers.get(frame));
    timers.set(frame, setTimeout(() => showNote(frame), WAIT_MS));
  };

  for (const frame of frames()) frame.addEventListener('load', () => arm(frame));
  // A frame in view may have loaded before this script ran; start its clock at the page's load.
  window.addEventListener('load', () => {
    for (const frame of frames()) {
      const r = frame.getBoundingClientRect();
      if (!timers.has(frame) && r.bottom > 0 && r.top < innerHeight) arm(frame);
    }
  });

  window.addEventListener('message', (event) => {
    const data = event.data;
    if (!data || data.type !== 'lr-playground:height' || typeof data.height !== 'number') return;
    const frame = frames().find((f) => f.contentWindow === event.source);
    if (!frame) return;
    reported.add(frame);
    clearTimeout(timers.get(frame));
    removeNote(frame);
  });
}
