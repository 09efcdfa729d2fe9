/**
 * Bitwise functions, hash()/hash_xxhash64(), special functions (erf, gamma, beta distribution, Welch's
 * t-test) and unit conversions. Bitwise work is done on 64-bit integers (BigInt) so large longs keep their bits.
 */
import { formatDatetime } from '../values/ticks.js';
import { valueToString } from '../values/format.js';
import type { ScalarTypeName, Value } from '../values/value.js';
import { fn, type ScalarFunction } from './types.js';
import { xxhash64 } from './xxhash64.js';
import { VOLUME_UNITS, type VolumeUnit } from './volume-units.js';
import { lazyPackage } from '../../common/lazy-package.js';
import { longOf } from '../values/long.js';

// erf/erfc/ln Γ/ln B to the last bits (W. J. Cody's rational approximations and the like, from stdlib; each
// package's module is the function itself)
const erf = lazyPackage<(x: number) => number>('@stdlib/math-base-special-erf');
const erfc = lazyPackage<(x: number) => number>('@stdlib/math-base-special-erfc');
const gammaln = lazyPackage<(x: number) => number>('@stdlib/math-base-special-gammaln');
const betaln = lazyPackage<(a: number, b: number) => number>('@stdlib/math-base-special-betaln');

const int64 = (v: Value): bigint | null => (typeof v === 'number' && Number.isFinite(v) ? BigInt.asIntN(64, BigInt(Math.trunc(v))) : typeof v === 'bigint' ? v : null);
const bits2 = (name: string, f: (a: bigint, b: bigint) => bigint) =>
  fn(name, 2, 2, ([a, b]) => { const x = int64(a); const y = int64(b); return x === null || y === null ? null : longOf(f(x, y)); });

/** Ticks from 0001-01-01 (the .NET epoch) to 1970-01-01: hash() of a datetime hashes .NET ticks. */
const DOTNET_EPOCH_TICKS = 621_355_968_000_000_000n;

/** The bytes hash() reads for a value: UTF-8 text, or the 8 little-endian bytes of a number or time. */
function hashBytes(v: Value, t: ScalarTypeName): Uint8Array {
  const b = Buffer.alloc(8);
  if (typeof v === 'bigint') { b.writeBigInt64LE(t === 'datetime' ? v + DOTNET_EPOCH_TICKS : BigInt.asIntN(64, v)); return b; }
  if (typeof v === 'number' && (t === 'long' || t === 'int')) { b.writeBigInt64LE(BigInt(Math.trunc(v))); return b; }
  if (typeof v === 'number') { b.writeDoubleLE(v); return b; }
  return Buffer.from(typeof v === 'string' ? v : t === 'datetime' && typeof v === 'bigint' ? formatDatetime(v) : valueToString(v, t), 'utf8');
}

function hashOf([v, mod]: Value[], [t]: ScalarTypeName[]): Value {
  if (v === null) return null;
  const h = BigInt.asIntN(64, xxhash64(hashBytes(v, t!)));
  if (mod === undefined || mod === null) return longOf(h);
  const m = typeof mod === 'bigint' ? mod : BigInt(Math.trunc(Number(mod)));
  // exact int64 arithmetic: the hash is a full 64-bit value, a float would round its low digits
  return m > 0n ? longOf(((h % m) + m) % m) : null;
}

/** Γ(x): exact factorials for whole x up to 171, reflection below 1/2, else exp(ln Γ(x)). */
function gamma(x: number): number {
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  if (Number.isInteger(x) && x <= 171) { let r = 1; for (let i = 2; i < x; i++) r *= i; return r; }
  return Math.exp(logGamma(x));
}

/** ln Γ(x) (stdlib's, accurate to the last bits; the Lanczos sum it replaces was off by a few ulps). */
function logGamma(x: number): number {
  return gammaln()(x);
}

/**
 * The beta density Γ(a+b)/(Γ(a)Γ(b)) x^(a-1) (1-x)^(b-1), through the gamma values while they are finite
 * (beta_pdf(0.5, 10, 20) is 0.746176019310951, as the reference shows; through logarithms it would be off in
 * the 15th digit), else through ln B(a, b).
 */
function betaPdf(x: number, a: number, b: number): number {
  const c = gamma(a + b) / (gamma(a) * gamma(b));
  if (Number.isFinite(c) && c > 0) return c * Math.pow(x, a - 1) * Math.pow(1 - x, b - 1);
  return Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - betaln()(a, b));
}

