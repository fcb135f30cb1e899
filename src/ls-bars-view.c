/* ls-bars-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <math.h>

#include "ls-bars-view.h"
#include "ls-render.h"

struct _LsBarsView
{
  GtkWidget parent_instance;

  LsNetwork *network;  /* nullable */
  double font_scale;
  gboolean presenter;
  gboolean high_contrast;
  gboolean revealed;
  gboolean highlighted;
  LsHighlight output_highlight;  /* the output column, while highlighted */
};

G_DEFINE_FINAL_TYPE (LsBarsView, ls_bars_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_NETWORK,
  PROP_FONT_SCALE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The bars grow to show this many outputs. Beyond that, they show the
 * largest ones. */
#define MAX_ROWS 20

/* The minimum width, whatever the font scale. */
#define MIN_WIDTH 160

static void
get_style (LsBarsView    *self,
           LsRenderStyle *style)
{
  gsize output_column = self->network != NULL ? ls_network_get_n_layers (self->network) : 0;

  *style = (LsRenderStyle) LS_RENDER_STYLE_INIT;
  style->dark = adw_is_initialized () && adw_style_manager_get_dark (adw_style_manager_get_default ());
  style->font_scale = self->font_scale;
  style->font_px = LS_RENDER_WINDOW_FONT_PX;
  style->presenter = self->presenter;
  style->high_contrast = self->high_contrast;

  /* The bars show the output column: a step before it has not computed
   * them, and a highlight of it glows. */
  if (!self->revealed && output_column > 0)
    style->step_column = (gssize) output_column - 1;
  if (self->highlighted)
    {
      self->output_highlight = (LsHighlight) { LS_HIGHLIGHT_COLUMN, output_column, 0 };
      style->highlights = &self->output_highlight;
      style->n_highlights = 1;
    }
}

/* Presenter mode shrinks the bars to fit its height, so that no output
 * is cut off, down to body text of this size: the labels' 24 pixels. */
#define PRESENTER_MIN_FONT_PX 24.0

static double
get_style_height (LsBarsView          *self,
                  double               width,
                  const LsRenderStyle *style)
{
  return ls_render_bars_get_height (self->network, width, MAX_ROWS, style);
}

/* Turns style into the smallest that presenter mode allows. The
 * presenter style's floor is above PRESENTER_MIN_FONT_PX, so this style
 * drops it and keeps the thick lines through high_contrast. */
static void
set_smallest_style (LsRenderStyle *style)
{
  style->presenter = FALSE;
  style->high_contrast = TRUE;
  style->font_scale = PRESENTER_MIN_FONT_PX / style->font_px;
}

/* In presenter mode, shrinks style's text until every bar fits height,
 * but not below PRESENTER_MIN_FONT_PX: the scrolled window around the
 * bars then scrolls. */
static void
fit_style (LsBarsView    *self,
           LsRenderStyle *style,
           double         width,
           double         height)
{
  double low, high;

  if (!self->presenter || get_style_height (self, width, style) <= height)
    return;

  high = style->font_scale;
  set_smallest_style (style);
  low = style->font_scale;
  if (high <= low || get_style_height (self, width, style) > height)
    return;

  /* The height grows with the scale, so a bisection finds the largest
   * scale that fits to within half a percent. */
  while (high - low > 0.005)
    {
      style->font_scale = (low + high) / 2.0;
      if (get_style_height (self, width, style) <= height)
        low = style->font_scale;
      else
        high = style->font_scale;
    }
  style->font_scale = low;
}

static void
ls_bars_view_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  LsBarsView *self = LS_BARS_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  LsRenderStyle style;
  cairo_t *cr;

  if (self->network == NULL || width <= 0 || height <= 0)
    return;

  get_style (self, &style);
  fit_style (self, &style, width, height);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  ls_render_bars (cr, self->network, width, height, &style);
  cairo_destroy (cr);
}

static GtkSizeRequestMode
ls_bars_view_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

/* Asks for a fixed minimum width, because the bars shrink their text to
 * fit a narrow area, and so a larger font scale never makes the window
 * grow. The natural width fits a label and "100.0 %" at the body size. The
 * height is that of every bar at the given width, up to MAX_ROWS. */
static void
ls_bars_view_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  LsBarsView *self = LS_BARS_VIEW (widget);
  double font_px = LS_RENDER_WINDOW_FONT_PX * self->font_scale;
  LsRenderStyle style;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MIN_WIDTH;
      *natural = MAX ((int) ceil (18.0 * font_px), MIN_WIDTH);
      return;
    }

  *minimum = *natural = 0;
  if (self->network == NULL)
    return;

  get_style (self, &style);
  *natural = (int) ceil (get_style_height (self, for_size > 0 ? for_size : 18.0 * font_px, &style));
  *minimum = *natural;
  /* Presenter mode draws the bars smaller where its height is short. */
  if (self->presenter)
    {
      set_smallest_style (&style);
      *minimum = MIN (*natural, (int) ceil (get_style_height (self, for_size > 0 ? for_size : 18.0 * font_px,
                                                              &style)));
    }
}

