/* ls-presenter-ui.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include "ls-presenter-ui.h"
#include "ls-presenter-strip.h"

/* Width of the output bars at text scale 1.0, in pixels: 10 times the
 * presenter style's 32-pixel body text, the least width at which the
 * bars keep that text size and their 0.85-sized labels reach 24 pixels. */
#define BARS_WIDTH 320
/* The bars take at most this share of the window's width, and at least
 * BARS_MIN_WIDTH pixels where that share allows. */
#define BARS_SHARE 0.25
#define BARS_MIN_WIDTH 160
/* Each step of text scale above 1.0 needs this many pixels of window
 * height and width. So the scale is at most 2.0 at 1920×1080 and 1.33 at
 * 1280×720, because larger text takes the room of the diagram's neurons. */
#define SCALE_HEIGHT_PER_STEP 540.0
#define SCALE_WIDTH_PER_STEP 960.0
/* The size of the presenter window, for the views before its first frame. */
#define DEFAULT_WIDTH 1280
#define DEFAULT_HEIGHT 720

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

  /* A view that shows another network for a moment, while a document
   * opens, would read the step's columns out of range. */
  if (ls_diagram_view_get_network (diagram) != ls_presenter_get_network (presenter))
    return;

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
  ls_diagram_view_reveal_selection (diagram);

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

  if (ls_diagram_view_get_network (diagram) != ls_presenter_get_network (presenter))
    return;

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

/* State of the presenter views that follow the window's size. On every
 * frame, before the layout, the text scale is capped so that the diagram
 * keeps its room, and the bars take at most a share of the width. */
typedef struct
{
  LsDiagramView *diagram;  /* unowned: in the same window as the bars */
  LsPresenterStrip *strip;  /* unowned: in the same window as the bars */
  GSettings *settings;  /* nullable */
  double scale;  /* the `presenter-scale` setting */
  double applied_scale;  /* the capped scale that the views show, or 0 */
  int applied_width;  /* the bars' width request, or 0 */
} Fit;

#define FIT_KEY "ls-presenter-fit"

static void
fit_free (gpointer data)
{
  Fit *fit = data;

  if (fit->settings != NULL)
    g_signal_handlers_disconnect_by_data (fit->settings, fit);
  g_clear_object (&fit->settings);
  g_free (fit);
}

double
ls_presenter_ui_cap_scale (double scale,
                           int    width,
                           int    height)
{
  double cap = MIN ((double) height / SCALE_HEIGHT_PER_STEP, (double) width / SCALE_WIDTH_PER_STEP);

  return MAX (MIN (scale, cap), MIN (scale, 1.0));
}

int
ls_presenter_ui_get_bars_width (double scale,
                                int    width)
{
  return (int) CLAMP (BARS_WIDTH * scale, MIN (BARS_MIN_WIDTH, BARS_SHARE * width), BARS_SHARE * width);
}

static void
apply_fit (LsBarsView *bars,
           Fit        *fit,
           int         width,
           int         height)
{
  double scale = ls_presenter_ui_cap_scale (fit->scale, width, height);
  int bars_width = ls_presenter_ui_get_bars_width (scale, width);

  if (scale != fit->applied_scale)
    {
      fit->applied_scale = scale;
      ls_diagram_view_set_font_scale (fit->diagram, scale);
      ls_presenter_strip_set_text_scale (fit->strip, scale);
      ls_bars_view_set_font_scale (bars, scale);
    }

  if (bars_width != fit->applied_width)
    {
      fit->applied_width = bars_width;
      gtk_widget_set_size_request (GTK_WIDGET (bars), bars_width, -1);
    }
}

/* Sizes the views for the window around bars, or for DEFAULT_WIDTH ×
 * DEFAULT_HEIGHT before the window has a size. */
static void
fit_to_window (LsBarsView *bars,
               Fit        *fit)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (bars)));
  int width = root != NULL ? gtk_widget_get_width (root) : 0;
  int height = root != NULL ? gtk_widget_get_height (root) : 0;

  if (width <= 0 || height <= 0)
    {
      width = DEFAULT_WIDTH;
      height = DEFAULT_HEIGHT;
    }

  apply_fit (bars, fit, width, height);
}

static gboolean
fit_tick_cb (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  Fit *fit = g_object_get_data (G_OBJECT (widget), FIT_KEY);

  if (fit == NULL)
    return G_SOURCE_REMOVE;

  fit_to_window (LS_BARS_VIEW (widget), fit);

  return G_SOURCE_CONTINUE;
}

static void
scale_changed_cb (GSettings *settings,
                  const char *key,
                  Fit        *fit)
{
  fit->scale = ls_presenter_ui_get_scale (settings);
  fit->applied_scale = 0.0;
}

void
ls_presenter_ui_fit_views (LsBarsView       *bars,
                           LsDiagramView    *diagram,
                           LsPresenterStrip *strip,
                           GSettings        *settings,
                           gboolean          high_contrast)
{
  Fit *fit;

  g_return_if_fail (LS_IS_BARS_VIEW (bars));
  g_return_if_fail (LS_IS_DIAGRAM_VIEW (diagram));
  g_return_if_fail (LS_IS_PRESENTER_STRIP (strip));
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));

  fit = g_new0 (Fit, 1);
  fit->diagram = diagram;
  fit->strip = strip;
  fit->settings = settings != NULL ? g_object_ref (settings) : NULL;
  fit->scale = ls_presenter_ui_get_scale (settings);
  if (settings != NULL)
    g_signal_connect (settings, "changed::presenter-scale", G_CALLBACK (scale_changed_cb), fit);
  g_object_set_data_full (G_OBJECT (bars), FIT_KEY, fit, fit_free);
  fit_to_window (bars, fit);
  gtk_widget_add_tick_callback (GTK_WIDGET (bars), fit_tick_cb, NULL, NULL);

  ls_bars_view_set_presenter (bars, TRUE);
  ls_bars_view_set_high_contrast (bars, high_contrast);
  gtk_widget_set_valign (GTK_WIDGET (bars), GTK_ALIGN_CENTER);
  gtk_widget_set_vexpand (GTK_WIDGET (bars), TRUE);
  gtk_widget_set_margin_end (GTK_WIDGET (bars), 24);
}

void
ls_presenter_ui_unfit_views (LsBarsView *bars)
{
  g_return_if_fail (LS_IS_BARS_VIEW (bars));

  g_object_set_data (G_OBJECT (bars), FIT_KEY, NULL);
}

double
ls_presenter_ui_get_applied_scale (LsBarsView *bars)
{
  Fit *fit;

  g_return_val_if_fail (LS_IS_BARS_VIEW (bars), 0.0);

  fit = g_object_get_data (G_OBJECT (bars), FIT_KEY);

  return fit != NULL ? fit->applied_scale : 0.0;
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
