/* ls-curves-view.c: the loss and accuracy curves of a training run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Layerscope"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "ls-curves-view.h"
#include "ls-error.h"
#include "ls-render.h"

/* Each chart is this many text heights tall, axes included. */
#define CHART_HEIGHT_EM 10.0
/* The minimum width of a chart in font sizes. A narrower view draws with
 * a smaller font, down to the unscaled one, so that the legend and the
 * axis labels of larger text still fit a side pane. */
#define CHART_WIDTH_EM 13.0
/* Pixels, whatever the font scale. */
#define MIN_WIDTH 160
#define LINE_WIDTH 2.5
#define POINT_RADIUS 4.0
/* A loss range wider than this ratio gets a logarithmic axis. */
#define LOG_SCALE_RATIO 20.0

typedef enum
{
  CURVE_TRAIN_LOSS,
  CURVE_TEST_LOSS,
  CURVE_TRAIN_ACCURACY,
  CURVE_TEST_ACCURACY,
} Curve;

/* Where a chart draws, and the range of its axes. */
typedef struct
{
  double x, y, width, height;  /* the plot area, without the labels */
  double epochs;               /* the x axis runs from 0 to this */
  double last_epoch;           /* the newest point's epoch, which the axis labels */
  double low, high;            /* the y axis range */
  gboolean log_scale;
} Axes;

struct _LsCurvesView
{
  GtkWidget parent_instance;

  LsTrainingController *controller;  /* nullable */
  double font_scale;
  double font_px;  /* the font size of the last drawing, fitted to the width */
  gboolean empty;  /* the history had no points at the last update */
};

G_DEFINE_FINAL_TYPE (LsCurvesView, ls_curves_view, GTK_TYPE_WIDGET)

static const GdkRGBA train_color = { 0.21, 0.52, 0.89, 1.0 };  /* blue */
static const GdkRGBA test_color = { 0.90, 0.38, 0.0, 1.0 };    /* orange */
static const GdkRGBA diverged_color = { 0.88, 0.11, 0.14, 1.0 };

/* Returns the font size that the text scale requests. */
static double
get_scaled_font_px (LsCurvesView *self)
{
  return LS_RENDER_WINDOW_FONT_PX * self->font_scale;
}

/* Returns the font size to draw with: the scaled one, made smaller when
 * width is less than CHART_WIDTH_EM of it, but never smaller than the
 * unscaled one. */
static double
fit_font_px (LsCurvesView *self,
             double        width)
{
  double fitted = MAX (width / CHART_WIDTH_EM, LS_RENDER_WINDOW_FONT_PX);

  return MIN (get_scaled_font_px (self), fitted);
}

static double
get_font_px (LsCurvesView *self)
{
  return self->font_px;
}

static gsize
get_n_points (LsCurvesView *self)
{
  gsize n_points = 0;

  if (self->controller != NULL)
    ls_training_controller_get_history (self->controller, &n_points);

  return n_points;
}

