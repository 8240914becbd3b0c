// Live camera video: a "Watch live" button (Pages/Shared/_LiveVideo.cshtml) loads the relay's HLS playlist into its video element with
// hls.js (Media Source Extensions; iOS Safari plays HLS itself). Closing it stops the requests, so the server stops the camera's relay
// when nobody else watches. Workers are off: hls.js would build one from a blob: script, which the Content-Security-Policy refuses.
(() => {
  const players = new Map();

  function stop(button, player) {
    const state = players.get(button);
    if (state?.hls) state.hls.destroy();
    const video = player.querySelector('video');
    video.pause();
    video.removeAttribute('src');
    video.load();
    players.delete(button);
    player.hidden = true;
    button.textContent = 'Watch live';
    button.setAttribute('aria-expanded', 'false');
  }

  function start(button, player) {
    const video = player.querySelector('video');
    const status = player.querySelector('.live-status');
    const src = button.dataset.liveSrc;
    player.hidden = false;
    button.textContent = 'Close video';
    button.setAttribute('aria-expanded', 'true');
    status.textContent = 'Connecting to the camera…';
    video.addEventListener('playing', () => { status.textContent = 'Live'; }, { once: true });
    const state = {};
    players.set(button, state);
    if (window.Hls && window.Hls.isSupported()) {
      const hls = new window.Hls({ enableWorker: false, liveSyncDurationCount: 2, manifestLoadingMaxRetry: 2 });
      state.hls = hls;
      hls.on(window.Hls.Events.ERROR, (_, data) => {
        if (!data.fatal) return;
        status.textContent = data.response?.code === 403 ? 'You may not watch this camera.' : 'The camera stream is not available. Try again later.';
        hls.destroy();
        state.hls = null;
      });
      hls.loadSource(src);
      hls.attachMedia(video);
      hls.on(window.Hls.Events.MANIFEST_PARSED, () => { video.play().catch(() => { status.textContent = 'Press play to start.'; }); });
    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
      video.src = src;
      video.play().catch(() => { status.textContent = 'Press play to start.'; });
    } else {
      status.textContent = 'This browser cannot play live video.';
    }
  }

  document.addEventListener('click', (event) => {
    const button = event.target.closest('button.live-watch');
    if (!button) return;
    const player = document.getElementById(button.getAttribute('aria-controls'));
    if (!player) return;
    if (players.has(button)) stop(button, player); else start(button, player);
  });
})();
