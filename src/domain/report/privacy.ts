/**
 * The privacy flags of a report (domain.md §3): *anonim* hides the reporter's identity from agencies and the
 * public, *rahasia* hides the whole report from the public. The reporter chooses them; a verifier may add either
 * ("may mark a report anonim/rahasia"), but no one on staff may lift one: the reporter's choice, or an earlier
 * verifier's protection, stands. Lifting anonim would hand the reporter's identity to the agency the report goes to.
 */

/** The two flags. */
export interface PrivacyFlags {
  anonymous: boolean;
  confidential: boolean;
}

/** The flags a requested change would lift (set now, requested false), in a stable order. */
export function liftedPrivacyFlags(
  current: PrivacyFlags,
  requested: { anonymous?: boolean | undefined; confidential?: boolean | undefined },
): (keyof PrivacyFlags)[] {
  return (['anonymous', 'confidential'] as const).filter((f) => current[f] && requested[f] === false);
}