static double
get_value (const LsTrainingPoint *point,
           Curve                  curve)
{
  switch (curve)
    {
    case CURVE_TRAIN_LOSS:
      return point->train_loss;
    case CURVE_TEST_LOSS:
      return point->test_loss;
    case CURVE_TRAIN_ACCURACY:
      return point->train_accuracy;
    case CURVE_TEST_ACCURACY:
      return point->test_accuracy;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
has_curve (const LsTrainingPoint *points,
           gsize                  n_points,
           Curve                  curve)
{
  for (gsize i = 0; i < n_points; i++)
    if (isfinite (get_value (&points[i], curve)))
      return TRUE;

  return FALSE;
}

/* Draws text with its top at y, and its left edge (align 0), centre
 * (0.5) or right edge (1) at x. Returns the text width. */
static double
draw_text (LsCurvesView *self,
           cairo_t      *cr,
           const char   *text,
           double        x,
           double        y,
           double        align)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans");
  int width, height;

  pango_font_description_set_absolute_size (font, get_font_px (self) * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (cr, x - align * width, y);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (font);
  g_object_unref (layout);

  return width;
}

static double
map_x (const Axes *axes,
       double      epoch)
{
  return axes->x + axes->width * epoch / axes->epochs;
}

static double
map_y (const Axes *axes,
       double      value)
{
  double t;

  if (axes->log_scale)
    t = (log10 (MAX (value, axes->low)) - log10 (axes->low)) / (log10 (axes->high) - log10 (axes->low));
  else
    t = (value - axes->low) / (axes->high - axes->low);

  return axes->y + axes->height * (1.0 - CLAMP (t, 0.0, 1.0));
}

/* Fits the loss axis to the finite losses: from 0 when the range is
 * narrow, otherwise logarithmic between whole decades. */
static void
fit_loss_axis (Axes                  *axes,
               const LsTrainingPoint *points,
               gsize                  n_points)
{
  double low = INFINITY, high = 0.0;

  for (gsize i = 0; i < n_points; i++)
    for (Curve curve = CURVE_TRAIN_LOSS; curve <= CURVE_TEST_LOSS; curve++)
      {
        double value = get_value (&points[i], curve);

        if (isfinite (value))
          {
            low = MIN (low, value);
            high = MAX (high, value);
          }
      }

  axes->log_scale = low > 0.0 && isfinite (low) && high / low > LOG_SCALE_RATIO;
  if (axes->log_scale)
    {
      axes->low = pow (10.0, floor (log10 (low)));
      axes->high = pow (10.0, ceil (log10 (high)));
    }
  else
    {
      axes->low = 0.0;
      axes->high = high > 0.0 ? high * 1.1 : 1.0;
    }
}

static void
draw_y_label (LsCurvesView *self,
              cairo_t      *cr,
              const Axes   *axes,
              double        value,
              gboolean      percent)
{
  char text[32];
  double y = map_y (axes, value);

  if (percent)
    g_snprintf (text, sizeof text, "%.0f %%", value * 100.0);
  else if (axes->log_scale)
    g_snprintf (text, sizeof text, "%g", value);
  else
    g_snprintf (text, sizeof text, "%.3g", value);
  draw_text (self, cr, text, axes->x - 0.4 * get_font_px (self), y - 0.6 * get_font_px (self), 1.0);

  cairo_save (cr);
  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, axes->x, round (y) + 0.5);
  cairo_line_to (cr, axes->x + axes->width, round (y) + 0.5);
  cairo_set_source_rgba (cr, 0.5, 0.5, 0.5, 0.35);
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* Draws the y labels with grid lines, and labels the x axis with 0 and
 * with the newest point's epoch below that point. The axis runs a little
 * further, but no epoch reached that end yet, so it gets no label. */
static void
draw_axes (LsCurvesView *self,
           cairo_t      *cr,
           const Axes   *axes,
           gboolean      percent)
{
  double font_px = get_font_px (self);
  double below = axes->y + axes->height + 0.2 * font_px;
  char text[32];

  if (axes->log_scale)
    for (double value = axes->low; value <= axes->high * 1.001; value *= 10.0)
      draw_y_label (self, cr, axes, value, FALSE);
  else
    for (int i = 0; i <= 2; i++)
      draw_y_label (self, cr, axes, axes->low + (axes->high - axes->low) * i / 2.0, percent);

  draw_text (self, cr, "0", axes->x, below, 0.0);
  /* Whole epochs from 10 on, so that a long run reads 14200, not 1.42e+04. */
  if (axes->last_epoch >= 10.0)
    g_snprintf (text, sizeof text, "%.0f", floor (axes->last_epoch));
  else
    g_snprintf (text, sizeof text, "%.2g", axes->last_epoch);
  if (axes->last_epoch > 0.0)
    draw_text (self, cr, text, map_x (axes, axes->last_epoch), below, 1.0);
  draw_text (self, cr, _("epochs"), axes->x + axes->width / 2.0, below, 0.5);
}

static void
draw_dot (cairo_t               *cr,
          const Axes            *axes,
          const LsTrainingPoint *point,
          Curve                  curve)
{
  double value = get_value (point, curve);

  if (!isfinite (value))
    return;

  cairo_arc (cr, map_x (axes, point->epoch), map_y (axes, value), POINT_RADIUS, 0, 2 * G_PI);
  cairo_fill (cr);
}

static void
draw_curve (cairo_t               *cr,
            const Axes            *axes,
            const LsTrainingPoint *points,
            gsize                  n_points,
            Curve                  curve,
            const GdkRGBA         *color,
            gboolean               dashed)
{
  static const double dash[] = { 7.0, 5.0 };
  gboolean drawing = FALSE;

  cairo_save (cr);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, LINE_WIDTH);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  if (dashed)
    cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0.0);

  for (gsize i = 0; i < n_points; i++)
    {
      double value = get_value (&points[i], curve);
      double x = map_x (axes, points[i].epoch);

      if (!isfinite (value))
        {
          drawing = FALSE;
          continue;
        }
      if (drawing)
        cairo_line_to (cr, x, map_y (axes, value));
      else
        cairo_move_to (cr, x, map_y (axes, value));
      drawing = TRUE;
    }
  cairo_stroke (cr);

  /* The newest point as a dot, so that a run of one point shows. */
  draw_dot (cr, axes, &points[n_points - 1], curve);
  cairo_restore (cr);
}

