/* ls-export-dialog.h: the dialog that writes the diagram and the output
 * bars to a PNG, SVG or PDF file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ls-network.h"
#include "ls-render.h"

G_BEGIN_DECLS

#define LS_TYPE_EXPORT_DIALOG (ls_export_dialog_get_type ())

G_DECLARE_FINAL_TYPE (LsExportDialog, ls_export_dialog, LS, EXPORT_DIALOG, AdwWindow)

/* Limits of a custom width or height, in pixels for PNG and points for
 * SVG and PDF. The smallest page fits every label, number and bar; a PNG
 * of 8192 × 8192 takes 256 MiB while it is drawn. */
#define LS_EXPORT_MIN_WIDTH LS_RENDER_MIN_PAGE_WIDTH
#define LS_EXPORT_MIN_HEIGHT LS_RENDER_MIN_PAGE_HEIGHT
#define LS_EXPORT_MAX_SIZE 8192

/* Returns a dialog that exports network with its current values. name is
 * the document's file name or a name made from its title; the suggested
 * file name is name without its ".json" extension. settings may be NULL.
 * The dialog emits "exported" with the written file before it closes. */
LsExportDialog *ls_export_dialog_new      (GtkWindow       *parent,
                                           LsNetwork       *network,
                                           const char      *name,
                                           GSettings       *settings);
/* Sets the folder where the file chooser starts, the document's folder;
 * without one it starts in the "last-folder" setting. */
void            ls_export_dialog_set_folder (LsExportDialog *self,
                                             GFile          *folder);
/* Reads the chosen size. A custom width or height that is not a whole
 * number from LS_EXPORT_MIN_WIDTH or LS_EXPORT_MIN_HEIGHT to
 * LS_EXPORT_MAX_SIZE is an
 * LS_ERROR_INVALID_ARGUMENT error that names the value and the range. */
gboolean        ls_export_dialog_get_size (LsExportDialog  *self,
                                           int             *width,
                                           int             *height,
                                           GError         **error);
/* Writes the network in the chosen format, size and style to file. A
 * name that ends in another format's extension selects that format, and
 * the format's extension is added when file's name lacks it. The next
 * dialog of the session starts with the choices of a successful write.
 * Returns the file written, or NULL with an error that names the path. */
GFile          *ls_export_dialog_write    (LsExportDialog  *self,
                                           GFile           *file,
                                           GError         **error);

G_END_DECLS
