/* ls-presenter-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ls-bars-view.h"
#include "ls-diagram-view.h"
#include "ls-presenter-strip.h"
#include "ls-presenter-ui.h"
#include "ls-presenter-window.h"

struct _LsPresenterWindow
{
  GtkWindow parent_instance;

  LsPresenter *presenter;
  LsDiagramView *diagram_view;
  LsBarsView *bars_view;
  LsPresenterStrip *strip;
};

G_DEFINE_FINAL_TYPE (LsPresenterWindow, ls_presenter_window, GTK_TYPE_WINDOW)

static void
presenter_changed_cb (LsPresenterWindow *self)
{
  ls_presenter_ui_show_step (self->presenter, self->diagram_view, self->bars_view);
}

static void
presenter_network_cb (LsPresenterWindow *self)
{
  ls_diagram_view_set_network (self->diagram_view, ls_presenter_get_network (self->presenter));
  ls_bars_view_set_network (self->bars_view, ls_presenter_get_network (self->presenter));
  presenter_changed_cb (self);
}

static void
selection_changed_cb (LsPresenterWindow *self)
{
  ls_presenter_ui_follow_diagram (self->presenter, self->diagram_view);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                LsPresenterWindow     *self)
{
  GdkModifierType modifiers = state & gtk_accelerator_get_default_mod_mask ();

  if ((keyval == GDK_KEY_Escape || keyval == GDK_KEY_F5) && modifiers == 0)
    {
      gtk_window_close (GTK_WINDOW (self));
      return TRUE;
    }

  if (keyval == GDK_KEY_s && modifiers == 0)
    {
      ls_diagram_view_set_spotlight (self->diagram_view, !ls_diagram_view_get_spotlight (self->diagram_view));
      return TRUE;
    }

  return ls_presenter_ui_handle_key (self->presenter, keyval, state);
}

LsPresenterWindow *
ls_presenter_window_new (GtkApplication *application,
                         LsPresenter    *presenter,
                         GSettings      *settings,
                         gboolean        high_contrast)
{
  LsPresenterWindow *self;

  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (LS_IS_PRESENTER (presenter), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (LS_TYPE_PRESENTER_WINDOW, "application", application, NULL);
  self->presenter = g_object_ref (presenter);

  ls_diagram_view_set_network (self->diagram_view, ls_presenter_get_network (presenter));
  ls_diagram_view_set_presenter (self->diagram_view, TRUE);
  ls_diagram_view_set_high_contrast (self->diagram_view, high_contrast);
  ls_bars_view_set_network (self->bars_view, ls_presenter_get_network (presenter));
  ls_presenter_ui_fit_views (self->bars_view, self->diagram_view, self->strip, settings, high_contrast);
  ls_presenter_strip_set_presenter (self->strip, presenter);

  g_signal_connect_object (presenter, "changed", G_CALLBACK (presenter_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (presenter, "notify::network", G_CALLBACK (presenter_network_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->diagram_view, "selection-changed", G_CALLBACK (selection_changed_cb), self,
                           G_CONNECT_SWAPPED);
  presenter_changed_cb (self);

  return self;
}

/* Returns the first monitor that does not show `beside`, or NULL. */
static GdkMonitor *
find_other_monitor (GtkWindow *beside)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (beside));
  GListModel *monitors = gdk_display_get_monitors (display);
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (beside));
  GdkMonitor *own = surface != NULL ? gdk_display_get_monitor_at_surface (display, surface) : NULL;
  guint n_monitors = g_list_model_get_n_items (monitors);

  for (guint i = 0; i < n_monitors; i++)
    {
      g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, i);

      if (monitor != own)
        return monitor;
    }

  return NULL;
}

gboolean
ls_presenter_window_present (LsPresenterWindow *self,
                             GtkWindow         *beside)
{
  GdkMonitor *monitor;

  g_return_val_if_fail (LS_IS_PRESENTER_WINDOW (self), FALSE);
  g_return_val_if_fail (GTK_IS_WINDOW (beside), FALSE);

  monitor = find_other_monitor (beside);
  if (monitor != NULL)
    gtk_window_fullscreen_on_monitor (GTK_WINDOW (self), monitor);
  gtk_window_present (GTK_WINDOW (self));

  return monitor != NULL;
}

static void
ls_presenter_window_dispose (GObject *object)
{
  LsPresenterWindow *self = LS_PRESENTER_WINDOW (object);

  if (self->presenter != NULL)
    ls_presenter_set_playing (self->presenter, FALSE);
  g_clear_object (&self->presenter);

  G_OBJECT_CLASS (ls_presenter_window_parent_class)->dispose (object);
}

static void
ls_presenter_window_class_init (LsPresenterWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ls_presenter_window_dispose;
}

static void
ls_presenter_window_init (LsPresenterWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *views = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("Presenter — Layerscope"));
  gtk_window_set_default_size (GTK_WINDOW (self), 1280, 720);

  self->diagram_view = LS_DIAGRAM_VIEW (ls_diagram_view_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->diagram_view), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->diagram_view), TRUE);
  gtk_widget_set_focusable (GTK_WIDGET (self->diagram_view), TRUE);
  self->bars_view = LS_BARS_VIEW (ls_bars_view_new ());
  self->strip = LS_PRESENTER_STRIP (ls_presenter_strip_new ());
  gtk_box_append (GTK_BOX (views), GTK_WIDGET (self->diagram_view));
  gtk_box_append (GTK_BOX (views), ls_presenter_ui_new_bars_scroller (self->bars_view));
  gtk_box_append (GTK_BOX (box), views);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->strip));
  gtk_window_set_child (GTK_WINDOW (self), box);

  /* In the capture phase the window receives the keys before the diagram,
   * which would otherwise move its own selection on the arrow keys. */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}
