import { calculate, mathPack } from '@plumb/packs/math';

export const math = mathPack({ maxLength: 500 });

// The evaluator is a plain function as well:
calculate('0.1 + 0.2'); // { expression: '0.1 + 0.2', result: '0.3', exact: true }
calculate('1/3'); // { result: '0.33333333333333333333', exact: false, fraction: '1/3' }
calculate('2^100'); // { result: '1267650600228229401496703205376', exact: true }
calculate('sqrt(2) * 2'); // { result: '2.82842712474619', exact: false }
