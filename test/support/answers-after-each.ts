/**
 * After each test: the answers the apps of this test file gave (test/support/answer-check.ts)
 * all matched the OpenAPI document; a mismatch no call reported fails the test here.
 */
import { assertSharedAnswersMatch } from './answer-check';

afterEach(() => {
  assertSharedAnswersMatch();
});
