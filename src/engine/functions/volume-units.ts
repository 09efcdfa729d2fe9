/**
 * convert_volume's units as Kusto converts them: through UnitsNet, the unit library it uses, whose volume
 * factors are not all the exact SI ones (an acre-foot is x / 0.000810714 cubic metres there, so 1.2 m³ is
 * 0.0009728568 acre-feet, as the reference shows, not 0.00097285583...). Facts from UnitsNet's
 * Common/UnitDefinitions/Volume.json (MIT licence): each unit's conversion to the base unit (the cubic
 * metre) as "multiply by" or "divide by" a factor, then its SI prefix (as UnitsNet's generated code applies
 * it: to base (x op f) * p, from base (x op⁻¹ f) / p). Units UnitsNet does not define there keep their SI
 * factors (bits-math.ts's table).
 */
type Op = ['*' | '/', number];

const PREFIX: Record<string, number> = { Micro: 1e-6, Milli: 1e-3, Centi: 1e-2, Deci: 1e-1, Hecto: 1e2, Kilo: 1e3, Mega: 1e6 };

const BASE: Record<string, { op: Op; prefixes?: string[] }> = {
  Liter: { op: ['/', 1e3], prefixes: ['Micro', 'Milli', 'Centi', 'Deci', 'Hecto', 'Kilo', 'Mega'] },
  CubicMeter: { op: ['*', 1], prefixes: ['Hecto', 'Kilo'] },
  CubicKilometer: { op: ['*', 1e9] },
  CubicHectometer: { op: ['*', 1e6] },
  CubicDecimeter: { op: ['/', 1e3] },
  CubicCentimeter: { op: ['/', 1e6] },
  CubicMillimeter: { op: ['/', 1e9] },
  CubicMicrometer: { op: ['/', 1e18] },
  CubicMile: { op: ['*', 4.16818182544058e9] },
  CubicYard: { op: ['*', 0.764554858] },
  CubicFoot: { op: ['*', 0.0283168], prefixes: ['Hecto', 'Kilo', 'Mega'] },
  CubicInch: { op: ['*', 1.6387 * 1e-5] },
  ImperialGallon: { op: ['*', 0.00454609000000181429905810072407], prefixes: ['Kilo', 'Mega'] },
  ImperialOunce: { op: ['*', 2.8413062499962901241875439064617e-5] },
  UsGallon: { op: ['*', 0.00378541], prefixes: ['Kilo', 'Mega'] },
  UsOunce: { op: ['*', 2.957352956253760505068307980135e-5] },
  UsTablespoon: { op: ['*', 1.478676478125e-5] },
  AuTablespoon: { op: ['*', 2e-5] },
  UkTablespoon: { op: ['*', 1.5e-5] },
  MetricTeaspoon: { op: ['*', 0.5e-5] },
  UsTeaspoon: { op: ['*', 4.92892159375e-6] },
  MetricCup: { op: ['*', 0.00025] },
  UsCustomaryCup: { op: ['*', 0.0002365882365] },
  UsLegalCup: { op: ['*', 0.00024] },
  OilBarrel: { op: ['*', 0.158987294928] },
  UsBeerBarrel: { op: ['*', 0.1173477658] },
  ImperialBeerBarrel: { op: ['*', 0.16365924] },
  UsQuart: { op: ['*', 9.46352946e-4] },
  UsPint: { op: ['*', 4.73176473e-4] },
  AcreFoot: { op: ['/', 0.000810714] },
  ImperialPint: { op: ['*', 5.6826125e-4] },
};

export interface VolumeUnit {
  toBase(x: number): number;
  fromBase(x: number): number;
}

const apply = (x: number, [op, f]: Op, inverse: boolean) => ((op === '*') !== inverse ? x * f : x / f);

function unit(op: Op, prefix = 1): VolumeUnit {
  if (prefix === 1) return { toBase: (x) => apply(x, op, false), fromBase: (x) => apply(x, op, true) };
  return { toBase: (x) => apply(x, op, false) * prefix, fromBase: (x) => apply(x, op, true) / prefix };
}

/** The units by the names Kusto accepts (prefixed ones like UnitsNet names them: Milliliter, KilocubicFoot). */
export const VOLUME_UNITS: Record<string, VolumeUnit> = {};
for (const [name, def] of Object.entries(BASE)) {
  VOLUME_UNITS[name] = unit(def.op);
  for (const p of def.prefixes ?? []) {
    const prefixed = /^[A-Z][a-z]*[A-Z]/.test(name) ? `${p}${name[0]!.toLowerCase()}${name.slice(1)}` : `${p}${name.toLowerCase()}`;
    VOLUME_UNITS[prefixed] = unit(def.op, PREFIX[p]);
  }
}
