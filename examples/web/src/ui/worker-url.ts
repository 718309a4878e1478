// The URL of a worker built as an entry of the app's own bundle (vite.config.ts: WORKERS), so it
// shares the library's chunk with the page: `<name>.js` beside index.html.
export const workerUrl = (name: 'train-worker' | 'monitor-worker') => new URL(`./${name}.js`, document.baseURI);