/** Regularized incomplete beta I_x(a, b) by its continued fraction. */
function betaCdf(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  if (x > (a + 1) / (a + b + 2)) return 1 - betaCdf(1 - x, b, a);
  const front = Math.exp(Math.log(x) * a + Math.log(1 - x) * b - (logGamma(a) + logGamma(b) - logGamma(a + b))) / a;
  let f = 1, c = 1, d = 0;
  for (let i = 0; i <= 400; i++) {
    const m = Math.floor(i / 2);
    const num = i === 0 ? 1 : i % 2 === 0 ? (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)) : -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + num * d;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    d = 1 / d;
    c = 1 + num / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    const cd = c * d;
    f *= cd;
    if (Math.abs(1 - cd) < 1e-15) break;
  }
  return front * (f - 1);
}

function betaInv(p: number, a: number, b: number): number {
  let lo = 0, hi = 1;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (betaCdf(mid, a, b) < p) lo = mid; else hi = mid;
  }
  return (lo + hi) / 2;
}

const validBeta = (x: number, a: number, b: number) => x >= 0 && x <= 1 && a > 0 && b > 0;

/**
 * Welch's unequal-variances t-test from two samples' means, variances and counts: the two-sided p-value
 * P(|T| >= |t|) of Student's t with the Welch-Satterthwaite degrees of freedom, as the regularized incomplete
 * beta I_{df/(df+t²)}(df/2, 1/2).
 */
function welchTest(m1: number, v1: number, c1: number, m2: number, v2: number, c2: number): number {
  const a = v1 / c1;
  const b = v2 / c2;
  const t = (m1 - m2) / Math.sqrt(a + b);
  const df = (a + b) ** 2 / (a ** 2 / (c1 - 1) + b ** 2 / (c2 - 1));
  if (!Number.isFinite(t) || !(df > 0)) return NaN;
  return betaCdf(df / (df + t * t), df / 2, 0.5);
}

