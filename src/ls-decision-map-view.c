/* ls-decision-map-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "layerscope"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <math.h>

#include "ls-decision-map-view.h"
#include "ls-render.h"
#include "ls-render-private.h"

struct _LsDecisionMapView
{
  GtkWidget parent_instance;

  LsNetwork *network;     /* nullable */
  LsPlaneMap *plane_map;  /* nullable, not owned */
  LsSamples *train;       /* nullable */
  LsSamples *test;        /* nullable */
  gboolean compact;
  double font_scale;
};

/* The minimum width: a compact view for small multiples, or the full view
 * with its axes and legend, which shrink their text to fit. */
#define MIN_COMPACT_WIDTH 120
#define MIN_WIDTH 200

G_DEFINE_FINAL_TYPE (LsDecisionMapView, ls_decision_map_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_NETWORK,
  PROP_COMPACT,
  PROP_FONT_SCALE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
get_style (LsDecisionMapView *self,
           LsRenderStyle     *style)
{
  *style = (LsRenderStyle) LS_RENDER_STYLE_INIT;
  style->dark = adw_is_initialized () && adw_style_manager_get_dark (adw_style_manager_get_default ());
  style->font_scale = self->font_scale;
  style->font_px = LS_RENDER_WINDOW_FONT_PX;
}

static void
ls_decision_map_view_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  LsDecisionMapView *self = LS_DECISION_MAP_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  LsRenderStyle style;
  cairo_t *cr;

  if (self->network == NULL || width <= 0 || height <= 0)
    return;

  get_style (self, &style);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  ls_render_decision_map (cr, self->network, self->plane_map, self->train, self->test,
                          width, height, self->compact, &style);
  cairo_destroy (cr);
}

static GtkSizeRequestMode
ls_decision_map_view_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

/* Returns the height at which the plot is square at this width. The
 * margins are those of ls_render_decision_map(): 5.8 text sizes beside
 * the plot and 6 above and below it, with the text at most a 16th of
 * the width. */
static int
get_height_for_width (LsDecisionMapView *self,
                      int                width,
                      double             font_px)
{
  if (self->compact)
    return width;

  if (font_px > width / 16.0)
    font_px = MAX (width / 16.0, MIN (font_px, LS_RENDER_MIN_FONT_PX));

  return (int) ceil (width - 5.8 * font_px + 6.0 * font_px);
}

static int
get_natural_width (LsDecisionMapView *self,
                   double             font_px)
{
  if (self->compact)
    return MAX (200, MIN_COMPACT_WIDTH);

  return MAX ((int) ceil (24.0 * font_px), MIN_WIDTH);
}

/* Asks for the height that makes the plot square at the given width, up
 * to the natural width. GTK expects no width to need a larger minimum
 * height than the one measured without a width, so that one is the
 * height at the natural width, and a wider allocation centres the
 * square plot. A lower allocation shrinks the plot, which stays square. */
static void
ls_decision_map_view_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  LsDecisionMapView *self = LS_DECISION_MAP_VIEW (widget);
  double font_px = LS_RENDER_WINDOW_FONT_PX * self->font_scale;
  int min_width = self->compact ? MIN_COMPACT_WIDTH : MIN_WIDTH;
  int natural_width = get_natural_width (self, font_px);
  int width;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = min_width;
      *natural = natural_width;
      return;
    }

  width = for_size > 0 ? CLAMP (for_size, min_width, natural_width) : natural_width;
  *minimum = *natural = get_height_for_width (self, width, font_px);
}

static void
click_pressed_cb (GtkGestureClick   *gesture,
                  int                n_press,
                  double             x,
                  double             y,
                  LsDecisionMapView *self)
{
  g_autoptr(GError) error = NULL;
  LsRenderStyle style;
  float point[2];  /* [input 0, input 1] */

  if (self->network == NULL || ls_network_get_input_size (self->network) != 2)
    return;

  get_style (self, &style);
  if (!ls_render_decision_map_hit (self->plane_map, gtk_widget_get_width (GTK_WIDGET (self)),
                                   gtk_widget_get_height (GTK_WIDGET (self)), self->compact,
                                   &style, x, y, &point[0], &point[1]))
    return;

  if (!ls_network_set_input (self->network, point, 2, &error))
    g_warning ("Could not set the input to the clicked point: %s", error->message);
}

