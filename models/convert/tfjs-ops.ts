/**
 * TensorFlow(.js) conventions both converters translate to ONNX (faceapi/, hand-built graphs, and
 * tfjs-graph/, converted graph models): filter layouts and TensorFlow's padding.
 */

/**
 * A tfjs filter in ONNX's layout. conv2d [kh, kw, in, out] (HWIO) -> [out, in, kh, kw] (OIHW); depthwise
 * [kh, kw, C, M] -> [C*M, 1, kh, kw] (a grouped conv with group = C). Written into `into` (length
 * kh*kw*in*out), whose type sets the precision; returns it with the ONNX dims.
 */
export function tfFilterToOnnx<T extends Float32Array | Float64Array>(
  filter: ArrayLike<number>,
  shape: readonly number[],
  depthwise: boolean,
  into: T,
): { weight: T; dims: [number, number, number, number] } {
  const [kh, kw, ci, co] = shape as [number, number, number, number];
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < co; o++) {
          const from = ((y * kw + x) * ci + i) * co + o;
          const to = depthwise ? ((i * co + o) * kh + y) * kw + x : ((o * ci + i) * kh + y) * kw + x;
          into[to] = filter[from]!;
        }
  return { weight: into, dims: depthwise ? [ci * co, 1, kh, kw] : [co, ci, kh, kw] };
}

/**
 * TensorFlow padding of one spatial axis of a window op (conv, pool): the output size and the zeros before
 * and after. 'same': output = ceil(size / stride), the odd pixel of padding goes after (bottom / right).
 */
export function tfPadding(
  size: number,
  kernel: number,
  stride: number,
  padding: 'same' | 'valid',
  dilation = 1,
): { out: number; begin: number; end: number } {
  const effective = (kernel - 1) * dilation + 1;
  if (padding === 'valid') return { out: Math.floor((size - effective) / stride) + 1, begin: 0, end: 0 };
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + effective - size, 0);
  return { out, begin: Math.floor(total / 2), end: total - Math.floor(total / 2) };
}
