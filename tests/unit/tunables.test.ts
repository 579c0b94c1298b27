/** Tunable overrides exist for cross-validation only: they apply inside the call and nowhere else. */
import { describe, expect, it } from 'vitest';
import { JOIN_COSINE, joinThreshold } from '../../functions/core/stories/assign.ts';
import { tunableOverrides, withTunables } from '../../functions/core/tunables.ts';

describe('withTunables', () => {
  it('applies an override inside the call and restores the production value after it', () => {
    expect(joinThreshold(0)).toBe(JOIN_COSINE);
    expect(withTunables({ joinCosine: 0.3 }, () => joinThreshold(0))).toBe(0.3);
    expect(joinThreshold(0)).toBe(JOIN_COSINE);
    expect(tunableOverrides()).toEqual({});
  });

  it('restores the previous values when the call throws, and nests', () => {
    expect(() =>
      withTunables({ joinCosine: 0.3 }, () => {
        expect(withTunables({ mergeFactor: 2 }, () => tunableOverrides())).toEqual({
          joinCosine: 0.3,
          mergeFactor: 2,
        });
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(tunableOverrides()).toEqual({});
  });
});
