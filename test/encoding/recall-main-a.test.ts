// Issue 11 acceptance, recall (part 1 of 3): the first ten families at 1%, 2%, 5% and 20%, with the independent encoders (test/encoding/
// independent/, nothing from src/) on carrier text from three corpus files, 1,000 records each, Phase I
// pairs present. `encoded` at 2% and above whenever the scheme is recovered, at 5% and above always; the
// exact key at 2% and above for keyed families; no plain row flagged. The table is printed (README).
import { mainVariants } from './independent/encoders.js';
import { describeRecall, SHARES } from './recall-run.js';

describeRecall('recall: the first ten families at 1%, 2%, 5% and 20%', mainVariants().slice(0, 10), SHARES);
