/* ls-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope-engine"

#include "ls-error.h"

G_DEFINE_QUARK (layerscope-error-quark, ls_error)
