// model.summary(): the Keras table of layers, output shapes and weight counts, with a
// "Connected to" column for functional models.

import type { Layer, Weight } from '../layers/layer.ts';

/** `shapes` replaces layers' output shapes (null for a length that follows the input's). */
export function summaryText(name: string, layers: Layer[], total: number, weights: Weight[], connections: Map<Layer, string> | null, shapes?: Map<Layer, (number | null)[]>): string {
  const rows = layers.map((l) => [
    `${l.name} (${l.className})`,
    `[null, ${(shapes?.get(l) ?? l.outputShape).map((d) => d ?? 'null').join(', ')}]`,
    String(l.weights.reduce((n, w) => n + w.size, 0)),
    ...(connections ? [connections.get(l) ?? ''] : []),
  ]);
  const head = ['Layer (type)', 'Output shape', 'Param #', ...(connections ? ['Connected to'] : [])];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)) + 2);
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('').trimEnd();
  const rule = '_'.repeat(widths.reduce((a, b) => a + b, 0));
  const trainable = weights.filter((w) => w.trainable).reduce((n, w) => n + w.size, 0);
  return [
    `Model: "${name}"`,
    rule,
    line(head),
    '='.repeat(rule.length),
    ...rows.map(line),
    '='.repeat(rule.length),
    `Total params: ${total}`,
    `Trainable params: ${trainable}`,
    `Non-trainable params: ${total - trainable}`,
    rule,
  ].join('\n');
}
