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
