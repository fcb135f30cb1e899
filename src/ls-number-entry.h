/* ls-number-entry.h: a text field for one finite number, with validation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LS_TYPE_NUMBER_ENTRY (ls_number_entry_get_type ())

G_DECLARE_FINAL_TYPE (LsNumberEntry, ls_number_entry, LS, NUMBER_ENTRY, GtkWidget)

GtkWidget *ls_number_entry_new        (void);
double     ls_number_entry_get_value  (LsNumberEntry *self);
/* Shows value without emitting ::value-changed. */
void       ls_number_entry_set_value  (LsNumberEntry *self,
                                       double         value);
void       ls_number_entry_set_step   (LsNumberEntry *self,
                                       double         step);

G_END_DECLS