static void
network_changed_cb (LsNetwork  *network,
                    guint       change,
                    LsBarsView *self)
{
  /* The row count and the caption follow the output layer's structure. */
  if (change & (LS_CHANGE_STRUCTURE | LS_CHANGE_METADATA))
    gtk_widget_queue_resize (GTK_WIDGET (self));

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
style_changed_cb (LsBarsView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ls_bars_view_dispose (GObject *object)
{
  LsBarsView *self = LS_BARS_VIEW (object);

  g_clear_object (&self->network);

  G_OBJECT_CLASS (ls_bars_view_parent_class)->dispose (object);
}

static void
ls_bars_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  LsBarsView *self = LS_BARS_VIEW (object);

  switch (prop_id)
    {
    case PROP_NETWORK:
      g_value_set_object (value, self->network);
      break;

    case PROP_FONT_SCALE:
      g_value_set_double (value, self->font_scale);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ls_bars_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  LsBarsView *self = LS_BARS_VIEW (object);

  switch (prop_id)
    {
    case PROP_NETWORK:
      ls_bars_view_set_network (self, g_value_get_object (value));
      break;

    case PROP_FONT_SCALE:
      ls_bars_view_set_font_scale (self, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ls_bars_view_class_init (LsBarsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_bars_view_dispose;
  object_class->get_property = ls_bars_view_get_property;
  object_class->set_property = ls_bars_view_set_property;

  widget_class->snapshot = ls_bars_view_snapshot;
  widget_class->get_request_mode = ls_bars_view_get_request_mode;
  widget_class->measure = ls_bars_view_measure;

  properties[PROP_NETWORK] =
    g_param_spec_object ("network", NULL, NULL, LS_TYPE_NETWORK,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FONT_SCALE] =
    g_param_spec_double ("font-scale", NULL, NULL, 0.5, 4.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "bars-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ls_bars_view_init (LsBarsView *self)
{
  self->font_scale = 1.0;
  self->revealed = TRUE;

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Output probabilities"),
                                  -1);
  if (adw_is_initialized ())
    g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                             G_CALLBACK (style_changed_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
ls_bars_view_new (void)
{
  return g_object_new (LS_TYPE_BARS_VIEW, NULL);
}

LsNetwork *
ls_bars_view_get_network (LsBarsView *self)
{
  g_return_val_if_fail (LS_IS_BARS_VIEW (self), NULL);

  return self->network;
}

/* Shows the network's output and redraws on its LsNetwork::changed. NULL
 * shows nothing. */
void
ls_bars_view_set_network (LsBarsView *self,
                          LsNetwork  *network)
{
  g_return_if_fail (LS_IS_BARS_VIEW (self));
  g_return_if_fail (network == NULL || LS_IS_NETWORK (network));

  if (self->network == network)
    return;

  if (self->network != NULL)
    g_signal_handlers_disconnect_by_func (self->network, network_changed_cb, self);
  g_set_object (&self->network, network);
  if (network != NULL)
    g_signal_connect_object (network, "changed", G_CALLBACK (network_changed_cb), self, 0);

  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK]);
}

void
ls_bars_view_set_font_scale (LsBarsView *self,
                             double      font_scale)
{
  g_return_if_fail (LS_IS_BARS_VIEW (self));
  g_return_if_fail (font_scale >= 0.5 && font_scale <= 4.0);

  if (self->font_scale == font_scale)
    return;

  self->font_scale = font_scale;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FONT_SCALE]);
}

/* Presenter style changes the text size and so the natural height. */
void
ls_bars_view_set_presenter (LsBarsView *self,
                            gboolean    presenter)
{
  g_return_if_fail (LS_IS_BARS_VIEW (self));

  presenter = !!presenter;
  if (self->presenter == presenter)
    return;

  self->presenter = presenter;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
ls_bars_view_set_high_contrast (LsBarsView *self,
                                gboolean    high_contrast)
{
  g_return_if_fail (LS_IS_BARS_VIEW (self));

  high_contrast = !!high_contrast;
  if (self->high_contrast == high_contrast)
    return;

  self->high_contrast = high_contrast;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ls_bars_view_set_revealed (LsBarsView *self,
                           gboolean    revealed)
{
  g_return_if_fail (LS_IS_BARS_VIEW (self));

  revealed = !!revealed;
  if (self->revealed == revealed)
    return;

  self->revealed = revealed;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ls_bars_view_set_highlighted (LsBarsView *self,
                              gboolean    highlighted)
{
  g_return_if_fail (LS_IS_BARS_VIEW (self));

  highlighted = !!highlighted;
  if (self->highlighted == highlighted)
    return;

  self->highlighted = highlighted;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
