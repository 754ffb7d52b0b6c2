import { DAY_SECONDS as DAY } from '../../../common/time';

/** The `created` of the newest object older than `lt`, or undefined when there is none (one `limit=1` list request). */
export type NewestBefore = (lt: number) => Promise<number | undefined>;

/**
 * Estimates the oldest `created` of a type without reading it all (Stripe lists newest
 * first and has no count): steps back from a known object by doubling intervals until
 * nothing is older, then narrows the gap a few times. About log2(age / day) + `refine`
 * requests; the answer is a bound at or below the true oldest, within 1/2^refine of the gap.
 */
export async function estimateOldestCreated(
  knownCreated: number,
  newestBefore: NewestBefore,
  options: { firstStep?: number; refine?: number; maxProbes?: number; floor?: number } = {},
): Promise<number> {
  let known = knownCreated;
  let step = Math.max(DAY, options.firstStep ?? DAY);
  // A floor (e.g. the oldest customer: no invoice is older than its customer) skips the stepping.
  let empty: number | undefined = options.floor !== undefined && options.floor <= known ? options.floor : undefined;
  for (let probe = 0; empty === undefined && probe < (options.maxProbes ?? 40); probe += 1) {
    const bound = known - step;
    if (bound <= 0) {
      empty = 0;
      break;
    }
    const older = await newestBefore(bound);
    if (older === undefined) {
      empty = bound;
      break;
    }
    known = older;
    step *= 2;
  }
  if (empty === undefined) return known;
  for (let i = 0; i < (options.refine ?? 3) && known - empty > 1; i += 1) {
    const mid = Math.floor((empty + known) / 2);
    const older = await newestBefore(mid);
    if (older === undefined) empty = mid;
    else known = older;
  }
  return empty;
}
