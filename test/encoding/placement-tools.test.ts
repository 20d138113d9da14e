// Issue 32 acceptance, placement inside tool calls: the first variant of every family of the independent encoders at 2%
// and 5% of 1,000 chat records whose answers are sent through a tool call (the text inside the call's JSON arguments),
// the encoded rows outside the default sample, read and judged the way mix does.
import { mainVariants } from './independent/encoders.js';
import { describePlacement } from './placement-run.js';

describePlacement(
  'placement: every family inside tool-call arguments, outside the default sample',
  mainVariants(),
  'tool-call',
  [0.02, 0.05],
  ['outside the sample'],
);
