// Model files in the browser: model.json + weights.bin (cnn1d's toArtifacts / fromArtifacts, the
// TF.js layers-model format) downloaded as two files, and read back from a file input.

function save(name: string, blob: Blob): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

export function downloadModel(modelJson: Record<string, unknown>, weightData: Uint8Array): void {
  save('model.json', new Blob([JSON.stringify(modelJson)], { type: 'application/json' }));
  save('weights.bin', new Blob([weightData as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
}

/** The parsed model.json and the bytes of its weight file(s), in the manifest's order. */
export async function readModelFiles(files: File[]): Promise<{ modelJson: Record<string, unknown>; weightData: Uint8Array }> {
  const jsons = files.filter((f) => f.name.endsWith('.json'));
  if (jsons.length !== 1) throw new Error(`load: pick one model .json and its weight file together; got ${files.map((f) => f.name).join(', ') || 'nothing'}`);
  const json = jsons[0];
  const modelJson = JSON.parse(await json.text()) as Record<string, unknown>;
  const manifest = (modelJson.weightsManifest ?? []) as { paths: string[] }[];
  const paths = manifest.flatMap((g) => g.paths);
  const parts: Uint8Array[] = [];
  // a browser renames a second download "weights (1).bin": one weight file named by the manifest
  // and one picked are taken as the same, whatever its name
  const bins = files.filter((f) => f !== json);
  for (const p of paths) {
    const base = p.split('/').pop()!;
    const f = files.find((x) => x.name === base) ?? (paths.length === 1 && bins.length === 1 ? bins[0] : undefined);
    if (!f) throw new Error(`load: ${json.name} names the weight file "${base}"; pick it together with ${json.name}`);
    parts.push(new Uint8Array(await f.arrayBuffer()));
  }
  const weightData = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) (weightData.set(p, o), (o += p.length));
  return { modelJson, weightData };
}
