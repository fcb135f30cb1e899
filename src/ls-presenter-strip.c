/* ls-presenter-strip.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ls-presenter-strip.h"

/* Height of the step and formula text at text scale 1.0, in pixels. */
#define TEXT_PX 20.0
/* Lines of the formula that the strip shows at most. */
#define MAX_FORMULA_LINES 4

struct _LsPresenterStrip
{
  GtkBox parent_instance;

  LsPresenter *presenter;  /* nullable */
  double text_scale;

  GtkLabel *step_label;
  GtkLabel *formula_label;
  GtkButton *play_button;
};

G_DEFINE_FINAL_TYPE (LsPresenterStrip, ls_presenter_strip, GTK_TYPE_BOX)

static void
set_label_size (GtkLabel *label,
                double    px,
                gboolean  bold)
{
  PangoAttrList *attributes = pango_attr_list_new ();

  pango_attr_list_insert (attributes, pango_attr_size_new_absolute ((int) (px * PANGO_SCALE)));
  if (bold)
    pango_attr_list_insert (attributes, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  gtk_label_set_attributes (label, attributes);
  pango_attr_list_unref (attributes);
}

static void
update_play_button (LsPresenterStrip *self)
{
  gboolean playing = self->presenter != NULL && ls_presenter_get_playing (self->presenter);

  gtk_button_set_icon_name (self->play_button,
                            playing ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button),
                               playing ? _("Pause the walk-through (Space)")
                                       : _("Play the walk-through, one step every 2 seconds (Space)"));
}

static void
update_text (LsPresenterStrip *self)
{
  g_autofree char *title = NULL;
  g_autofree char *formula = NULL;

  if (self->presenter == NULL)
    {
      gtk_label_set_text (self->step_label, "");
      gtk_label_set_text (self->formula_label, "");
      return;
    }

  title = ls_presenter_dup_step_title (self->presenter);
  formula = ls_presenter_dup_formula (self->presenter);
  gtk_label_set_text (self->step_label, title);
  gtk_label_set_text (self->formula_label, formula);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->formula_label), formula);
}

void
ls_presenter_strip_set_presenter (LsPresenterStrip *self,
                                  LsPresenter      *presenter)
{
  g_return_if_fail (LS_IS_PRESENTER_STRIP (self));
  g_return_if_fail (presenter == NULL || LS_IS_PRESENTER (presenter));

  if (self->presenter != NULL)
    g_signal_handlers_disconnect_by_data (self->presenter, self);
  g_set_object (&self->presenter, presenter);

  if (presenter != NULL)
    {
      g_signal_connect_object (presenter, "changed", G_CALLBACK (update_text), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (presenter, "notify::playing", G_CALLBACK (update_play_button), self,
                               G_CONNECT_SWAPPED);
    }

  update_text (self);
  update_play_button (self);
}

LsPresenter *
ls_presenter_strip_get_presenter (LsPresenterStrip *self)
{
  g_return_val_if_fail (LS_IS_PRESENTER_STRIP (self), NULL);

  return self->presenter;
}

void
ls_presenter_strip_set_text_scale (LsPresenterStrip *self,
                                   double            scale)
{
  g_return_if_fail (LS_IS_PRESENTER_STRIP (self));
  g_return_if_fail (scale > 0.0);

  self->text_scale = scale;
  set_label_size (self->step_label, TEXT_PX * scale, TRUE);
  set_label_size (self->formula_label, TEXT_PX * scale, FALSE);
}

static void
previous_clicked_cb (LsPresenterStrip *self)
{
  if (self->presenter != NULL)
    ls_presenter_previous_step (self->presenter);
}

static void
play_clicked_cb (LsPresenterStrip *self)
{
  if (self->presenter != NULL)
    ls_presenter_set_playing (self->presenter, !ls_presenter_get_playing (self->presenter));
}

static void
next_clicked_cb (LsPresenterStrip *self)
{
  if (self->presenter != NULL)
    ls_presenter_next_step (self->presenter);
}

/* Returns a flat icon button that keeps the keyboard focus where it was,
 * so that the arrow keys go on stepping after a click. */
static GtkWidget *
new_button (const char *icon_name,
            const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_focus_on_click (button, FALSE);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "circular");

  return button;
}

static GtkWidget *
new_button_row (LsPresenterStrip *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *previous = new_button ("go-previous-symbolic", _("Previous step (Left)"));
  GtkWidget *next = new_button ("go-next-symbolic", _("Next step (Right)"));
  GtkWidget *second_screen = new_button ("video-display-symbolic",
                                         _("Show the diagram in a window of its own, on a second screen if there is one"));

  self->play_button = GTK_BUTTON (new_button ("media-playback-start-symbolic", NULL));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (second_screen), "win.presenter-window");
  g_signal_connect_swapped (previous, "clicked", G_CALLBACK (previous_clicked_cb), self);
  g_signal_connect_swapped (self->play_button, "clicked", G_CALLBACK (play_clicked_cb), self);
  g_signal_connect_swapped (next, "clicked", G_CALLBACK (next_clicked_cb), self);

  gtk_box_append (GTK_BOX (row), previous);
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->play_button));
  gtk_box_append (GTK_BOX (row), next);
  gtk_box_append (GTK_BOX (row), second_screen);

  return row;
}

static void
ls_presenter_strip_dispose (GObject *object)
{
  LsPresenterStrip *self = LS_PRESENTER_STRIP (object);

  if (self->presenter != NULL)
    g_signal_handlers_disconnect_by_data (self->presenter, self);
  g_clear_object (&self->presenter);

  G_OBJECT_CLASS (ls_presenter_strip_parent_class)->dispose (object);
}

static void
ls_presenter_strip_class_init (LsPresenterStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ls_presenter_strip_dispose;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "presenterstrip");
}

static void
ls_presenter_strip_init (LsPresenterStrip *self)
{
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_HORIZONTAL);
  gtk_box_set_spacing (GTK_BOX (self), 24);
  gtk_widget_add_css_class (GTK_WIDGET (self), "presenter-strip");

  self->step_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->step_label, 0.0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->step_label), TRUE);
  self->formula_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->formula_label, 0.0);
  gtk_label_set_wrap (self->formula_label, TRUE);
  gtk_label_set_wrap_mode (self->formula_label, PANGO_WRAP_WORD_CHAR);
  /* An attention or convolution formula can run to many lines, which
   * would take the diagram's height, so the label shows the first ones
   * and its tooltip all of them. */
  gtk_label_set_lines (self->formula_label, MAX_FORMULA_LINES);
  gtk_label_set_ellipsize (self->formula_label, PANGO_ELLIPSIZE_END);
  gtk_label_set_selectable (self->formula_label, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->formula_label), "presenter-formula");

  gtk_box_append (GTK_BOX (header), GTK_WIDGET (self->step_label));
  gtk_box_append (GTK_BOX (header), new_button_row (self));
  gtk_box_append (GTK_BOX (text), header);
  gtk_box_append (GTK_BOX (text), GTK_WIDGET (self->formula_label));
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_set_valign (text, GTK_ALIGN_START);

  gtk_box_append (GTK_BOX (self), text);
  ls_presenter_strip_set_text_scale (self, 1.0);
  update_play_button (self);
}

GtkWidget *
ls_presenter_strip_new (void)
{
  return g_object_new (LS_TYPE_PRESENTER_STRIP, NULL);
}
