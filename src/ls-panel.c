/* ls-panel.c: helpers shared by the window's side panels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <adwaita.h>

#include "ls-panel.h"

/* Shows message in the toast overlay that contains widget, replacing the
 * previous error toast, so that fast edits do not queue stale messages. */
void
ls_panel_show_error (GtkWidget  *widget,
                     const char *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  AdwToast *previous;
  AdwToast *toast;

  gtk_widget_error_bell (widget);
  if (overlay == NULL)
    {
      g_warning ("%s", message);
      return;
    }

  previous = g_object_get_data (G_OBJECT (overlay), "ls-error-toast");
  if (previous != NULL)
    adw_toast_dismiss (previous);

  toast = adw_toast_new (message);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (overlay), "ls-error-toast", g_object_ref (toast), g_object_unref);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

/* Makes *network_slot hold network and calls changed_cb, swapped, on its
 * LsNetwork::changed, instead of on the network it held before. */
void
ls_panel_watch_network (gpointer    panel,
                        LsNetwork **network_slot,
                        LsNetwork  *network,
                        GCallback   changed_cb)
{
  g_return_if_fail (network_slot != NULL);
  g_return_if_fail (network == NULL || LS_IS_NETWORK (network));

  if (*network_slot != NULL)
    g_signal_handlers_disconnect_by_data (*network_slot, panel);
  g_set_object (network_slot, network);
  if (network != NULL)
    g_signal_connect_object (network, "changed", changed_cb, panel, G_CONNECT_SWAPPED);
}