/* Returns the width of text in the chart's font, in pixels. */
static double
measure_text (LsCurvesView *self,
              cairo_t      *cr,
              const char   *text)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans");
  int width, height;

  pango_font_description_set_absolute_size (font, get_font_px (self) * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, &height);
  pango_font_description_free (font);
  g_object_unref (layout);

  return width;
}

/* Draws a short line in the curve's colour and the curve's name, with
 * gaps of gap font sizes. Returns the x after them. */
static double
draw_legend_entry (LsCurvesView  *self,
                   cairo_t       *cr,
                   double         x,
                   double         y,
                   const char    *name,
                   const GdkRGBA *color,
                   gboolean       dashed,
                   double         gap)
{
  static const double dash[] = { 7.0, 5.0 };
  double font_px = get_font_px (self);

  cairo_save (cr);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, LINE_WIDTH);
  if (dashed)
    cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0.0);
  cairo_move_to (cr, x, y + 0.65 * font_px);
  cairo_line_to (cr, x + 1.6 * gap * font_px, y + 0.65 * font_px);
  cairo_stroke (cr);
  cairo_restore (cr);

  x += 2.0 * gap * font_px;
  x += draw_text (self, cr, name, x, y, 0.0);

  return x + gap * font_px;
}

/* Draws the chart's title and legend above the plot area. In a narrow
 * view the gaps shrink, so that the legend is not cut off at the end. */
static void
draw_header (LsCurvesView *self,
             cairo_t      *cr,
             const Axes   *axes,
             const char   *title,
             gboolean      has_test)
{
  double font_px = get_font_px (self);
  double y = axes->y - 1.6 * font_px;
  double text_width = measure_text (self, cr, title) + measure_text (self, cr, _("train"))
                      + (has_test ? measure_text (self, cr, _("test")) : 0.0);
  double gap_width = (1.2 + 3.0 + (has_test ? 2.0 : 0.0)) * font_px;
  double available = axes->x + axes->width;
  double gap = CLAMP ((available - text_width) / gap_width, 0.4, 1.0);
  double x;

  x = 0.0 + draw_text (self, cr, title, 0.0, y, 0.0) + 1.2 * gap * font_px;
  x = draw_legend_entry (self, cr, x, y, _("train"), &train_color, FALSE, gap);
  if (has_test)
    draw_legend_entry (self, cr, x, y, _("test"), &test_color, TRUE, gap);
}

static void
draw_divergence (LsCurvesView          *self,
                 cairo_t               *cr,
                 const Axes            *axes,
                 const LsTrainingPoint *last)
{
  double font_px = get_font_px (self);
  double x = map_x (axes, last->epoch);
  double y = axes->y + 0.5 * font_px;
  double r = 0.45 * font_px;

  cairo_save (cr);
  gdk_cairo_set_source_rgba (cr, &diverged_color);
  cairo_set_line_width (cr, 3.0);
  cairo_move_to (cr, x - r, y - r);
  cairo_line_to (cr, x + r, y + r);
  cairo_move_to (cr, x - r, y + r);
  cairo_line_to (cr, x + r, y - r);
  cairo_stroke (cr);
  draw_text (self, cr, _("diverged"), x - r - 0.3 * font_px, y - 0.6 * font_px, 1.0);
  cairo_restore (cr);
}

/* Lays out one chart in the band from top, height tall. */
static void
init_axes (LsCurvesView          *self,
           Axes                  *axes,
           double                 top,
           double                 width,
           double                 height,
           const LsTrainingPoint *points,
           gsize                  n_points)
{
  double font_px = get_font_px (self);
  double last_epoch = points[n_points - 1].epoch;

  axes->x = 4.2 * font_px;
  axes->y = top + 2.0 * font_px;
  axes->width = MAX (width - axes->x - 0.8 * font_px, 1.0);
  axes->height = MAX (height - 3.6 * font_px, 1.0);
  /* Leave room after the newest point, so that the curve does not end at
   * the border while the run goes on. */
  axes->epochs = last_epoch > 0.0 ? last_epoch * 1.05 : 1.0;
  axes->last_epoch = last_epoch;
}

static void
draw_chart (LsCurvesView          *self,
            cairo_t               *cr,
            const Axes            *axes,
            const char            *title,
            const LsTrainingPoint *points,
            gsize                  n_points,
            Curve                  train,
            Curve                  test)
{
  gboolean has_test = has_curve (points, n_points, test);

  draw_header (self, cr, axes, title, has_test);
  draw_axes (self, cr, axes, train == CURVE_TRAIN_ACCURACY);
  if (has_test)
    draw_curve (cr, axes, points, n_points, test, &test_color, TRUE);
  draw_curve (cr, axes, points, n_points, train, &train_color, FALSE);
}

static gboolean
has_diverged (LsCurvesView *self)
{
  const GError *error = ls_training_controller_get_error (self->controller);

  return error != NULL && g_error_matches (error, LS_ERROR, LS_ERROR_DIVERGED);
}