/** Unit factors to the base unit of each quantity (names as Kusto spells them). */
const UNITS: Record<string, Record<string, number>> = {
  angle: { Arcminute: Math.PI / 10800, Arcsecond: Math.PI / 648000, Centiradian: 0.01, Deciradian: 0.1, Degree: Math.PI / 180, Gradian: Math.PI / 200, Microdegree: Math.PI / 180e6, Microradian: 1e-6, Millidegree: Math.PI / 180e3, Milliradian: 1e-3, Nanodegree: Math.PI / 180e9, Nanoradian: 1e-9, Radian: 1, Revolution: 2 * Math.PI },
  energy: { BritishThermalUnit: 1055.05585262, Calorie: 4.184, DecathermEc: 1.05505585262e9, DecathermImperial: 1.05505585257348e9, DecathermUs: 1.054804e9, ElectronVolt: 1.602176565e-19, Erg: 1e-7, FootPound: 1.355817948, GigabritishThermalUnit: 1055.05585262e9, GigaelectronVolt: 1.602176565e-10, Gigajoule: 1e9, GigawattDay: 8.64e13, GigawattHour: 3.6e12, HorsepowerHour: 2.6845195377e6, Joule: 1, KilobritishThermalUnit: 1055055.85262, Kilocalorie: 4184, KiloelectronVolt: 1.602176565e-16, Kilojoule: 1e3, KilowattDay: 8.64e7, KilowattHour: 3.6e6, MegabritishThermalUnit: 1055055852.62, Megacalorie: 4.184e6, MegaelectronVolt: 1.602176565e-13, Megajoule: 1e6, MegawattDay: 8.64e10, MegawattHour: 3.6e9, Millijoule: 1e-3, TeraelectronVolt: 1.602176565e-7, TerawattDay: 8.64e16, TerawattHour: 3.6e15, ThermEc: 1.05505585262e8, ThermImperial: 1.05505585257348e8, ThermUs: 1.054804e8, WattDay: 86400, WattHour: 3600 },
  force: { Decanewton: 10, Dyn: 1e-5, KilogramForce: 9.80665, Kilonewton: 1e3, KiloPond: 9.80665, KilopoundForce: 4448.2216152605, Meganewton: 1e6, Micronewton: 1e-6, Millinewton: 1e-3, Newton: 1, OunceForce: 0.2780138509537812, Poundal: 0.138254954376, PoundForce: 4.4482216152605, ShortTonForce: 8896.443230521, TonneForce: 9806.65 },
  length: { Angstrom: 1e-10, AstronomicalUnit: 1.4959787070e11, Centimeter: 1e-2, Chain: 20.1168, DataMile: 1828.8, Decameter: 10, Decimeter: 0.1, DtpPica: 0.0042333333, DtpPoint: 0.00035277777777777776, Fathom: 1.8288, Foot: 0.3048, Hand: 0.1016, Hectometer: 100, Inch: 0.0254, KilolightYear: 9.46073047258e18, Kilometer: 1e3, Kiloparsec: 3.08567758128e19, LightYear: 9.46073047258e15, MegalightYear: 9.46073047258e21, Megaparsec: 3.08567758128e22, Meter: 1, Microinch: 2.54e-8, Micrometer: 1e-6, Mil: 2.54e-5, Mile: 1609.344, Millimeter: 1e-3, Nanometer: 1e-9, NauticalMile: 1852, Parsec: 3.08567758128e16, PrinterPica: 0.0042175176, PrinterPoint: 0.00035145980000000004, Shackle: 27.432, SolarRadius: 6.95510000e8, Twip: 1.7638888888888888e-5, UsSurveyFoot: 1200 / 3937, Yard: 0.9144 },
  mass: { Centigram: 1e-5, Decagram: 1e-2, Decigram: 1e-4, EarthMass: 5.9722e24, Grain: 64.79891e-6, Gram: 1e-3, Hectogram: 0.1, Kilogram: 1, Kilopound: 453.59237, Kilotonne: 1e6, LongHundredweight: 50.80234544, LongTon: 1016.0469088, Megapound: 453592.37, Megatonne: 1e9, Microgram: 1e-9, Milligram: 1e-6, Nanogram: 1e-12, Ounce: 0.028349523125, Pound: 0.45359237, ShortHundredweight: 45.359237, ShortTon: 907.18474, Slug: 14.593902937206364, SolarMass: 1.98947e30, Stone: 6.35029318, Tonne: 1e3 },
  speed: { CentimeterPerHour: 1 / 360000, CentimeterPerMinute: 1 / 6000, CentimeterPerSecond: 0.01, DecimeterPerMinute: 1 / 600, DecimeterPerSecond: 0.1, FootPerHour: 0.3048 / 3600, FootPerMinute: 0.3048 / 60, FootPerSecond: 0.3048, InchPerHour: 0.0254 / 3600, InchPerMinute: 0.0254 / 60, InchPerSecond: 0.0254, KilometerPerHour: 1 / 3.6, KilometerPerMinute: 1000 / 60, KilometerPerSecond: 1000, Knot: 1852 / 3600, MeterPerHour: 1 / 3600, MeterPerMinute: 1 / 60, MeterPerSecond: 1, MicrometerPerMinute: 1e-6 / 60, MicrometerPerSecond: 1e-6, MilePerHour: 0.44704, MillimeterPerHour: 1e-3 / 3600, MillimeterPerMinute: 1e-3 / 60, MillimeterPerSecond: 1e-3, NanometerPerMinute: 1e-9 / 60, NanometerPerSecond: 1e-9, UsSurveyFootPerHour: 1200 / 3937 / 3600, UsSurveyFootPerMinute: 1200 / 3937 / 60, UsSurveyFootPerSecond: 1200 / 3937, YardPerHour: 0.9144 / 3600, YardPerMinute: 0.9144 / 60, YardPerSecond: 0.9144 },
  volume: { AcreFoot: 1233.48183754752, AuTablespoon: 2e-5, BoardFoot: 0.002359737, Centiliter: 1e-5, CubicCentimeter: 1e-6, CubicDecimeter: 1e-3, CubicFoot: 0.028316846592, CubicHectometer: 1e6, CubicInch: 1.6387064e-5, CubicKilometer: 1e9, CubicMeter: 1, CubicMicrometer: 1e-18, CubicMile: 4168181825.440579584, CubicMillimeter: 1e-9, CubicYard: 0.764554857984, Decaliter: 1e-2, DecausGallon: 0.03785411784, Deciliter: 1e-4, DeciusGallon: 3.785411784e-4, HectocubicFoot: 2.8316846592, HectocubicMeter: 100, Hectoliter: 0.1, HectousGallon: 0.3785411784, ImperialBeerBarrel: 0.16365924, ImperialGallon: 0.00454609, ImperialOunce: 2.8413062499962901241875013730328e-5, ImperialPint: 5.6826125e-4, KilocubicFoot: 28.316846592, KilocubicMeter: 1e3, KiloimperialGallon: 4.54609, Kiloliter: 1, KilousGallon: 3.785411784, Liter: 1e-3, MegacubicFoot: 28316.846592, MegaimperialGallon: 4546.09, Megaliter: 1e3, MegausGallon: 3785.411784, MetricCup: 2.5e-4, MetricTeaspoon: 5e-6, Microliter: 1e-9, Milliliter: 1e-6, OilBarrel: 0.158987294928, UkTablespoon: 1.5e-5, UsBeerBarrel: 0.1173477658, UsCustomaryCup: 2.365882365e-4, UsGallon: 0.003785411784, UsLegalCup: 2.4e-4, UsOunce: 2.95735295625e-5, UsPint: 4.73176473e-4, UsQuart: 9.46352946e-4, UsTablespoon: 1.478676478125e-5, UsTeaspoon: 4.92892159375e-6 },
};