static void
network_changed_cb (LsNetwork         *network,
                    guint              change,
                    LsDecisionMapView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
style_changed_cb (LsDecisionMapView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ls_decision_map_view_dispose (GObject *object)
{
  LsDecisionMapView *self = LS_DECISION_MAP_VIEW (object);

  g_clear_object (&self->network);
  g_clear_pointer (&self->train, ls_samples_unref);
  g_clear_pointer (&self->test, ls_samples_unref);
  self->plane_map = NULL;

  G_OBJECT_CLASS (ls_decision_map_view_parent_class)->dispose (object);
}

static void
ls_decision_map_view_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  LsDecisionMapView *self = LS_DECISION_MAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_NETWORK:
      g_value_set_object (value, self->network);
      break;

    case PROP_COMPACT:
      g_value_set_boolean (value, self->compact);
      break;

    case PROP_FONT_SCALE:
      g_value_set_double (value, self->font_scale);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ls_decision_map_view_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  LsDecisionMapView *self = LS_DECISION_MAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_NETWORK:
      ls_decision_map_view_set_network (self, g_value_get_object (value));
      break;

    case PROP_COMPACT:
      ls_decision_map_view_set_compact (self, g_value_get_boolean (value));
      break;

    case PROP_FONT_SCALE:
      ls_decision_map_view_set_font_scale (self, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ls_decision_map_view_class_init (LsDecisionMapViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_decision_map_view_dispose;
  object_class->get_property = ls_decision_map_view_get_property;
  object_class->set_property = ls_decision_map_view_set_property;

  widget_class->snapshot = ls_decision_map_view_snapshot;
  widget_class->get_request_mode = ls_decision_map_view_get_request_mode;
  widget_class->measure = ls_decision_map_view_measure;

  properties[PROP_NETWORK] =
    g_param_spec_object ("network", NULL, NULL, LS_TYPE_NETWORK,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPACT] =
    g_param_spec_boolean ("compact", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FONT_SCALE] =
    g_param_spec_double ("font-scale", NULL, NULL, 0.5, 4.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "decision-map-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ls_decision_map_view_init (LsDecisionMapView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->font_scale = 1.0;

  g_signal_connect (click, "pressed", G_CALLBACK (click_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "crosshair");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self),
                               _("The network’s output over the plane of its two inputs. "
                                 "Click a point to make it the input."));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Decision map"),
                                  -1);
  if (adw_is_initialized ())
    g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                             G_CALLBACK (style_changed_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
ls_decision_map_view_new (void)
{
  return g_object_new (LS_TYPE_DECISION_MAP_VIEW, NULL);
}

LsNetwork *
ls_decision_map_view_get_network (LsDecisionMapView *self)
{
  g_return_val_if_fail (LS_IS_DECISION_MAP_VIEW (self), NULL);

  return self->network;
}

void
ls_decision_map_view_set_network (LsDecisionMapView *self,
                                  LsNetwork         *network)
{
  g_return_if_fail (LS_IS_DECISION_MAP_VIEW (self));
  g_return_if_fail (network == NULL || LS_IS_NETWORK (network));

  if (self->network == network)
    return;

  if (self->network != NULL)
    g_signal_handlers_disconnect_by_func (self->network, network_changed_cb, self);
  g_set_object (&self->network, network);
  if (network != NULL)
    g_signal_connect_object (network, "changed", G_CALLBACK (network_changed_cb), self, 0);

  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK]);
}

void
ls_decision_map_view_set_plane_map (LsDecisionMapView *self,
                                    LsPlaneMap        *map)
{
  g_return_if_fail (LS_IS_DECISION_MAP_VIEW (self));

  self->plane_map = map;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ls_decision_map_view_set_samples (LsDecisionMapView *self,
                                  LsSamples         *train,
                                  LsSamples         *test)
{
  g_return_if_fail (LS_IS_DECISION_MAP_VIEW (self));

  if (train != NULL)
    ls_samples_ref (train);
  if (test != NULL)
    ls_samples_ref (test);
  g_clear_pointer (&self->train, ls_samples_unref);
  g_clear_pointer (&self->test, ls_samples_unref);
  self->train = train;
  self->test = test;

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
ls_decision_map_view_get_compact (LsDecisionMapView *self)
{
  g_return_val_if_fail (LS_IS_DECISION_MAP_VIEW (self), FALSE);

  return self->compact;
}

void
ls_decision_map_view_set_compact (LsDecisionMapView *self,
                                  gboolean           compact)
{
  g_return_if_fail (LS_IS_DECISION_MAP_VIEW (self));

  compact = !!compact;
  if (self->compact == compact)
    return;

  self->compact = compact;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPACT]);
}

void
ls_decision_map_view_set_font_scale (LsDecisionMapView *self,
                                     double             font_scale)
{
  g_return_if_fail (LS_IS_DECISION_MAP_VIEW (self));
  g_return_if_fail (font_scale > 0.0);

  if (self->font_scale == font_scale)
    return;

  self->font_scale = font_scale;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FONT_SCALE]);
}
