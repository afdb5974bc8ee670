/* check.h: the checks of the C test programs. Define CHECK_NAME (the test's name,
 * a string) before including it; CHECK(cond, format, ...) prints
 * "NAME: ok: what" or "NAME: FAILED: what (file:line, errno N)" and counts the
 * failures in `failures`; fails_with(result, err) is whether a call failed with
 * errno `err`. */
#include <errno.h>
#include <stdio.h>

static int failures;

#define CHECK(cond, ...)                                               \
    do {                                                               \
        if (cond) {                                                    \
            printf(CHECK_NAME ": ok: " __VA_ARGS__);                   \
            printf("\n");                                              \
        } else {                                                       \
            printf(CHECK_NAME ": FAILED: " __VA_ARGS__);               \
            printf(" (%s:%d, errno %d)\n", __FILE__, __LINE__, errno); \
            failures++;                                                \
        }                                                              \
    } while (0)

static inline int fails_with(long result, int err) {
    return result == -1 && errno == err;
}