static void
draw_curves (LsCurvesView *self,
             cairo_t      *cr,
             double        width,
             double        height)
{
  const LsTrainingPoint *points = NULL;
  gsize n_points = 0;
  gboolean accuracy;
  double band;
  Axes axes;

  if (self->controller != NULL)
    points = ls_training_controller_get_history (self->controller, &n_points);
  if (n_points == 0)
    {
      draw_text (self, cr, _("No training yet"), 0.0, 0.3 * get_font_px (self), 0.0);
      return;
    }

  /* A regression set has no accuracy, so the loss takes the whole height. */
  accuracy = has_curve (points, n_points, CURVE_TRAIN_ACCURACY);
  band = accuracy ? height / 2.0 : height;

  init_axes (self, &axes, 0.0, width, band, points, n_points);
  fit_loss_axis (&axes, points, n_points);
  draw_chart (self, cr, &axes, _("Loss"), points, n_points, CURVE_TRAIN_LOSS, CURVE_TEST_LOSS);
  if (has_diverged (self))
    draw_divergence (self, cr, &axes, &points[n_points - 1]);

  if (accuracy)
    {
      init_axes (self, &axes, band, width, band, points, n_points);
      axes.low = 0.0;
      axes.high = 1.0;
      axes.log_scale = FALSE;
      draw_chart (self, cr, &axes, _("Accuracy"), points, n_points,
                  CURVE_TRAIN_ACCURACY, CURVE_TEST_ACCURACY);
    }
}

static void
ls_curves_view_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  LsCurvesView *self = LS_CURVES_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  GdkRGBA foreground;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  gtk_style_context_get_color (context, &foreground);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_cairo_set_source_rgba (cr, &foreground);
  self->font_px = fit_font_px (self, width);
  draw_curves (self, cr, width, height);
  cairo_destroy (cr);
}

static void
ls_curves_view_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  LsCurvesView *self = LS_CURVES_VIEW (widget);
  double font_px = get_scaled_font_px (self);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* A fixed minimum, as the output bars have, so that a larger font
       * scale never widens the side pane. */
      *minimum = MIN_WIDTH;
      *natural = MAX ((int) ceil (18.0 * font_px), MIN_WIDTH);
      return;
    }

  /* Without points the view shows one line, so that it does not push
   * the output bars down for a network that is not being trained. */
  if (get_n_points (self) == 0)
    *minimum = *natural = (int) ceil (2.0 * font_px);
  else
    *minimum = *natural = (int) ceil (2.0 * CHART_HEIGHT_EM * font_px);
}

static void
updated_cb (LsCurvesView *self)
{
  gboolean empty = get_n_points (self) == 0;

  if (empty != self->empty)
    {
      self->empty = empty;
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ls_curves_view_dispose (GObject *object)
{
  LsCurvesView *self = LS_CURVES_VIEW (object);

  g_clear_object (&self->controller);

  G_OBJECT_CLASS (ls_curves_view_parent_class)->dispose (object);
}

static void
ls_curves_view_class_init (LsCurvesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ls_curves_view_dispose;
  widget_class->snapshot = ls_curves_view_snapshot;
  widget_class->measure = ls_curves_view_measure;

  gtk_widget_class_set_css_name (widget_class, "curves");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ls_curves_view_init (LsCurvesView *self)
{
  self->font_scale = 1.0;
  self->font_px = LS_RENDER_WINDOW_FONT_PX;
  self->empty = TRUE;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Loss and accuracy curves"),
                                  -1);
}

GtkWidget *
ls_curves_view_new (void)
{
  return g_object_new (LS_TYPE_CURVES_VIEW, NULL);
}

/* Shows the history of controller, redrawn on each of its updates. */
void
ls_curves_view_set_controller (LsCurvesView         *self,
                               LsTrainingController *controller)
{
  g_return_if_fail (LS_IS_CURVES_VIEW (self));
  g_return_if_fail (controller == NULL || LS_IS_TRAINING_CONTROLLER (controller));

  if (self->controller == controller)
    return;

  if (self->controller != NULL)
    g_signal_handlers_disconnect_by_data (self->controller, self);
  g_set_object (&self->controller, controller);
  if (controller != NULL)
    g_signal_connect_object (controller, "updated", G_CALLBACK (updated_cb), self, G_CONNECT_SWAPPED);
  self->empty = get_n_points (self) == 0;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
ls_curves_view_set_font_scale (LsCurvesView *self,
                               double        font_scale)
{
  g_return_if_fail (LS_IS_CURVES_VIEW (self));
  g_return_if_fail (font_scale >= 0.5 && font_scale <= 4.0);

  if (self->font_scale == font_scale)
    return;

  self->font_scale = font_scale;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}
