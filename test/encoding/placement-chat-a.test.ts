// Issue 32 acceptance, placement (part 1 of 2): the first half of the independent encoders' variants at 1%, 2% and 5% of
// 1,000 chat records, the encoded rows outside the default sample and at random, read and judged the way mix does.
import { VARIANTS } from './independent/encoders.js';
import { describePlacement, SHARES } from './placement-run.js';

describePlacement(
  'placement: every variant (first half), outside the default sample and at random',
  VARIANTS.slice(0, Math.ceil(VARIANTS.length / 2)),
  'chat',
  SHARES,
  ['outside the sample', 'at random'],
);
