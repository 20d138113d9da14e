// Issue 11 acceptance, recall (part 3 of 3): every other variant at 5% (keyed ones at 2% too), with the independent encoders (test/encoding/
// independent/, nothing from src/) on carrier text from three corpus files, 1,000 records each, Phase I
// pairs present. `encoded` at 2% and above whenever the scheme is recovered, at 5% and above always; the
// exact key at 2% and above for keyed families; no plain row flagged. The table is printed (README).
import { mainVariants, VARIANTS } from './independent/encoders.js';
import { describeRecall } from './recall-run.js';

/** Keyed variants at 2% too (the exact key is due there); the others at 5%. */
describeRecall(
  'recall: every other variant at 5% (keyed ones at 2% too)',
  VARIANTS.filter((v) => !mainVariants().includes(v)),
  [0.02, 0.05],
  (v) => (v.truth ? [0.02, 0.05] : [0.05]),
);
