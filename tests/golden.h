/* golden.h: reading the reference values that tools/ scripts make with PyTorch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

/* PyTorch and the engine both compute in float32 but may sum in another
 * order, so values agree within 1e-5 · max(1, |expected|): 1e-5 relative
 * above 1 and absolute below. */
#define GOLDEN_TOLERANCE 1e-5

JsonObject *golden_load          (const char  *file_name);
float      *golden_read_floats   (JsonArray   *array,
                                  gsize       *n_values);
float      *golden_get_floats    (JsonObject  *object,
                                  const char  *member,
                                  gsize       *n_values);
void        golden_assert_close  (const char  *what,
                                  gsize        index,
                                  double       actual,
                                  double       expected);
void        golden_assert_floats (const char  *what,
                                  const float *actual,
                                  gsize        n_actual,
                                  JsonObject  *object,
                                  const char  *member);
