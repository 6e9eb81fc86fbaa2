import { describe, expect, it } from 'vitest';
import { liftedPrivacyFlags } from './privacy.ts';

describe('liftedPrivacyFlags', () => {
  it('lists the flags a change would lift, and only those', () => {
    const both = { anonymous: true, confidential: true };
    expect(liftedPrivacyFlags(both, { anonymous: false })).toEqual(['anonymous']);
    expect(liftedPrivacyFlags(both, { anonymous: false, confidential: false })).toEqual([
      'anonymous',
      'confidential',
    ]);
    expect(liftedPrivacyFlags(both, {})).toEqual([]);
    expect(liftedPrivacyFlags(both, { anonymous: true })).toEqual([]);
    // Adding a flag, or "lifting" one that is not set, is not lifting.
    expect(
      liftedPrivacyFlags({ anonymous: false, confidential: false }, { anonymous: true, confidential: false }),
    ).toEqual([]);
  });
});
