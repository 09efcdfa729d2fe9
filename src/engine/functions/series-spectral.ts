/**
 * series_fft(x_real [, x_imag]) and series_ifft(x_real [, x_imag]): the discrete Fourier transform of a
 * complex series, X[k] = sum_n x[n] e^(-2πi kn/N), and its inverse, x[n] = (1/N) sum_k X[k] e^(+2πi kn/N),
 * as two series, the real parts and the imaginary parts (kql/semantics/multi-column.ts splits them into the
 * columns `<fn>_<arg>_real` and `_imag`). Any length: radix-2 for powers of two, Bluestein's chirp-z
 * transform through a power-of-two convolution otherwise. A series holding anything but numbers (or an
 * imaginary part of another length) gives null.
 */
import type { DynamicValue, Value } from '../values/value.js';
import { fn, type ScalarFunction } from './types.js';

/** In-place iterative radix-2 transform of re/im (length a power of two); sign -1 forward, +1 inverse (unscaled). */
function radix2(re: Float64Array, im: Float64Array, sign: number): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const step = (sign * 2 * Math.PI) / len;
    for (let start = 0; start < n; start += len) {
      for (let k = 0; k < half; k++) {
        const wr = Math.cos(step * k);
        const wi = Math.sin(step * k);
        const a = start + k;
        const b = a + half;
        const xr = re[b]! * wr - im[b]! * wi;
        const xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
      }
    }
  }
}

/** Bluestein: the length-n transform as a convolution with the chirp e^(sign·πi k²/n), done by radix-2. */
function bluestein(re: Float64Array, im: Float64Array, sign: number): void {
  const n = re.length;
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  // the chirp, with k² taken modulo 2n so the angle stays small and exact
  const cr = new Float64Array(n);
  const ci = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const angle = (sign * Math.PI * ((k * k) % (2 * n))) / n;
    cr[k] = Math.cos(angle);
    ci[k] = Math.sin(angle);
  }
  const ar = new Float64Array(m), ai = new Float64Array(m), br = new Float64Array(m), bi = new Float64Array(m);
  for (let k = 0; k < n; k++) {
    ar[k] = re[k]! * cr[k]! - im[k]! * ci[k]!;
    ai[k] = re[k]! * ci[k]! + im[k]! * cr[k]!;
  }
  br[0] = cr[0]!;
  bi[0] = -ci[0]!;
  for (let k = 1; k < n; k++) {
    br[k] = br[m - k] = cr[k]!;
    bi[k] = bi[m - k] = -ci[k]!;
  }
  radix2(ar, ai, -1);
  radix2(br, bi, -1);
  for (let k = 0; k < m; k++) {
    const r = ar[k]! * br[k]! - ai[k]! * bi[k]!;
    ai[k] = ar[k]! * bi[k]! + ai[k]! * br[k]!;
    ar[k] = r;
  }
  radix2(ar, ai, 1);
  for (let k = 0; k < n; k++) {
    const r = ar[k]! / m;
    const i = ai[k]! / m;
    re[k] = r * cr[k]! - i * ci[k]!;
    im[k] = r * ci[k]! + i * cr[k]!;
  }
}

/** The numbers of a series argument, or null when it is not an array of numbers. */
function numbers(v: Value | undefined): number[] | null {
  if (!Array.isArray(v)) return null;
  const out: number[] = [];
  for (const x of v as DynamicValue[]) {
    if (typeof x !== 'number') return null;
    out.push(x);
  }
  return out;
}

function transform([real, imag]: Value[], inverse: boolean): DynamicValue {
  const xr = numbers(real);
  const xi = imag === undefined || imag === null ? (xr ? xr.map(() => 0) : null) : numbers(imag);
  if (!xr || !xi || xr.length !== xi.length) return null;
  const n = xr.length;
  const re = Float64Array.from(xr);
  const im = Float64Array.from(xi);
  const sign = inverse ? 1 : -1;
  if (n > 1) {
    if ((n & (n - 1)) === 0) radix2(re, im, sign);
    else bluestein(re, im, sign);
  }
  const scale = inverse && n > 0 ? 1 / n : 1;
  return { real: Array.from(re, (x) => x * scale), imag: Array.from(im, (x) => x * scale) };
}

export const SERIES_SPECTRAL_FUNCTIONS: ScalarFunction[] = [
  fn('series_fft', 1, 2, (args) => transform(args, false)),
  fn('series_ifft', 1, 2, (args) => transform(args, true)),
];
