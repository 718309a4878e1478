// Keras' default layer names: to_snake_case of the class name, made unique with _1, _2, ...
// ("Conv1D" -> "conv1d", "MaxPooling1D" -> "max_pooling1d", "PReLU" -> "p_re_lu").

export function snakeCase(className: string): string {
  return className
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** `base`, or `base_i` with the smallest i >= the hint in `next` (updated) that is not taken. */
export function uniqueName(base: string, taken: ReadonlySet<string>, next?: Map<string, number>): string {
  if (!taken.has(base)) return base;
  let i = next?.get(base) ?? 1;
  while (taken.has(`${base}_${i}`)) i++;
  next?.set(base, i + 1);
  return `${base}_${i}`;
}
