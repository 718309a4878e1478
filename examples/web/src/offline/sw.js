// The app's service worker (built into dist/sw.js by vite.config.ts, which puts FILES, the app's
// every file, and VERSION, a hash of their contents, before this text). Install caches FILES;
// activation removes older versions' caches. Requests of this origin go to the network first
// (a fresh copy when online, stored for next time) and fall back to the cache, so the app, the
// Hear model and the worker scripts load offline after the first visit. Cached responses keep
// their COOP/COEP headers, so an offline page is cross-origin isolated as an online one.
/* global FILES, VERSION */
const CACHE = `cnn1d-web-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('cnn1d-web-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok && response.type === 'basic') {
          const copy = response.clone();
          void caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(async () => (await caches.match(request, { ignoreSearch: request.mode === 'navigate' })) ?? Response.error()),
  );
});
