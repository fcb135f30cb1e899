/* ls-code-dialog.h: the "Show Code" window with a network's NumPy and PyTorch scripts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ls-code.h"
#include "ls-network.h"

G_BEGIN_DECLS

#define LS_TYPE_CODE_DIALOG (ls_code_dialog_get_type ())

G_DECLARE_FINAL_TYPE (LsCodeDialog, ls_code_dialog, LS, CODE_DIALOG, AdwWindow)

LsCodeDialog *ls_code_dialog_new         (GtkWindow      *parent,
                                          LsNetwork      *network);
/* Shows another network, e.g. after the main window opened a document. */
void          ls_code_dialog_set_network (LsCodeDialog   *self,
                                          LsNetwork      *network);
/* Returns the script shown for language, or NULL while it shows an error. */
const char   *ls_code_dialog_get_script  (LsCodeDialog   *self,
                                          LsCodeLanguage  language);
/* Regenerates the scripts now rather than after the next network change
 * settles, so that tests see the result without waiting. */
void          ls_code_dialog_refresh     (LsCodeDialog   *self);

G_END_DECLS
