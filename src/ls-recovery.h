/* ls-recovery.h: the offer to recover documents left by a crash
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ls-window.h"

G_BEGIN_DECLS

/* Presents a dialog over parent that lists the autosaves which ended
 * Layerscope processes left behind, each with Recover and Discard. A
 * recovered document opens in parent when parent has no unsaved changes,
 * else in a new window. Closing the dialog keeps the autosaves for the
 * next start. Returns the dialog, or NULL when there is nothing to
 * recover. */
GtkWindow *ls_recovery_offer (LsMainWindow *parent);

G_END_DECLS
