// Issue 32 acceptance, placement (part 2 of 2): the second half of the independent encoders' variants at 1%, 2% and 5% of
// 1,000 chat records, the encoded rows outside the default sample and at random, read and judged the way mix does.
import { VARIANTS } from './independent/encoders.js';
import { describePlacement, SHARES } from './placement-run.js';

describePlacement(
  'placement: every variant (second half), outside the default sample and at random',
  VARIANTS.slice(Math.ceil(VARIANTS.length / 2)),
  'chat',
  SHARES,
  ['outside the sample', 'at random'],
);
