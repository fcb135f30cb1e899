/* ls-presenter-ui.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include "ls-presenter-ui.h"

/* Width of the output bars at text scale 1.0, in pixels: 10 times the
 * presenter style's 32-pixel body text, the least width at which the
 * bars keep that text size and their 0.85-sized labels reach 24 pixels. */
#define BARS_WIDTH 320

void
ls_presenter_ui_show_step (LsPresenter   *presenter,
                           LsDiagramView *diagram,
                           LsBarsView    *bars)
{
  LsSelection selection = { LS_SELECTION_NEURON, 0, 0, 0 };
  LsHighlight focus = { LS_HIGHLIGHT_FOCUS, 0, 0 };
  gsize step;
  gboolean last;

  g_return_if_fail (LS_IS_PRESENTER (presenter));
  g_return_if_fail (LS_IS_DIAGRAM_VIEW (diagram));
  g_return_if_fail (bars == NULL || LS_IS_BARS_VIEW (bars));

  step = ls_presenter_get_step (presenter);
  last = ls_presenter_is_last_step (presenter);
  ls_presenter_get_selection (presenter, &selection.column, &selection.unit);

  /* The worked formula reads the active column's inputs, so the focus
   * glow dims nothing. The step's frame marks the column, and the
   * selection draws the selected neuron's edges over the fainter rest. */
  focus.column = selection.column;
  focus.unit = selection.unit;

  ls_diagram_view_set_step_column (diagram, (gssize) step);
  ls_diagram_view_set_highlights (diagram, &focus, 1);
  ls_diagram_view_set_selection (diagram, &selection);

  if (bars != NULL)
    {
      ls_bars_view_set_revealed (bars, last);
      ls_bars_view_set_highlighted (bars, last);
    }
}

void
ls_presenter_ui_clear_step (LsDiagramView *diagram,
                            LsBarsView    *bars)
{
  g_return_if_fail (LS_IS_DIAGRAM_VIEW (diagram));
  g_return_if_fail (bars == NULL || LS_IS_BARS_VIEW (bars));

  ls_diagram_view_set_step_column (diagram, -1);
  ls_diagram_view_set_highlights (diagram, NULL, 0);
  if (bars != NULL)
    {
      ls_bars_view_set_revealed (bars, TRUE);
      ls_bars_view_set_highlighted (bars, FALSE);
    }
}

void
ls_presenter_ui_follow_diagram (LsPresenter   *presenter,
                                LsDiagramView *diagram)
{
  const LsSelection *selection;

  g_return_if_fail (LS_IS_PRESENTER (presenter));
  g_return_if_fail (LS_IS_DIAGRAM_VIEW (diagram));

  selection = ls_diagram_view_get_selection (diagram);
  if (selection->kind == LS_SELECTION_NEURON)
    ls_presenter_select (presenter, selection->column, selection->unit);
}

/* Handles the keys that need no modifier except Shift. */
static gboolean
handle_step_key (LsPresenter *presenter,
                 guint        keyval)
{
  switch (keyval)
    {
    case GDK_KEY_Right:
    case GDK_KEY_Page_Down:
      ls_presenter_next_step (presenter);
      return TRUE;

    case GDK_KEY_Left:
    case GDK_KEY_Page_Up:
      ls_presenter_previous_step (presenter);
      return TRUE;

    case GDK_KEY_Home:
      ls_presenter_first_step (presenter);
      return TRUE;

    case GDK_KEY_End:
      ls_presenter_last_step (presenter);
      return TRUE;

    case GDK_KEY_space:
      ls_presenter_set_playing (presenter, !ls_presenter_get_playing (presenter));
      return TRUE;

    case GDK_KEY_Up:
      ls_presenter_previous_unit (presenter);
      return TRUE;

    case GDK_KEY_Down:
      ls_presenter_next_unit (presenter);
      return TRUE;

    default:
      return FALSE;
    }
}

gboolean
ls_presenter_ui_handle_key (LsPresenter     *presenter,
                            guint            keyval,
                            GdkModifierType  state)
{
  GdkModifierType modifiers = state & gtk_accelerator_get_default_mod_mask ();

  g_return_val_if_fail (LS_IS_PRESENTER (presenter), FALSE);

  /* The usual xkb keymaps turn Shift+Tab into ISO_Left_Tab. */
  if (keyval == GDK_KEY_ISO_Left_Tab || (keyval == GDK_KEY_Tab && modifiers == GDK_SHIFT_MASK))
    {
      ls_presenter_previous_neuron (presenter);
      return TRUE;
    }

  if (keyval == GDK_KEY_Tab && modifiers == 0)
    {
      ls_presenter_next_neuron (presenter);
      return TRUE;
    }

  if (modifiers != 0)
    return FALSE;

  return handle_step_key (presenter, keyval);
}

void
ls_presenter_ui_set_bars_style (LsBarsView *bars,
                                double      scale,
                                gboolean    high_contrast)
{
  g_return_if_fail (LS_IS_BARS_VIEW (bars));

  ls_bars_view_set_presenter (bars, TRUE);
  ls_bars_view_set_high_contrast (bars, high_contrast);
  ls_bars_view_set_font_scale (bars, scale);
  gtk_widget_set_size_request (GTK_WIDGET (bars), (int) (BARS_WIDTH * scale), -1);
  gtk_widget_set_valign (GTK_WIDGET (bars), GTK_ALIGN_CENTER);
  gtk_widget_set_vexpand (GTK_WIDGET (bars), TRUE);
  gtk_widget_set_margin_end (GTK_WIDGET (bars), 24);
}

GtkWidget *
ls_presenter_ui_new_bars_scroller (LsBarsView *bars)
{
  GtkWidget *scroller;

  g_return_val_if_fail (LS_IS_BARS_VIEW (bars), NULL);

  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (bars));
  gtk_widget_set_vexpand (scroller, TRUE);

  return scroller;
}

/* Returns whether settings has a key, since an older installed schema
 * may lack the keys of presenter mode. */
static gboolean
has_key (GSettings  *settings,
         const char *key)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  if (settings == NULL)
    return FALSE;

  g_object_get (settings, "settings-schema", &schema, NULL);

  return g_settings_schema_has_key (schema, key);
}

double
ls_presenter_ui_get_scale (GSettings *settings)
{
  if (!has_key (settings, "presenter-scale"))
    return LS_PRESENTER_DEFAULT_SCALE;

  return g_settings_get_double (settings, "presenter-scale");
}
