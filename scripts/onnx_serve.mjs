#!/usr/bin/env node
// Serves an ONNX model (for example one cnn1d wrote with model.save('model.onnx')) over HTTP with
// ONNX Runtime: the same file cnn1d trained, run by Microsoft's engine on a server.
//
//   npm install onnxruntime-node            # (a devDependency of cnn1d itself)
//   node scripts/onnx_serve.mjs model.onnx 8080
//   curl -s localhost:8080/predict -d '{"x": [[[0.1], [0.2], ...]]}'    # [n, L, C] as nested lists
//
// POST /predict takes {"x": nested [n, ...] array} for the model's first input and answers
// {"y": flat values, "dims": [...]} of its first output; GET / describes the model. One session
// serves every request (onnxruntime runs requests concurrently on its own threads).
import { createServer } from 'node:http';
import * as ort from 'onnxruntime-node';

const [path = 'model.onnx', port = '8080'] = process.argv.slice(2);
const session = await ort.InferenceSession.create(path);
const [input] = session.inputNames;
const [output] = session.outputNames;

const shapeOf = (a) => (Array.isArray(a) ? [a.length, ...shapeOf(a[0])] : []);

const server = createServer((req, res) => {
  const reply = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.method === 'GET') return reply(200, { model: path, input, output });
  if (req.method !== 'POST' || req.url !== '/predict') return reply(404, { error: 'POST /predict {"x": [...]}' });
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', async () => {
    try {
      const { x } = JSON.parse(body);
      const dims = shapeOf(x);
      const data = Float32Array.from(x.flat(Infinity));
      if (data.length !== dims.reduce((a, b) => a * b, 1)) throw new Error(`x is ragged: ${data.length} values for dims [${dims}]`);
      const out = (await session.run({ [input]: new ort.Tensor('float32', data, dims) }))[output];
      reply(200, { y: Array.from(out.data), dims: out.dims });
    } catch (e) {
      reply(400, { error: e.message });
    }
  });
});
server.listen(Number(port), () => console.log(`serving ${path} (${input} -> ${output}) on http://localhost:${port}`));
