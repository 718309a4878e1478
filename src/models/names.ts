// Keras' default layer names: to_snake_case of the class name, made unique with _1, _2, ...
// ("Conv1D" -> "conv1d", "MaxPooling1D" -> "max_pooling1d", "PReLU" -> "p_re_lu").

export function snakeCase(className: string): string {
  return className
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

export function uniqueName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 1; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}