/** Temperatures are affine: to and from kelvin. */
const TEMPERATURE: Record<string, [(x: number) => number, (k: number) => number]> = {
  DegreeCelsius: [(x) => x + 273.15, (k) => k - 273.15],
  DegreeDelisle: [(x) => 373.15 - (x * 2) / 3, (k) => ((373.15 - k) * 3) / 2],
  DegreeFahrenheit: [(x) => ((x + 459.67) * 5) / 9, (k) => (k * 9) / 5 - 459.67],
  DegreeNewton: [(x) => (x * 100) / 33 + 273.15, (k) => ((k - 273.15) * 33) / 100],
  DegreeRankine: [(x) => (x * 5) / 9, (k) => (k * 9) / 5],
  DegreeReaumur: [(x) => x * 1.25 + 273.15, (k) => (k - 273.15) * 0.8],
  DegreeRoemer: [(x) => ((x - 7.5) * 40) / 21 + 273.15, (k) => ((k - 273.15) * 21) / 40 + 7.5],
  Kelvin: [(x) => x, (k) => k],
  MillidegreeCelsius: [(x) => x / 1000 + 273.15, (k) => (k - 273.15) * 1000],
  SolarTemperature: [(x) => x * 5778, (k) => k / 5778],
};

function convert(quantity: string): ScalarFunction {
  return fn(`convert_${quantity}`, 3, 3, ([v, from, to]) => {
    if (typeof v !== 'number') return null;
    if (quantity === 'temperature') {
      const f = TEMPERATURE[String(from)];
      const t = TEMPERATURE[String(to)];
      return f && t ? t[1](f[0](v)) : null;
    }
    if (quantity === 'volume') {
      const f = volumeUnit(String(from));
      const t = volumeUnit(String(to));
      return f && t ? t.fromBase(f.toBase(v)) : null;
    }
    const f = UNITS[quantity]![String(from)];
    const t = UNITS[quantity]![String(to)];
    return f === undefined || t === undefined ? null : (v * f) / t;
  });
}

const num = (v: Value) => (typeof v === 'number' ? v : null);

/** A volume unit as UnitsNet converts it (volume-units.ts), else by its SI factor. */
function volumeUnit(name: string): VolumeUnit | undefined {
  const u = VOLUME_UNITS[name];
  if (u) return u;
  const f = UNITS.volume![name];
  return f === undefined ? undefined : { toBase: (x) => x * f, fromBase: (x) => x / f };
}

export const BITS_MATH_FUNCTIONS: ScalarFunction[] = [
  bits2('binary_and', (a, b) => a & b),
  bits2('binary_or', (a, b) => a | b),
  bits2('binary_xor', (a, b) => a ^ b),
  bits2('binary_shift_left', (a, b) => (b < 0n || b > 63n ? 0n : a << b)),
  bits2('binary_shift_right', (a, b) => (b < 0n || b > 63n ? 0n : a >> b)),
  fn('binary_not', 1, 1, ([a]) => { const x = int64(a); return x === null ? null : longOf(~x); }),
  fn('bitset_count_ones', 1, 1, ([a]) => { const x = int64(a); return x === null ? null : [...BigInt.asUintN(64, x).toString(2)].filter((c) => c === '1').length; }),
  fn('hash', 1, 2, hashOf),
  fn('hash_xxhash64', 1, 2, hashOf),
  fn('erf', 1, 1, ([x]) => (num(x) === null ? null : erf()(num(x)!))),
  fn('erfc', 1, 1, ([x]) => (num(x) === null ? null : erfc()(num(x)!))),
  fn('gamma', 1, 1, ([x]) => (num(x) === null ? null : gamma(num(x)!))),
  fn('loggamma', 1, 1, ([x]) => (num(x) === null ? null : logGamma(num(x)!))),
  fn('beta_cdf', 3, 3, ([x, a, b]) => { const [p, q, r] = [num(x), num(a), num(b)]; return p === null || q === null || r === null ? null : validBeta(p, q, r) ? betaCdf(p, q, r) : NaN; }),
  fn('beta_pdf', 3, 3, ([x, a, b]) => {
    const [p, q, r] = [num(x), num(a), num(b)];
    if (p === null || q === null || r === null) return null;
    if (!validBeta(p, q, r)) return NaN;
    return betaPdf(p, q, r);
  }),
  fn('beta_inv', 3, 3, ([x, a, b]) => {
    const [p, q, r] = [num(x), num(a), num(b)];
    if (p === null || q === null || r === null || p < 0 || p > 1) return null;
    return q > 0 && r > 0 ? betaInv(p, q, r) : NaN;
  }),
  fn('welch_test', 6, 6, (args) => {
    const xs = args.map(num);
    return xs.some((x) => x === null) ? null : welchTest(...(xs as [number, number, number, number, number, number]));
  }),
  ...['angle', 'energy', 'force', 'length', 'mass', 'speed', 'temperature', 'volume'].map(convert),
];
