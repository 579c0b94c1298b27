import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs against each mutant (`npm run mutation`): the unit and property tests of the
 * guard modules only, so one mutant's run stays short. The guard modules and this list are kept in
 * step with stryker.config.json.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    include: [
      'tests/unit/guards/**/*.test.ts',
      'tests/unit/render/unsubscribe-token.test.ts',
      'tests/unit/render/safety.test.ts',
      'tests/unit/render/mime.test.ts',
      'tests/unit/security/address-validation.test.ts',
      'tests/unit/security/log-redaction.test.ts',
      'tests/unit/security/unsubscribe.test.ts',
      'tests/unit/extract/decode.test.ts',
      'tests/unit/extract/html-guards.test.ts',
      'tests/unit/ses-event.test.ts',
      'tests/unit/core/address-key.test.ts',
      'tests/unit/core/signing-keys.test.ts',
      'tests/unit/security/reader-form.test.ts',
      'tests/unit/app/send-fanout.test.ts',
      'tests/property/quoted-printable.test.ts',
    ],
  },
});
